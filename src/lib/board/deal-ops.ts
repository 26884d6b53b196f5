import type * as Y from 'yjs';
import {
	cardField,
	clearCardField,
	dealsMap,
	newCard,
	readAllStages,
	setCardPlace,
	type DealStatus
} from './doc';
import { BoardOpError } from './errors';
import { compareOrder, keysAfter } from './order';
import type { Origin } from './origin';
import { lastKey, place, type DealScope } from './place';
import { stageResolver } from './read';
import * as v from './validate';

// Operations on a `deals:<pipelineId>:<ownerId>` shard. Each validates first, then writes in one
// transaction tagged with its origin; an op that changes nothing writes nothing. Field, star and
// status changes bump `updatedAt`; moves date themselves in `stageEnteredAt` instead (SPEC B7).

export type { DealScope } from './place';

export type NewDeal = {
	/** UUID, generated where the deal is born (offline included). */
	id: string;
	title: string;
	stageId: string;
	ownerId: string;
	amount?: number;
	customerId?: string;
	customerName?: string;
	/** Any form a person types; stored as E.164. */
	customerPhone?: string;
	starred?: boolean;
	/** Neighbour deal ids in the column; with neither, the deal goes to the end. */
	after?: string;
	before?: string;
	/** Defaults to the user of a `user` origin. */
	createdBy?: string;
	/** The op's clock, ms since epoch; defaults to now. */
	at?: number;
};

export function createDeal(scope: DealScope, input: NewDeal, origin: Origin) {
	const id = v.uuid(input.id, 'id');
	// Replacing a card would drop edits made to it concurrently (SPEC B6).
	if (dealsMap(scope.dealDoc).has(id)) throw new BoardOpError('deal_exists', { field: 'id' });
	const fields: Record<string, unknown> = {
		title: v.text(input.title, 'title', v.limits.title),
		ownerId: v.uuid(input.ownerId, 'ownerId'),
		amount: v.amount(input.amount ?? 0),
		starred: input.starred === true,
		status: 'open' satisfies DealStatus,
		createdBy: v.uuid(
			input.createdBy ?? (origin.kind === 'user' ? origin.userId : undefined),
			'createdBy'
		)
	};
	const customerId = v.optionalUuid(input.customerId, 'customerId');
	if (customerId) fields.customerId = customerId;
	const customerName = v.optionalText(input.customerName, 'customerName', v.limits.customerName);
	if (customerName) fields.customerName = customerName;
	const customerPhone = v.phone(input.customerPhone);
	if (customerPhone) fields.customerPhone = customerPhone;
	const at = v.time(input.at);
	const { stageId, order } = place(scope, {
		dealId: id,
		stageId: input.stageId,
		...neighbours(input)
	});
	Object.assign(fields, { stageId, order, createdAt: at, updatedAt: at, stageEnteredAt: at });
	scope.dealDoc.transact(() => {
		// The card gets every field, as one entry (B25), before it joins the map: no replica sees
		// half a card.
		dealsMap(scope.dealDoc).set(id, newCard(fields));
	}, origin);
}

/**
 * Moves a deal into column `toStageId`, right after deal `after` and/or before deal `before`
 * (neighbours may sit in other shards of the board); with neither, to the end of the column.
 */
export function moveDeal(
	scope: DealScope,
	input: { dealId: string; toStageId: string; after?: string; before?: string; at?: number },
	origin: Origin
) {
	const card = cardOf(scope.dealDoc, input.dealId);
	const at = v.time(input.at);
	const { stageId, order, fromStageId } = place(scope, {
		dealId: input.dealId,
		stageId: input.toStageId,
		...neighbours(input)
	});
	if (order === null) return;
	const entered = fromStageId !== stageId;
	const since = cardField(card, 'stageEnteredAt');
	scope.dealDoc.transact(() => {
		// One entry, stage, key and time together (SPEC B26): every overwritten value stays in
		// the document as a tombstone for good (B17). A move leaves `updatedAt` alone:
		// `stageEnteredAt` already dates a stage change, and a reorder within a column is no
		// update of the deal.
		setCardPlace(card, {
			stageId,
			order,
			stageEnteredAt: !entered && Number.isSafeInteger(since) ? (since as number) : at
		});
	}, origin);
}

export type DealFieldsPatch = {
	dealId: string;
	title?: string;
	/** `null` clears an optional field. */
	customerId?: string | null;
	customerName?: string | null;
	customerPhone?: string | null;
	amount?: number;
	/** Why the amount changed; written (or cleared) with every amount change (SPEC B20). */
	amountReason?: string | null;
	/** `YYYY-MM-DD`; `null` clears it. */
	expectedCloseDate?: string | null;
	source?: string | null;
	at?: number;
};

export function updateDealFields(dealDoc: Y.Doc, input: DealFieldsPatch, origin: Origin) {
	const card = cardOf(dealDoc, input.dealId);
	const patch: Record<string, unknown> = {};
	if (input.title !== undefined) patch.title = v.text(input.title, 'title', v.limits.title);
	if (input.amount !== undefined) {
		patch.amount = v.amount(input.amount);
		// The reason belongs to this change only: a later change without one clears it.
		patch.amountReason =
			v.optionalText(input.amountReason, 'amountReason', v.limits.amountReason) ?? null;
	} else if (input.amountReason !== undefined) {
		throw new BoardOpError('amount_required', { field: 'amount' });
	}
	if (input.expectedCloseDate !== undefined)
		patch.expectedCloseDate =
			input.expectedCloseDate === null || input.expectedCloseDate === ''
				? null
				: v.date(input.expectedCloseDate, 'expectedCloseDate');
	const source = v.optionalText(input.source, 'source', v.limits.source);
	if (source !== undefined) patch.source = source;
	const customerId = v.optionalUuid(input.customerId, 'customerId');
	if (customerId !== undefined) patch.customerId = customerId;
	const name = v.optionalText(input.customerName, 'customerName', v.limits.customerName);
	if (name !== undefined) patch.customerName = name;
	const phone = v.phone(input.customerPhone);
	if (phone !== undefined) patch.customerPhone = phone;
	write(dealDoc, card, patch, v.time(input.at), origin);
}

export function setStar(
	dealDoc: Y.Doc,
	input: { dealId: string; starred: boolean; at?: number },
	origin: Origin
) {
	const card = cardOf(dealDoc, input.dealId);
	write(dealDoc, card, { starred: input.starred === true }, v.time(input.at), origin);
}

/**
 * Points a card at a customer record and shows the record's name (SPEC B24): the server does it
 * when a typed phone turns out to be an existing customer's, when customers are merged, and when
 * one is renamed. Not an edit of the deal, so `updatedAt` stays; writes nothing (and returns
 * false) when the card already says so.
 */
export function followCustomer(
	dealDoc: Y.Doc,
	input: { dealId: string; customerId: string; customerName: string },
	origin: Origin
) {
	const card = cardOf(dealDoc, input.dealId);
	const customerId = v.uuid(input.customerId, 'customerId');
	const name = v.text(input.customerName, 'customerName', v.limits.customerName);
	if (cardField(card, 'customerId') === customerId && cardField(card, 'customerName') === name)
		return false;
	dealDoc.transact(() => {
		if (cardField(card, 'customerId') !== customerId) card.set('customerId', customerId);
		if (cardField(card, 'customerName') !== name) card.set('customerName', name);
	}, origin);
	return true;
}

/**
 * Writes the ledger figures the server computed for a deal (SPEC B21): `paid` and `overdue`,
 * integer đồng ≥ 0. Server and job origins only; `updatedAt` is not touched (not an edit of the
 * deal). Writes nothing when both are already what they should be.
 */
export function setLedger(
	dealDoc: Y.Doc,
	input: { dealId: string; paid: number; overdue: number },
	origin: Origin
) {
	if (origin.kind === 'user') throw new BoardOpError('forbidden', { field: 'paid' });
	const card = cardOf(dealDoc, input.dealId);
	const paid = v.amount(input.paid, 'paid');
	const overdue = v.amount(input.overdue, 'overdue');
	if (cardField(card, 'paid') === paid && cardField(card, 'overdue') === overdue) return false;
	dealDoc.transact(() => {
		if (cardField(card, 'paid') !== paid) card.set('paid', paid);
		if (cardField(card, 'overdue') !== overdue) card.set('overdue', overdue);
	}, origin);
	return true;
}

/**
 * Writes when the customer was last contacted (SPEC B22): the latest `at` of the deal's contact
 * log, or null (the key is deleted) when the log is empty. Server and job origins only; not an
 * edit of the deal, so `updatedAt` stays. Writes nothing when the card already holds it.
 */
export function setLastContact(
	dealDoc: Y.Doc,
	input: { dealId: string; lastContactAt: number | null },
	origin: Origin
) {
	if (origin.kind === 'user') throw new BoardOpError('forbidden', { field: 'lastContactAt' });
	const card = cardOf(dealDoc, input.dealId);
	const at =
		input.lastContactAt === null ? undefined : v.time(input.lastContactAt, 'lastContactAt');
	if ((cardField(card, 'lastContactAt') ?? undefined) === at) return false;
	dealDoc.transact(() => {
		if (at === undefined) clearCardField(card, 'lastContactAt');
		else card.set('lastContactAt', at);
	}, origin);
	return true;
}

/** Lost needs `lostReason`, standby needs `standbyUntil` (YYYY-MM-DD); others clear both. */
export function setStatus(
	dealDoc: Y.Doc,
	input: {
		dealId: string;
		status: DealStatus;
		lostReason?: string;
		standbyUntil?: string;
		at?: number;
	},
	origin: Origin
) {
	const card = cardOf(dealDoc, input.dealId);
	const status = v.status(input.status);
	const next: Record<string, unknown> = { status, lostReason: null, standbyUntil: null };
	if (status === 'lost') {
		if (typeof input.lostReason !== 'string' || input.lostReason.trim() === '') {
			throw new BoardOpError('reason_required', { field: 'lostReason' });
		}
		next.lostReason = v.text(input.lostReason, 'lostReason', v.limits.lostReason);
	}
	if (status === 'standby') {
		if (input.standbyUntil === undefined || input.standbyUntil === '') {
			throw new BoardOpError('date_required', { field: 'standbyUntil' });
		}
		next.standbyUntil = v.date(input.standbyUntil, 'standbyUntil');
	}
	const at = v.time(input.at);
	if (Object.entries(next).every(([k, val]) => (cardField(card, k) ?? null) === val)) return;
	// All three keys, every time, null for an unused companion (SPEC B14): when every write of
	// `status` also writes both companions, Yjs picks the same winning op for all three keys, so a
	// lost deal keeps the reason written with it. Writing only what changed let a concurrent
	// write win the reason key and a later delete empty it under a winning `lost`.
	dealDoc.transact(() => {
		for (const [k, val] of Object.entries(next)) card.set(k, val);
		card.set('updatedAt', at);
	}, origin);
}

/** Removes the card; edits made to it concurrently elsewhere vanish with it (SPEC B6). */
export function removeDeal(dealDoc: Y.Doc, input: { dealId: string }, origin: Origin) {
	cardOf(dealDoc, input.dealId);
	dealDoc.transact(() => dealsMap(dealDoc).delete(input.dealId), origin);
}

/**
 * Moves every card that names a deleted stage into the stage it resolves to (SPEC B11), after
 * the column's last card, keeping their relative order. Cards naming a stage this replica has
 * not seen yet are left alone: it may exist elsewhere. Returns how many cards moved.
 */
export function moveDealsFromDeletedStages(
	scope: DealScope,
	input: { at?: number } = {},
	origin: Origin
): number {
	const at = v.time(input.at);
	const deleted = new Set(
		readAllStages(scope.pipelineDoc)
			.filter((s) => s.deletedAt !== undefined)
			.map((s) => s.id)
	);
	const resolve = stageResolver(scope.pipelineDoc);
	const moves = new Map<string, { id: string; order: string }[]>();
	for (const [id, card] of dealsMap(scope.dealDoc)) {
		const stored = cardField(card, 'stageId');
		if (typeof stored !== 'string' || !deleted.has(stored)) continue;
		const target = resolve(stored);
		// A deleted stage shown again (every stage deleted, SPEC B12) keeps its cards.
		if (target === null || target === stored) continue;
		const list = moves.get(target) ?? [];
		list.push({ id, order: String(cardField(card, 'order') ?? '') });
		moves.set(target, list);
	}
	if (moves.size === 0) return 0;
	const writes: { id: string; stageId: string; order: string }[] = [];
	for (const [stageId, list] of moves) {
		list.sort(compareOrder);
		// The column already shows these cards (they resolve to it), so they land after all.
		const keys = keysAfter(
			lastKey(scope, stageId),
			list.map((d) => d.id)
		);
		list.forEach((d, i) => writes.push({ id: d.id, stageId, order: keys[i]! }));
	}
	scope.dealDoc.transact(() => {
		for (const w of writes) {
			const card = dealsMap(scope.dealDoc).get(w.id)!;
			// A move like any other: stage, key and the time it entered; not updatedAt (SPEC B7).
			setCardPlace(card, { stageId: w.stageId, order: w.order, stageEnteredAt: at });
		}
	}, origin);
	return writes.length;
}

function cardOf(dealDoc: Y.Doc, dealId: string) {
	const card = typeof dealId === 'string' ? dealsMap(dealDoc).get(dealId) : undefined;
	if (!card) throw new BoardOpError('deal_not_found', { field: 'dealId' });
	return card;
}

function neighbours(input: { after?: string; before?: string }) {
	const out: { after?: string; before?: string } = {};
	if (input.after !== undefined) out.after = input.after;
	if (input.before !== undefined) out.before = input.before;
	return out;
}

/**
 * Applies a patch where `null` clears an optional field (B25). Bumps `updatedAt` if anything
 * changed.
 */
function write(
	doc: Y.Doc,
	card: Y.Map<unknown>,
	patch: Record<string, unknown>,
	at: number,
	origin: Origin
) {
	const changed = Object.entries(patch).filter(([k, val]) =>
		val === null ? cardField(card, k) != null : cardField(card, k) !== val
	);
	if (changed.length === 0) return;
	doc.transact(() => {
		for (const [k, val] of changed) {
			if (val === null) clearCardField(card, k);
			else card.set(k, val);
		}
		card.set('updatedAt', at);
	}, origin);
}
