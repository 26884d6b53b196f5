import { createHash } from 'node:crypto';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { allocate } from '$lib/money/schedule';
import type { DealMoney, InstalmentView, PaymentView } from '$lib/money/types';
import type { Db, Tx } from '../db';
import {
	contracts,
	dealBalances,
	deals,
	paymentInstalments,
	payments,
	paymentVoids,
	pipelineSettings,
	users,
	type Role
} from '../db/schema';
import { visibleDeals } from '../deals/visibility';
import { canEditDeal } from '../files/files.repo';
import type { InstalmentInput, PaymentInput, VoidInput } from './forms';

// The payment ledger (issue 5): payments and voids are entries, only ever inserted; the running
// total per deal (`deal_balances`) changes in the same transaction, under a row lock, so two
// payments on one deal are checked against the overpayment rule one after the other. Every write
// carries the client's idempotency key: the same key returns the first result, the same key with
// other content is refused, so a double click, a retry or a cut connection records one payment.

export type Member = { orgId: string; userId: string; role: Role };

export type MoneyRefusalCode =
	| 'not_found'
	| 'forbidden'
	| 'overpayment'
	| 'idempotency_mismatch'
	| 'already_voided'
	| 'contract_not_found';

export class MoneyRefused extends Error {
	constructor(
		readonly code: MoneyRefusalCode,
		readonly params: Record<string, string | number> = {},
		readonly field?: string
	) {
		super(code);
	}
}

export type DealRef = {
	id: string;
	pipelineId: string;
	ownerId: string;
	customerId: string | null;
	amount: number;
	canEdit: boolean;
};

/** The deal as this member may reach it, or null when they may not see it. */
export async function dealFor(
	db: Tx,
	member: Member & { dealId: string }
): Promise<DealRef | null> {
	const [row] = await db
		.select({
			id: deals.id,
			pipelineId: deals.pipelineId,
			ownerId: deals.ownerId,
			customerId: deals.customerId,
			amount: deals.amount,
			editing: pipelineSettings.editing
		})
		.from(deals)
		.leftJoin(pipelineSettings, eq(pipelineSettings.pipelineId, deals.pipelineId))
		.where(and(eq(deals.id, member.dealId), visibleDeals(member)));
	if (!row) return null;
	const { editing, ...deal } = row;
	return { ...deal, canEdit: canEditDeal({ ...member, ownerId: row.ownerId, editing }) };
}

/**
 * Who may do what with a deal's money: accountants record and correct payments on every deal
 * they see; owners and managers too; a rep on the deals they may edit.
 */
export function moneyRights(role: Role, deal: { canEdit: boolean }) {
	const mayWrite = role === 'accountant' || deal.canEdit;
	return { canRecord: mayWrite, canVoid: mayWrite, canSchedule: mayWrite };
}

function requestHash(value: unknown): string {
	return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

/**
 * Locks the deal's running total for this transaction (creating it at zero the first time) and
 * reads it with the deal's value, in one statement: an upsert locks the row it touches.
 */
async function lockBalance(tx: Tx, { orgId, dealId }: { orgId: string; dealId: string }) {
	const [balance] = await tx
		.insert(dealBalances)
		.values({ dealId, orgId })
		.onConflictDoUpdate({ target: dealBalances.dealId, set: { dealId: sql`excluded.deal_id` } })
		.returning({
			paid: dealBalances.paid,
			value: sql<
				number | null
			>`(select ${deals.amount} from ${deals} where ${deals.id} = ${dealId})`.mapWith((v) =>
				v === null ? null : Number(v)
			)
		});
	return balance!;
}

type PaymentRow = typeof payments.$inferSelect;

/**
 * Records a payment. Returns the payment and whether this call was a replay of an earlier one
 * with the same key. Refuses (MoneyRefused) when the member may not, when the deal's total paid
 * would exceed its value without `overpayment`, and when the key was used for other content.
 */
export async function recordPayment(
	db: Db,
	{ member, deal, input }: { member: Member; deal: DealRef; input: PaymentInput }
): Promise<{ payment: PaymentRow; replayed: boolean }> {
	const { orgId } = member;
	const dealId = deal.id;
	const content = {
		dealId,
		amount: input.amount,
		paidOn: input.paidOn,
		method: input.method,
		reference: input.reference,
		note: input.note,
		overpayment: input.overpayment,
		contractId: input.contractId ?? null
	};
	const hash = requestHash(content);
	const replay = async () => {
		const [earlier] = await db
			.select()
			.from(payments)
			.where(and(eq(payments.orgId, orgId), eq(payments.idempotencyKey, input.idempotencyKey)));
		if (!earlier) return null;
		if (earlier.requestHash !== hash) throw new MoneyRefused('idempotency_mismatch');
		return { payment: earlier, replayed: true };
	};

	const earlier = await replay();
	if (earlier) return earlier;
	if (!moneyRights(member.role, deal).canRecord) throw new MoneyRefused('forbidden');

	const inserted = await db.transaction(async (tx) => {
		if (content.contractId) {
			const [contract] = await tx
				.select({ id: contracts.id })
				.from(contracts)
				.where(
					and(
						eq(contracts.id, content.contractId),
						eq(contracts.orgId, orgId),
						eq(contracts.dealId, dealId),
						sql`${contracts.status} <> 'cancelled'`
					)
				);
			if (!contract) throw new MoneyRefused('contract_not_found', {}, 'contractId');
		}
		const balance = await lockBalance(tx, { orgId, dealId });
		// The same request, retried while the first was in flight and committed while this one
		// waited for the lock: the first's answer, not a refusal because it already counts in the
		// total. (A statement of its own: read committed gives it a snapshot taken after the wait.)
		const [done] = await tx
			.select({ id: payments.id })
			.from(payments)
			.where(and(eq(payments.orgId, orgId), eq(payments.idempotencyKey, input.idempotencyKey)));
		if (done) return null;
		// The deal's value as the board says now, read under the lock.
		const value = balance.value ?? deal.amount;
		if (balance.paid + content.amount > value && !content.overpayment) {
			throw new MoneyRefused(
				'overpayment',
				{ value, paid: balance.paid, remaining: Math.max(0, value - balance.paid) },
				'amount'
			);
		}
		// A concurrent request with the same key waits on the unique index, then inserts nothing.
		const [row] = await tx
			.insert(payments)
			.values({
				orgId,
				dealId,
				contractId: content.contractId,
				customerId: deal.customerId,
				ownerId: deal.ownerId,
				pipelineId: deal.pipelineId,
				amount: content.amount,
				paidOn: content.paidOn,
				method: content.method,
				reference: content.reference,
				note: content.note,
				overpayment: content.overpayment,
				idempotencyKey: input.idempotencyKey,
				requestHash: hash,
				recordedBy: member.userId
			})
			.onConflictDoNothing()
			.returning();
		if (!row) return null;
		await tx
			.update(dealBalances)
			.set({
				paid: sql`${dealBalances.paid} + ${content.amount}`,
				payments: sql`${dealBalances.payments} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(dealBalances.dealId, dealId));
		return row;
	});
	if (inserted) return { payment: inserted, replayed: false };
	const raced = await replay();
	if (!raced) throw new Error('payment key conflict without a stored payment');
	return raced;
}

/**
 * Voids a payment with a reason: a `payment_voids` entry, the deal's total reduced in the same
 * transaction. The payment stays, shown struck through. Voiding it again with the same key
 * replays; with another key it is `already_voided`.
 */
export async function voidPayment(
	db: Db,
	{
		member,
		deal,
		paymentId,
		input
	}: { member: Member; deal: DealRef; paymentId: string; input: VoidInput }
): Promise<{ replayed: boolean; paidOn?: string }> {
	const { orgId } = member;
	const dealId = deal.id;
	const hash = requestHash({ paymentId, reason: input.reason });
	const replay = async () => {
		const [earlier] = await db
			.select({ requestHash: paymentVoids.requestHash })
			.from(paymentVoids)
			.where(
				and(eq(paymentVoids.orgId, orgId), eq(paymentVoids.idempotencyKey, input.idempotencyKey))
			);
		if (!earlier) return null;
		if (earlier.requestHash !== hash) throw new MoneyRefused('idempotency_mismatch');
		return { replayed: true };
	};
	const earlier = await replay();
	if (earlier) return earlier;
	const [payment] = await db
		.select({ id: payments.id, amount: payments.amount, paidOn: payments.paidOn })
		.from(payments)
		.where(and(eq(payments.id, paymentId), eq(payments.orgId, orgId), eq(payments.dealId, dealId)));
	if (!payment) throw new MoneyRefused('not_found');
	if (!moneyRights(member.role, deal).canVoid) throw new MoneyRefused('forbidden');

	const voided = await db.transaction(async (tx) => {
		await lockBalance(tx, { orgId, dealId });
		const [row] = await tx
			.insert(paymentVoids)
			.values({
				orgId,
				paymentId,
				dealId,
				reason: input.reason,
				idempotencyKey: input.idempotencyKey,
				requestHash: hash,
				voidedBy: member.userId
			})
			.onConflictDoNothing()
			.returning({ id: paymentVoids.id });
		if (!row) return false;
		await tx
			.update(dealBalances)
			.set({
				paid: sql`${dealBalances.paid} - ${payment.amount}`,
				payments: sql`${dealBalances.payments} - 1`,
				updatedAt: sql`now()`
			})
			.where(eq(dealBalances.dealId, dealId));
		return true;
	});
	if (voided) return { replayed: false, paidOn: payment.paidOn };
	const raced = await replay();
	if (raced) return raced;
	throw new MoneyRefused('already_voided');
}

/** The deal's live instalments, oldest due first. */
export async function instalmentsOf(db: Tx, { orgId, dealId }: { orgId: string; dealId: string }) {
	return db
		.select({
			id: paymentInstalments.id,
			dueOn: paymentInstalments.dueOn,
			amount: paymentInstalments.amount,
			note: paymentInstalments.note,
			contractId: paymentInstalments.contractId
		})
		.from(paymentInstalments)
		.where(
			and(
				eq(paymentInstalments.orgId, orgId),
				eq(paymentInstalments.dealId, dealId),
				isNull(paymentInstalments.cancelledAt)
			)
		)
		.orderBy(asc(paymentInstalments.dueOn), asc(paymentInstalments.id));
}

export async function paidOf(db: Tx, { dealId }: { dealId: string }): Promise<number> {
	const [row] = await db
		.select({ paid: dealBalances.paid })
		.from(dealBalances)
		.where(eq(dealBalances.dealId, dealId));
	return row?.paid ?? 0;
}

/** Everything the deal page's money section shows, for a member who may see the deal. */
export async function dealMoney(
	db: Tx,
	{ member, deal, today }: { member: Member; deal: DealRef; today: string }
): Promise<DealMoney> {
	const recorder = alias(users, 'recorder');
	const voider = alias(users, 'voider');
	const rows = await db
		.select({
			payment: payments,
			recorderName: recorder.name,
			voidReason: paymentVoids.reason,
			voidedAt: paymentVoids.createdAt,
			voidedBy: paymentVoids.voidedBy,
			voiderName: voider.name
		})
		.from(payments)
		.leftJoin(recorder, eq(recorder.id, payments.recordedBy))
		.leftJoin(paymentVoids, eq(paymentVoids.paymentId, payments.id))
		.leftJoin(voider, eq(voider.id, paymentVoids.voidedBy))
		.where(and(eq(payments.orgId, member.orgId), eq(payments.dealId, deal.id)))
		.orderBy(desc(payments.paidOn), desc(payments.createdAt));
	const paid = await paidOf(db, { dealId: deal.id });
	const live = await instalmentsOf(db, { orgId: member.orgId, dealId: deal.id });
	const stored = new Map(live.map((i) => [i.id, i]));
	const schedule = allocate(live, paid);
	const instalments: InstalmentView[] = schedule.map((i) => ({
		id: i.id,
		dueOn: i.dueOn,
		amount: i.amount,
		note: stored.get(i.id)?.note ?? '',
		contractId: stored.get(i.id)?.contractId ?? null,
		covered: i.covered,
		unpaid: i.unpaid,
		overdue: i.unpaid > 0 && i.dueOn < today
	}));
	const list: PaymentView[] = rows.map((r) => ({
		id: r.payment.id,
		amount: r.payment.amount,
		paidOn: r.payment.paidOn,
		method: r.payment.method,
		reference: r.payment.reference,
		note: r.payment.note,
		overpayment: r.payment.overpayment,
		contractId: r.payment.contractId,
		recordedBy:
			r.payment.recordedBy && r.recorderName
				? { id: r.payment.recordedBy, name: r.recorderName }
				: null,
		createdAt: r.payment.createdAt.toISOString(),
		void:
			r.voidedAt && r.voidReason !== null
				? {
						reason: r.voidReason,
						by: r.voidedBy && r.voiderName ? { id: r.voidedBy, name: r.voiderName } : null,
						at: r.voidedAt.toISOString()
					}
				: null
	}));
	return {
		value: deal.amount,
		paid,
		remaining: Math.max(0, deal.amount - paid),
		overdue: instalments.filter((i) => i.overdue).reduce((sum, i) => sum + i.unpaid, 0),
		payments: list,
		instalments,
		today,
		...moneyRights(member.role, deal)
	};
}

/** Adds an instalment to the deal's schedule. */
export async function addInstalment(
	db: Tx,
	{ member, dealId, input }: { member: Member; dealId: string; input: InstalmentInput }
) {
	if (input.contractId)
		await contractOfDeal(db, { orgId: member.orgId, dealId, id: input.contractId });
	await db.insert(paymentInstalments).values({
		orgId: member.orgId,
		dealId,
		contractId: input.contractId ?? null,
		dueOn: input.dueOn,
		amount: input.amount,
		note: input.note,
		createdBy: member.userId
	});
}

/** Changes an instalment's date, amount or note; false when it is not the deal's live one. */
export async function updateInstalment(
	db: Tx,
	{
		member,
		dealId,
		id,
		input
	}: { member: Member; dealId: string; id: string; input: Partial<InstalmentInput> }
): Promise<boolean> {
	const rows = await db
		.update(paymentInstalments)
		.set({
			...(input.dueOn !== undefined && { dueOn: input.dueOn }),
			...(input.amount !== undefined && { amount: input.amount }),
			...(input.note !== undefined && { note: input.note }),
			updatedAt: sql`now()`
		})
		.where(
			and(
				eq(paymentInstalments.id, id),
				eq(paymentInstalments.orgId, member.orgId),
				eq(paymentInstalments.dealId, dealId),
				isNull(paymentInstalments.cancelledAt)
			)
		)
		.returning({ id: paymentInstalments.id });
	return rows.length > 0;
}

/** Takes an instalment off the schedule (kept, with when). */
export async function cancelInstalment(
	db: Tx,
	{ member, dealId, id }: { member: Member; dealId: string; id: string }
): Promise<boolean> {
	const rows = await db
		.update(paymentInstalments)
		.set({ cancelledAt: sql`now()`, updatedAt: sql`now()` })
		.where(
			and(
				eq(paymentInstalments.id, id),
				eq(paymentInstalments.orgId, member.orgId),
				eq(paymentInstalments.dealId, dealId),
				isNull(paymentInstalments.cancelledAt)
			)
		)
		.returning({ id: paymentInstalments.id });
	return rows.length > 0;
}

async function contractOfDeal(
	db: Tx,
	{ orgId, dealId, id }: { orgId: string; dealId: string; id: string }
) {
	const [row] = await db
		.select({ id: contracts.id })
		.from(contracts)
		.where(and(eq(contracts.id, id), eq(contracts.orgId, orgId), eq(contracts.dealId, dealId)));
	if (!row) throw new MoneyRefused('contract_not_found', {}, 'contractId');
}
