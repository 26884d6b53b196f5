import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import {
	dealBalances,
	dealEvents,
	dealReceivables,
	deals,
	organisations,
	paymentInstalments
} from '../db/schema';
import { receivableParts } from './aging';

// Keeps `deal_receivables` (SPEC R14) in step: one row per won deal with its unpaid parts. Called
// in the projection's transaction when deals change, after payments, voids and schedule changes,
// and by the hourly reconcile. Idempotent: each call recomputes the named deals from the ledger,
// the schedule and the history, whatever was there before.

const CHUNK = 500;

/** Recomputes the rows of `dealIds` (a deal not won, or gone, loses its row). */
export async function refreshReceivables(
	tx: Tx,
	{ orgId, dealIds }: { orgId: string; dealIds: readonly string[] }
): Promise<void> {
	for (let i = 0; i < dealIds.length; i += CHUNK) {
		await refreshChunk(tx, { orgId, dealIds: dealIds.slice(i, i + CHUNK) });
	}
}

async function refreshChunk(tx: Tx, { orgId, dealIds }: { orgId: string; dealIds: string[] }) {
	if (dealIds.length === 0) return;
	const [org] = await tx
		.select({ timeZone: organisations.timeZone })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	if (!org) return;
	const won = await tx
		.select({
			id: deals.id,
			pipelineId: deals.pipelineId,
			ownerId: deals.ownerId,
			customerId: deals.customerId,
			customerName: deals.customerName,
			title: deals.title,
			value: deals.amount,
			paid: sql<number>`coalesce(${dealBalances.paid}, 0)`.mapWith(Number),
			// The latest win (R3), else the last change of the row.
			wonOn: sql<string>`((coalesce((select max(${dealEvents.createdAt}) from ${dealEvents}
				where ${dealEvents.dealId} = ${deals.id} and ${dealEvents.kind} = 'status'
					and ${dealEvents.toValue} = 'won'), ${deals.updatedAt}) at time zone ${org.timeZone})::date)::text`
		})
		.from(deals)
		.leftJoin(dealBalances, eq(dealBalances.dealId, deals.id))
		.where(and(eq(deals.orgId, orgId), inArray(deals.id, dealIds), eq(deals.status, 'won')));
	const wonIds = won.map((d) => d.id);
	const instalments = wonIds.length
		? await tx
				.select({
					id: paymentInstalments.id,
					dealId: paymentInstalments.dealId,
					dueOn: paymentInstalments.dueOn,
					amount: paymentInstalments.amount
				})
				.from(paymentInstalments)
				.where(
					and(
						eq(paymentInstalments.orgId, orgId),
						inArray(paymentInstalments.dealId, wonIds),
						isNull(paymentInstalments.cancelledAt)
					)
				)
		: [];
	const byDeal = new Map<string, typeof instalments>();
	for (const i of instalments) byDeal.set(i.dealId, [...(byDeal.get(i.dealId) ?? []), i]);
	const rows = won.map((d) => {
		const parts = receivableParts({
			value: d.value,
			paid: d.paid,
			instalments: byDeal.get(d.id) ?? [],
			restDueOn: d.wonOn
		});
		return {
			dealId: d.id,
			orgId,
			pipelineId: d.pipelineId,
			ownerId: d.ownerId,
			customerId: d.customerId,
			customerName: d.customerName,
			title: d.title,
			wonOn: d.wonOn,
			value: d.value,
			paid: d.paid,
			// The sum of the parts (R11: a row's total is the sum of its buckets).
			total: parts.reduce((sum, p) => sum + p.unpaid, 0),
			dueOn: parts.map((p) => p.dueOn),
			unpaid: parts.map((p) => p.unpaid)
		};
	});
	const notWon = dealIds.filter((id) => !wonIds.includes(id));
	if (notWon.length > 0) {
		await tx
			.delete(dealReceivables)
			.where(and(eq(dealReceivables.orgId, orgId), inArray(dealReceivables.dealId, notWon)));
	}
	if (rows.length === 0) return;
	await tx
		.insert(dealReceivables)
		.values(rows)
		.onConflictDoUpdate({
			target: dealReceivables.dealId,
			set: {
				pipelineId: sql`excluded.pipeline_id`,
				ownerId: sql`excluded.owner_id`,
				customerId: sql`excluded.customer_id`,
				customerName: sql`excluded.customer_name`,
				title: sql`excluded.title`,
				wonOn: sql`excluded.won_on`,
				value: sql`excluded.value`,
				paid: sql`excluded.paid`,
				total: sql`excluded.total`,
				dueOn: sql`excluded.due_on`,
				unpaid: sql`excluded.unpaid`,
				refreshedAt: sql`now()`
			}
		});
}

/**
 * The deals whose row is missing, stale or should not exist, as far as cheap checks tell (won
 * without a row, a row for a deal not won, value or paid differing), recomputed. Catches a
 * refresh lost to a crash between a payment's commit and its refresh, and fills the table for
 * data that arrived another way (an upgrade, a bulk load).
 */
export async function reconcileReceivables(
	tx: Tx,
	{ orgId }: { orgId: string }
): Promise<{ refreshed: number }> {
	const stale = await tx.execute<{ id: string }>(sql`
		select d.id from ${deals} d
			left join ${dealReceivables} r on r.deal_id = d.id
			left join ${dealBalances} b on b.deal_id = d.id
		where d.org_id = ${orgId} and d.status = 'won'
			and (r.deal_id is null or r.value <> d.amount or r.paid <> coalesce(b.paid, 0)
				or r.owner_id <> d.owner_id)
		union
		select r.deal_id from ${dealReceivables} r
			left join ${deals} d on d.id = r.deal_id
		where r.org_id = ${orgId} and (d.id is null or d.status <> 'won')`);
	const ids = stale.map((r) => r.id);
	await refreshReceivables(tx, { orgId, dealIds: ids });
	return { refreshed: ids.length };
}
