import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import {
	commissionLines,
	commissionPeriods,
	memberships,
	organisations,
	users
} from '../db/schema';
import { monthOf } from './calc';
import { computeMonth } from './compute';
import { CommissionError } from './errors';

export type Period = typeof commissionPeriods.$inferSelect;

export async function period(tx: Tx, { orgId, month }: { orgId: string; month: string }) {
	const [row] = await tx
		.select()
		.from(commissionPeriods)
		.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.month, month)));
	return row ?? null;
}

export type RepTotals = {
	userId: string;
	name: string;
	won: number;
	revenue: number;
	adjustments: number;
	total: number;
	lines: number;
};

/**
 * A month's totals per rep (the commissions page): everyone with a line, and every sales rep of
 * the organisation even without one. `onlyUserId` narrows it to one rep (what a rep may see).
 */
export async function totals(
	tx: Tx,
	{ orgId, month, onlyUserId }: { orgId: string; month: string; onlyUserId?: string }
): Promise<RepTotals[]> {
	const rows = (await tx.execute(sql`
		with sums as (
			select user_id,
				coalesce(sum(amount) filter (where adjusts_month is null and method = 'won'), 0) as won,
				coalesce(sum(amount) filter (where adjusts_month is null and method = 'revenue'), 0) as revenue,
				coalesce(sum(amount) filter (where adjusts_month is not null), 0) as adjustments,
				coalesce(sum(amount), 0) as total,
				count(*) as lines
			from ${commissionLines}
			where org_id = ${orgId} and month = ${month}::date
			group by user_id
		), people as (
			select user_id from sums
			union
			select user_id from ${memberships} where org_id = ${orgId} and role = 'sales'
		)
		select p.user_id, coalesce(u.name, '') as name,
			coalesce(s.won, 0) as won, coalesce(s.revenue, 0) as revenue,
			coalesce(s.adjustments, 0) as adjustments, coalesce(s.total, 0) as total,
			coalesce(s.lines, 0) as lines
		from people p
		left join sums s on s.user_id = p.user_id
		left join ${users} u on u.id = p.user_id
		${onlyUserId ? sql`where p.user_id = ${onlyUserId}` : sql``}
		order by coalesce(s.total, 0) desc, name, p.user_id
	`)) as unknown as Record<string, string>[];
	return rows.map((r) => ({
		userId: r.user_id!,
		name: r.name!,
		won: Number(r.won),
		revenue: Number(r.revenue),
		adjustments: Number(r.adjustments),
		total: Number(r.total),
		lines: Number(r.lines)
	}));
}

export type StatementLine = {
	id: string;
	method: 'won' | 'revenue';
	dealId: string | null;
	dealTitle: string;
	/** The deal's pipeline today, for a link to its card; null when the deal is gone. */
	pipelineId: string | null;
	paymentId: string | null;
	basis: number;
	rateBp: number;
	amount: number;
	adjustsMonth: string | null;
	detail: Record<string, unknown>;
};

/** Every line of one rep's month, won deals first, then revenue, then adjustments. */
export async function statement(
	tx: Tx,
	{ orgId, month, userId }: { orgId: string; month: string; userId: string }
): Promise<StatementLine[]> {
	const rows = await tx
		.select({
			id: commissionLines.id,
			method: commissionLines.method,
			dealId: commissionLines.dealId,
			paymentId: commissionLines.paymentId,
			basis: commissionLines.basis,
			rateBp: commissionLines.rateBp,
			amount: commissionLines.amount,
			adjustsMonth: commissionLines.adjustsMonth,
			detail: commissionLines.detail,
			title: sql<
				string | null
			>`(select d.title from deals d where d.id = ${commissionLines.dealId})`,
			pipelineId: sql<
				string | null
			>`(select d.pipeline_id from deals d where d.id = ${commissionLines.dealId})`,
			// A payment's line carries no detail (SPEC C3): its date and reference are the payment's.
			paidOn: sql<
				string | null
			>`(select p.paid_on::text from payments p where p.id = ${commissionLines.paymentId})`,
			reference: sql<
				string | null
			>`(select p.reference from payments p where p.id = ${commissionLines.paymentId})`,
			tiering: sql<
				string | null
			>`(select r.tiering from commission_rules r where r.id = ${commissionLines.ruleId})`
		})
		.from(commissionLines)
		.where(
			and(
				eq(commissionLines.orgId, orgId),
				eq(commissionLines.month, month),
				eq(commissionLines.userId, userId)
			)
		)
		.orderBy(
			sql`${commissionLines.adjustsMonth} nulls first`,
			asc(commissionLines.method),
			sql`(select p.paid_on from payments p where p.id = ${commissionLines.paymentId}) nulls first`,
			asc(commissionLines.createdAt),
			asc(commissionLines.id)
		);
	return rows.map(({ title, paidOn, reference, tiering, ...r }) => ({
		...r,
		detail: {
			...(tiering ? { tiering } : {}),
			...(paidOn ? { paidOn, reference: reference ?? '' } : {}),
			...r.detail
		},
		dealTitle: title ?? (typeof r.detail.title === 'string' ? r.detail.title : '')
	}));
}

/** The current month in the organisation's calendar. */
export async function currentMonth(tx: Tx, { orgId }: { orgId: string }) {
	const [org] = await tx
		.select({ timeZone: organisations.timeZone })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	return monthOf(new Date(), org?.timeZone ?? 'Asia/Ho_Chi_Minh');
}

/**
 * [C9] Approves and locks a month: it is computed one last time, then locked. Only a month that
 * has ended, and only once every earlier computed month is locked (months lock in order).
 */
export async function lock(
	db: Tx,
	{
		orgId,
		month,
		userId,
		now = new Date()
	}: { orgId: string; month: string; userId: string; now?: Date }
) {
	const [org] = await db
		.select({ timeZone: organisations.timeZone })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	if (!org) throw new CommissionError('not_found');
	if (month >= monthOf(now, org.timeZone)) throw new CommissionError('not_ended');
	const computed = await computeMonth(db, { orgId, month });
	if (computed.status === 'locked') throw new CommissionError('locked');
	return db.transaction(async (tx) => {
		const [p] = await tx
			.select()
			.from(commissionPeriods)
			.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.month, month)))
			.for('update');
		if (!p) throw new CommissionError('not_computed');
		if (p.status === 'locked') throw new CommissionError('locked');
		const [earlier] = await tx
			.select({ month: commissionPeriods.month })
			.from(commissionPeriods)
			.where(
				and(
					eq(commissionPeriods.orgId, orgId),
					eq(commissionPeriods.status, 'open'),
					sql`${commissionPeriods.month} < ${month}::date`
				)
			)
			.limit(1);
		if (earlier) throw new CommissionError('earlier_open');
		await tx
			.update(commissionPeriods)
			.set({ status: 'locked', lockedAt: sql`now()`, lockedBy: userId })
			.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.month, month)));
	});
}
