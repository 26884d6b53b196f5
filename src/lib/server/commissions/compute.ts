import { and, asc, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../db';
import {
	commissionLines,
	commissionPeriods,
	commissionRules,
	organisations,
	type CommissionMethod
} from '../db/schema';
import { addMonths, commissionOf, distribute } from './calc';
import { CommissionError } from './errors';
import { defaultRule, resolveRule, rulesValidIn } from './rules.repo';

// The monthly computation (SPEC.md C1–C4, C8–C11). Everything is read as of a cutoff, the end
// of the month being computed in the organisation's time zone, from append-only facts
// (deal_events, payments, payment_voids): the same facts give the same lines.

export type LineDraft = {
	userId: string;
	method: CommissionMethod;
	dealId: string | null;
	paymentId: string | null;
	ruleId: string | null;
	basis: number;
	rateBp: number;
	amount: number;
	adjustsMonth: string | null;
	detail: Record<string, unknown>;
};

type Bounds = { timeZone: string; month: string; cutoffMonth: string };

type WonRow = {
	deal_id: string;
	owner_id: string | null;
	pipeline_id: string | null;
	title: string | null;
	amount: string | null;
	won_at: Date | string;
};

/** [C2] Deals whose last status change before the cutoff is a win made in `month`. */
async function wonDeals(tx: Tx, orgId: string, b: Bounds): Promise<WonRow[]> {
	const start = sql`(${b.month}::date)::timestamp at time zone ${b.timeZone}`;
	const end = sql`(${addMonths(b.month, 1)}::date)::timestamp at time zone ${b.timeZone}`;
	const cutoff = sql`(${b.cutoffMonth}::date)::timestamp at time zone ${b.timeZone}`;
	return (await tx.execute(sql`
		select w.deal_id, w.created_at as won_at, d.title,
			coalesce(
				w.owner_id,
				(select c.to_owner_id from deal_owner_changes c
					where c.deal_id = w.deal_id and c.created_at <= w.created_at
					order by c.created_at desc, c.id desc limit 1),
				(select c.from_owner_id from deal_owner_changes c
					where c.deal_id = w.deal_id and c.created_at > w.created_at
					order by c.created_at, c.id limit 1),
				d.owner_id
			) as owner_id,
			coalesce(
				d.pipeline_id,
				(select c.pipeline_id from deal_owner_changes c where c.deal_id = w.deal_id limit 1)
			) as pipeline_id,
			(select coalesce(a.amount, case when a.to_value ~ '^-?[0-9]{1,18}$' then a.to_value::bigint end)
				from deal_events a
				where a.deal_id = w.deal_id and a.created_at < ${cutoff}
					and (a.amount is not null or a.kind in ('amount', 'created'))
				order by a.created_at desc, a.id desc limit 1) as amount
		from deal_events w
		left join deals d on d.id = w.deal_id
		where w.org_id = ${orgId} and w.kind = 'status' and w.to_value = 'won'
			and w.created_at >= ${start} and w.created_at < ${end}
			and not exists (
				select 1 from deal_events x
				where x.deal_id = w.deal_id and x.kind = 'status' and x.created_at < ${cutoff}
					and (x.created_at, x.id) > (w.created_at, w.id)
			)
		order by w.deal_id
	`)) as unknown as WonRow[];
}

type PaymentRow = {
	id: string;
	owner_id: string;
	deal_id: string;
	amount: string;
};

/** [C3] Payments dated in `month`, recorded and not voided before the cutoff. */
async function paymentsIn(tx: Tx, orgId: string, b: Bounds): Promise<PaymentRow[]> {
	const cutoff = sql`(${b.cutoffMonth}::date)::timestamp at time zone ${b.timeZone}`;
	return (await tx.execute(sql`
		select p.id, p.owner_id, p.deal_id, p.amount
		from payments p
		where p.org_id = ${orgId} and p.paid_on >= ${b.month}::date and p.paid_on < ${addMonths(b.month, 1)}::date
			and p.created_at < ${cutoff}
			and not exists (
				select 1 from payment_voids v where v.payment_id = p.id and v.created_at < ${cutoff}
			)
		order by p.owner_id, p.paid_on, p.id
	`)) as unknown as PaymentRow[];
}

/** What `month` earns as seen from the end of `cutoffMonth` (its own lines, no adjustments). */
export async function linesFor(
	tx: Tx,
	{ orgId, timeZone, month, cutoffMonth }: { orgId: string } & Bounds
): Promise<LineDraft[]> {
	const b = { timeZone, month, cutoffMonth };
	const rules = await rulesValidIn(tx, { orgId, month });
	const out: LineDraft[] = [];

	for (const w of await wonDeals(tx, orgId, b)) {
		if (!w.owner_id) continue;
		const rule = resolveRule(rules, {
			method: 'won',
			userId: w.owner_id,
			pipelineId: w.pipeline_id
		});
		if (!rule) continue;
		const basis = Number(w.amount ?? 0);
		const c = commissionOf({ tiering: rule.tiering, tiers: rule.tiers, basis });
		out.push({
			userId: w.owner_id,
			method: 'won',
			dealId: w.deal_id,
			paymentId: null,
			ruleId: rule.id,
			basis,
			rateBp: c.rateBp,
			amount: c.amount,
			adjustsMonth: null,
			detail: {
				title: w.title ?? '',
				wonAt: new Date(w.won_at).toISOString(),
				tiering: rule.tiering,
				...(c.slices ? { slices: c.slices } : {})
			}
		});
	}

	const byOwner = new Map<string, PaymentRow[]>();
	for (const p of await paymentsIn(tx, orgId, b)) {
		const list = byOwner.get(p.owner_id) ?? [];
		list.push(p);
		byOwner.set(p.owner_id, list);
	}
	for (const [userId, list] of byOwner) {
		const rule = resolveRule(rules, { method: 'revenue', userId, pipelineId: null });
		if (!rule) continue;
		const amounts = list.map((p) => Number(p.amount));
		const total = amounts.reduce((s, a) => s + a, 0);
		const c = commissionOf({ tiering: rule.tiering, tiers: rule.tiers, basis: total });
		const shares = distribute(c.amount, amounts);
		for (const [i, p] of list.entries()) {
			out.push({
				userId,
				method: 'revenue',
				dealId: p.deal_id,
				paymentId: p.id,
				ruleId: rule.id,
				basis: amounts[i]!,
				rateBp: c.rateBp,
				amount: shares[i]!,
				adjustsMonth: null,
				// Empty: a month has tens of thousands of these lines, and what a statement shows
				// beside them (date, reference, tiering) is the payment's and the rule's own.
				detail: {}
			});
		}
	}
	// Already in a fixed order (deals by id, then payments by rep, date and id): no sort needed.
	return out;
}

function sortLines(lines: LineDraft[]): LineDraft[] {
	const keyed = lines.map((l) => ({
		l,
		k: `${l.userId}|${l.adjustsMonth ?? ''}|${l.method}|${l.dealId ?? ''}|${l.paymentId ?? ''}`
	}));
	keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
	return keyed.map((x) => x.l);
}

type Sum = { basis: number; amount: number; rateBp: number; title?: string };

/**
 * [C10] The key an adjustment is made on: a won deal per rep, and a rep's month of revenue as a
 * whole (a void changes every payment's share of the tiered total, so per-payment differences
 * would only be noise).
 */
function adjustmentKey(l: { userId: string; method: CommissionMethod; dealId: string | null }) {
	return l.method === 'won' ? `${l.userId}|won|${l.dealId}` : `${l.userId}|revenue|`;
}

function sums(lines: LineDraft[]): Map<string, Sum & { line: LineDraft }> {
	const out = new Map<string, Sum & { line: LineDraft }>();
	for (const l of lines) {
		const k = adjustmentKey(l);
		const s = out.get(k) ?? { basis: 0, amount: 0, rateBp: l.rateBp, line: l };
		s.basis += l.basis;
		s.amount += l.amount;
		s.rateBp = l.rateBp;
		if (typeof l.detail.title === 'string' && l.detail.title) s.title = l.detail.title;
		out.set(k, s);
	}
	return out;
}

/** [C10] Adjustment lines for locked month `locked`, carried in `month`. */
async function adjustmentsFor(
	tx: Tx,
	{
		orgId,
		timeZone,
		locked,
		month
	}: { orgId: string; timeZone: string; locked: string; month: string }
): Promise<LineDraft[]> {
	const now = sums(
		await linesFor(tx, { orgId, timeZone, month: locked, cutoffMonth: addMonths(month, 1) })
	);
	// What was paid for it: its own locked lines and every adjustment already carried for it
	// in a locked month (the month being computed is open, so its own old lines do not count).
	const paidRows = await tx
		.select()
		.from(commissionLines)
		.where(
			and(
				eq(commissionLines.orgId, orgId),
				sql`((${commissionLines.month} = ${locked} and ${commissionLines.adjustsMonth} is null) or ${commissionLines.adjustsMonth} = ${locked})`,
				sql`exists (select 1 from ${commissionPeriods} p where p.org_id = ${orgId} and p.month = ${commissionLines.month} and p.status = 'locked')`
			)
		);
	const paid = sums(
		paidRows.map((r) => ({
			userId: r.userId,
			method: r.method,
			dealId: r.dealId,
			paymentId: r.paymentId,
			ruleId: r.ruleId,
			basis: r.basis,
			rateBp: r.rateBp,
			amount: r.amount,
			adjustsMonth: r.adjustsMonth,
			detail: r.detail
		}))
	);
	const out: LineDraft[] = [];
	for (const k of new Set([...now.keys(), ...paid.keys()])) {
		const n = now.get(k);
		const p = paid.get(k);
		const amount = (n?.amount ?? 0) - (p?.amount ?? 0);
		const basis = (n?.basis ?? 0) - (p?.basis ?? 0);
		if (amount === 0 && basis === 0) continue;
		const ref = (n ?? p)!.line;
		out.push({
			userId: ref.userId,
			method: ref.method,
			dealId: ref.method === 'won' ? ref.dealId : null,
			paymentId: null,
			ruleId: n?.line.ruleId ?? p?.line.ruleId ?? null,
			basis,
			rateBp: n?.rateBp ?? p?.rateBp ?? 0,
			amount,
			adjustsMonth: locked,
			detail: {
				title: n?.title ?? p?.title ?? '',
				was: { basis: p?.basis ?? 0, amount: p?.amount ?? 0 },
				now: { basis: n?.basis ?? 0, amount: n?.amount ?? 0 }
			}
		});
	}
	return out;
}

async function timeZoneOf(tx: Tx, orgId: string) {
	const [org] = await tx
		.select({ timeZone: organisations.timeZone })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	if (!org) throw new CommissionError('not_found');
	return org.timeZone;
}

/** Locked months of the organisation, oldest first. */
export async function lockedMonths(tx: Tx, { orgId }: { orgId: string }) {
	const rows = await tx
		.select({ month: commissionPeriods.month })
		.from(commissionPeriods)
		.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.status, 'locked')))
		.orderBy(asc(commissionPeriods.month));
	return rows.map((r) => r.month);
}

export type ComputeResult =
	{ status: 'computed'; lines: number; adjustments: number } | { status: 'locked' };

/**
 * [C8] Computes an open month again: its lines are deleted and inserted anew in one
 * transaction, after locking its period row so two computations of a month run one after the
 * other. A locked month is left as it is. Computing twice gives the same lines (C11).
 */
export async function computeMonth(
	db: Tx,
	{ orgId, month }: { orgId: string; month: string }
): Promise<ComputeResult> {
	return db.transaction(async (tx) => {
		await tx
			.insert(commissionPeriods)
			.values({ orgId, month })
			.onConflictDoNothing({ target: [commissionPeriods.orgId, commissionPeriods.month] });
		const [period] = await tx
			.select()
			.from(commissionPeriods)
			.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.month, month)))
			.for('update');
		if (period!.status === 'locked') return { status: 'locked' as const };
		const locked = await lockedMonths(tx, { orgId });
		const last = locked.at(-1);
		// [C9] Months before the last locked one are closed: their corrections are adjustments.
		if (last && month < last) throw new CommissionError('closed');

		await ensureDefaultRule(tx, { orgId });
		const timeZone = await timeZoneOf(tx, orgId);
		const lines = await linesFor(tx, {
			orgId,
			timeZone,
			month,
			cutoffMonth: addMonths(month, 1)
		});
		let adjustments: LineDraft[] = [];
		// [C10] Corrections go to the earliest open month after the locked ones, and only there.
		if (last && month === addMonths(last, 1)) {
			for (const l of locked)
				adjustments.push(...(await adjustmentsFor(tx, { orgId, timeZone, locked: l, month })));
			adjustments = sortLines(adjustments);
		}

		await replaceLines(tx, { orgId, month, lines: [...lines, ...adjustments] });
		await tx
			.update(commissionPeriods)
			.set({ computedAt: sql`now()` })
			.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.month, month)));
		return { status: 'computed' as const, lines: lines.length, adjustments: adjustments.length };
	});
}

/**
 * A line's content (all but id and creation time). A payment's line has no detail (C3), so it
 * is left out: reading tens of thousands of empty objects back costs more than the rest.
 */
function contentKey(l: LineDraft) {
	const head = `${l.userId}|${l.method}|${l.dealId ?? ''}|${l.paymentId ?? ''}|${l.ruleId ?? ''}|${l.basis}|${l.rateBp}|${l.amount}|${l.adjustsMonth ?? ''}`;
	return l.paymentId ? head : `${head}|${canonicalJson(l.detail)}`;
}

function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

/**
 * [C8] Makes the month's lines exactly `lines`: lines already there with the same content are
 * kept, the others deleted, the missing ones inserted. The outcome is the delete-and-insert of
 * the whole month, but a nightly recomputation that finds little changed writes little (a large
 * organisation's month has tens of thousands of lines).
 */
async function replaceLines(
	tx: Tx,
	{ orgId, month, lines }: { orgId: string; month: string; lines: LineDraft[] }
) {
	const rows = (await tx.execute(sql`
		select id, user_id, method, deal_id, payment_id, rule_id, basis, rate_bp, amount,
			adjusts_month::text as adjusts_month,
			case when payment_id is null then detail end as detail
		from ${commissionLines} where org_id = ${orgId} and month = ${month}::date
	`)) as unknown as {
		id: string;
		user_id: string;
		method: LineDraft['method'];
		deal_id: string | null;
		payment_id: string | null;
		rule_id: string | null;
		basis: string;
		rate_bp: number;
		amount: string;
		adjusts_month: string | null;
		detail: Record<string, unknown> | null;
	}[];
	const have = new Map<string, string[]>();
	for (const r of rows) {
		const k = contentKey({
			userId: r.user_id,
			method: r.method,
			dealId: r.deal_id,
			paymentId: r.payment_id,
			ruleId: r.rule_id,
			basis: Number(r.basis),
			rateBp: r.rate_bp,
			amount: Number(r.amount),
			adjustsMonth: r.adjusts_month,
			detail: r.detail ?? {}
		});
		const ids = have.get(k);
		if (ids) ids.push(r.id);
		else have.set(k, [r.id]);
	}
	const missing: LineDraft[] = [];
	for (const l of lines) {
		const ids = have.get(contentKey(l));
		if (ids && ids.length > 0) ids.pop();
		else missing.push(l);
	}
	const stale = [...have.values()].flat();
	for (let i = 0; i < stale.length; i += 20_000)
		await tx.execute(
			sql`delete from ${commissionLines} where id = any(${sql.param(stale.slice(i, i + 20_000))}::uuid[])`
		);
	await insertLines(tx, { orgId, month, lines: missing });
}

// Column arrays through unnest: one statement per 20,000 lines, a month of a large
// organisation having tens of thousands (a row-per-parameter insert would be far slower).
// postgres.js serialises uuid, bigint and text arrays; the others travel as text.
async function insertLines(
	tx: Tx,
	{ orgId, month, lines }: { orgId: string; month: string; lines: LineDraft[] }
) {
	const CHUNK = 20_000;
	for (let i = 0; i < lines.length; i += CHUNK) {
		const part = lines.slice(i, i + CHUNK);
		const col = <T>(f: (l: LineDraft) => T) => sql.param(part.map(f));
		await tx.execute(sql`
			insert into ${commissionLines}
				(id, org_id, month, user_id, method, deal_id, payment_id, rule_id, basis, rate_bp, amount, adjusts_month, detail)
			select t.i, ${orgId}, ${month}::date, t.u, t.m, t.d, t.p, t.r, t.b, t.bp::int, t.a, t.am::date, t.x::jsonb
			from unnest(
				${col(() => uuidv7())}::uuid[], ${col((l) => l.userId)}::uuid[],
				${col((l) => l.method)}::text[], ${col((l) => l.dealId)}::uuid[],
				${col((l) => l.paymentId)}::uuid[], ${col((l) => l.ruleId)}::uuid[],
				${col((l) => String(l.basis))}::bigint[], ${col((l) => String(l.rateBp))}::text[],
				${col((l) => String(l.amount))}::bigint[], ${col((l) => l.adjustsMonth)}::text[],
				${col((l) => JSON.stringify(l.detail))}::text[]
			) as t(i, u, m, d, p, r, b, bp, a, am, x)
		`);
	}
}

/**
 * [C4] An organisation that has never had a rule gets the default on first use: method A,
 * flat 5 % of each won deal, for every month.
 */
export async function ensureDefaultRule(tx: Tx, { orgId }: { orgId: string }) {
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'commission_rules:' + orgId}))`);
	const [any] = await tx
		.select({ id: commissionRules.id })
		.from(commissionRules)
		.where(eq(commissionRules.orgId, orgId))
		.limit(1);
	if (any) return;
	await tx.insert(commissionRules).values({ orgId, ...defaultRule });
}
