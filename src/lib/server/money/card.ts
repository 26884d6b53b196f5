import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { dealsDocName } from '$lib/board/doc';
import { BoardOpError } from '$lib/board/errors';
import { setLedger } from '$lib/board/ops';
import { overdueAmount } from '$lib/money/schedule';
import { enqueueCommissionCompute, monthOfDay } from '../commissions/enqueue';
import type { Tx } from '../db';
import { refreshReceivables } from '../receivables/refresh';
import type { Runtime } from '../runtime';
import { dealBalances, deals, organisations, paymentInstalments } from '../db/schema';
import { localDay } from '../deals/export';
import { instalmentsOf, paidOf } from './payments.repo';

// The ledger figures a board card shows (SPEC B21), written by the server into the deal's shard
// after the ledger changed, so every open board sees them live. The ledger tables are the truth;
// the card holds a copy that this module keeps in step.

const origin = { kind: 'server', reason: 'ledger' } as const;

/**
 * Writes the deal's `paid` and `overdue` into its card. Returns false when the card is not where
 * the projection says (a hand-over in flight): the next change or the hourly job writes it.
 */
export async function syncCard(
	rt: Pick<Runtime, 'db' | 'changeDoc' | 'log'>,
	{ orgId, dealId, today, ...known }: CardRef & { today?: string }
): Promise<boolean> {
	const { db } = rt;
	const deal =
		known.shard && known.timeZone
			? { ...known.shard, timeZone: known.timeZone }
			: await shardOf(db, { orgId, dealId });
	if (!deal) return false;
	const day = today ?? localDay(deal.timeZone);
	const paid = await paidOf(db, { dealId });
	const overdue = overdueAmount(await instalmentsOf(db, { orgId, dealId }), paid, day);
	try {
		await rt.changeDoc(dealsDocName(deal.pipelineId, deal.ownerId), (doc) =>
			setLedger(doc, { dealId, paid, overdue }, origin)
		);
	} catch (err) {
		if (err instanceof BoardOpError && err.code === 'deal_not_found') return false;
		throw err;
	}
	await db
		.insert(dealBalances)
		.values({ dealId, orgId, overdue, cardPaid: paid })
		.onConflictDoUpdate({ target: dealBalances.dealId, set: { overdue, cardPaid: paid } });
	return true;
}

/**
 * After a payment or a void committed: the card's figures, and the payment month's commissions
 * (method B) computed again. Never fails the request: the hourly and nightly jobs catch up.
 */
export async function afterLedgerChange(
	rt: Pick<Runtime, 'db' | 'changeDoc' | 'log' | 'boss'>,
	input: CardRef & { paidOn?: string }
) {
	await syncCardQuietly(rt, input);
	// The reconcile in the hourly job repairs a refresh lost here.
	await refreshReceivables(rt.db, { orgId: input.orgId, dealIds: [input.dealId] }).catch((err) =>
		rt.log.warn({ err, dealId: input.dealId }, 'receivables not refreshed; the hourly job will')
	);
	if (!input.paidOn) return;
	await enqueueCommissionCompute(rt.boss, {
		orgId: input.orgId,
		month: monthOfDay(input.paidOn)
	}).catch((err) => rt.log.warn({ err, orgId: input.orgId }, 'could not enqueue commissions'));
}

/** `syncCard` that never fails the request whose ledger change already committed. */
export async function syncCardQuietly(
	rt: Pick<Runtime, 'db' | 'changeDoc' | 'log'>,
	input: CardRef
) {
	try {
		await syncCard(rt, input);
	} catch (err) {
		const { orgId, dealId } = input;
		rt.log.warn(
			{ err, orgId, dealId },
			'ledger figures not written to the card; the hourly job will'
		);
	}
}

/**
 * The deal whose card to write; its shard and the organisation's time zone when the caller
 * knows them already (they are looked up otherwise).
 */
export type CardRef = {
	orgId: string;
	dealId: string;
	shard?: { pipelineId: string; ownerId: string };
	timeZone?: string;
};

async function shardOf(db: Tx, { orgId, dealId }: { orgId: string; dealId: string }) {
	const [deal] = await db
		.select({
			pipelineId: deals.pipelineId,
			ownerId: deals.ownerId,
			timeZone: organisations.timeZone
		})
		.from(deals)
		.innerJoin(organisations, eq(organisations.id, deals.orgId))
		.where(and(eq(deals.id, dealId), eq(deals.orgId, orgId)));
	return deal;
}

/**
 * The deals whose card may show stale figures: an instalment fell due since it was written
 * (live, unpaid as far as we know, due before today), the card shows some overdue, or its paid
 * figure is not the ledger's (a write lost after a payment committed). Each is recomputed; only
 * those whose figures changed are written. Driven by state, not by the clock: a run missed
 * during downtime is caught up by the next.
 */
export async function refreshOverdue(
	rt: Pick<Runtime, 'db' | 'changeDoc' | 'log'>,
	{ orgId }: { orgId: string }
): Promise<{ checked: number; written: number }> {
	const { db } = rt;
	const [org] = await db
		.select({ timeZone: organisations.timeZone })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	if (!org) return { checked: 0, written: 0 };
	const today = localDay(org.timeZone);
	const candidates = await db
		.selectDistinct({ dealId: deals.id })
		.from(deals)
		.leftJoin(dealBalances, eq(dealBalances.dealId, deals.id))
		.leftJoin(
			paymentInstalments,
			and(
				eq(paymentInstalments.dealId, deals.id),
				isNull(paymentInstalments.cancelledAt),
				lt(paymentInstalments.dueOn, today)
			)
		)
		.where(
			and(
				eq(deals.orgId, orgId),
				or(
					gt(dealBalances.overdue, 0),
					sql`${dealBalances.cardPaid} <> ${dealBalances.paid}`,
					sql`${paymentInstalments.id} is not null`
				)
			)
		);
	let written = 0;
	for (const { dealId } of candidates) {
		const [balance] = await db
			.select({
				overdue: dealBalances.overdue,
				paid: dealBalances.paid,
				cardPaid: dealBalances.cardPaid
			})
			.from(dealBalances)
			.where(eq(dealBalances.dealId, dealId));
		const paid = balance?.paid ?? 0;
		const overdue = overdueAmount(await instalmentsOf(db, { orgId, dealId }), paid, today);
		if ((balance?.overdue ?? 0) === overdue && (balance?.cardPaid ?? 0) === paid) continue;
		if (await syncCard(rt, { orgId, dealId, today, timeZone: org.timeZone })) written += 1;
	}
	return { checked: candidates.length, written };
}
