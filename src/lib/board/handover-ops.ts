import type * as Y from 'yjs';
import {
	cardField,
	cardReader,
	clearCardField,
	dealFields,
	dealStatuses,
	dealsMap,
	fieldsOfEntry,
	isPlaceField,
	newCard,
	setCardPlace,
	type Deal
} from './doc';
import { BoardOpError } from './errors';
import type { Origin } from './origin';
import { readCard } from './read';
import * as v from './validate';

// Handing a deal to another owner (SPEC B19). A deal lives in its owner's shard, so a new owner
// means a new shard: the server writes the new copy (`receiveDeal`), then marks the old one
// (`handOver`), never deleting it, because a replica that was offline may still send edits to
// the old copy; the server carries those over (`forwardEdits`), so none is lost.

/** The fields a new copy takes from the old one: all but the owner and the hand-over mark. */
const copied = dealFields.filter(
	(k): k is Exclude<(typeof dealFields)[number], 'ownerId' | 'updatedAt' | 'movedTo'> =>
		k !== 'ownerId' && k !== 'updatedAt' && k !== 'movedTo'
);

/**
 * Writes the new owner's copy of `deal` (as read from the old copy) into the new owner's shard.
 * If the shard already holds the deal (a retried hand-over), nothing is written.
 */
export function receiveDeal(
	dealDoc: Y.Doc,
	input: { deal: Deal; ownerId: string; at?: number },
	origin: Origin
) {
	const ownerId = v.uuid(input.ownerId, 'ownerId');
	const id = v.uuid(input.deal.id, 'id');
	if (dealsMap(dealDoc).has(id)) return false;
	const at = v.time(input.at);
	const fields: Record<string, unknown> = {};
	for (const key of copied) {
		const value = input.deal[key];
		if (value !== undefined) fields[key] = value;
	}
	// B14: the status companions are present (null when unused) once a status was ever set.
	if (input.deal.status !== 'open' || 'lostReason' in fields || 'standbyUntil' in fields) {
		fields.lostReason ??= null;
		fields.standbyUntil ??= null;
	}
	Object.assign(fields, { ownerId, updatedAt: at });
	dealDoc.transact(() => dealsMap(dealDoc).set(id, newCard(fields)), origin);
	return true;
}

/** Marks the old copy as handed to `toOwnerId`; readers stop showing it (B16, B19). */
export function handOver(
	dealDoc: Y.Doc,
	input: { dealId: string; toOwnerId: string; at?: number },
	origin: Origin
) {
	const card = dealsMap(dealDoc).get(input.dealId);
	if (!card) throw new BoardOpError('deal_not_found', { field: 'dealId' });
	const to = v.uuid(input.toOwnerId, 'ownerId');
	if (cardField(card, 'movedTo') === to) return;
	const at = v.time(input.at);
	dealDoc.transact(() => {
		card.set('movedTo', to);
		card.set('updatedAt', at);
	}, origin);
}

/**
 * Carries edits that reached an old copy after the hand-over (a replica that was offline) over
 * to the new copy: the given keys take the old copy's current values. A status key brings its
 * companions along (B14). Values that fail validation are skipped, not written: they came from a
 * client, and one bad field must not cost the others. Returns the keys written.
 */
export function forwardEdits(
	dealDoc: Y.Doc,
	input: { from: Deal; keys: readonly string[]; at?: number },
	origin: Origin
): string[] {
	const card = dealsMap(dealDoc).get(input.from.id);
	if (!card) throw new BoardOpError('deal_not_found', { field: 'dealId' });
	const keys = new Set(
		input.keys
			.flatMap((k) => fieldsOfEntry(k))
			.filter((k) => (copied as readonly string[]).includes(k))
	);
	if (keys.has('status') || keys.has('lostReason') || keys.has('standbyUntil')) {
		keys.add('status').add('lostReason').add('standbyUntil');
	}
	const from = input.from;
	const patch: Record<string, unknown> = {};
	for (const key of keys) {
		const value = checked(key, from[key as keyof Deal]);
		if (value === SKIP) continue;
		// A cleared field may read null (over a creation value, B25) or undefined: both are empty.
		const differs =
			value === undefined ? cardField(card, key) != null : cardField(card, key) !== value;
		if (differs) patch[key] = value;
	}
	const written = Object.keys(patch);
	if (written.length === 0) return [];
	const at = v.time(input.at);
	const read = cardReader(card);
	dealDoc.transact(() => {
		for (const [k, val] of Object.entries(patch)) {
			if (isPlaceField(k)) continue;
			if (val === undefined) clearCardField(card, k);
			else card.set(k, val);
		}
		// Where the card is goes as one entry (B26), completed from the new copy's own.
		if (written.some(isPlaceField)) {
			setCardPlace(card, {
				stageId: (patch.stageId ?? read('stageId')) as string,
				order: (patch.order ?? read('order')) as string,
				stageEnteredAt: (patch.stageEnteredAt ?? read('stageEnteredAt')) as number
			});
		}
		card.set('updatedAt', at);
	}, origin);
	return written;
}

const SKIP = Symbol('skip');

function checked(key: string, value: unknown): unknown {
	try {
		switch (key) {
			case 'title':
				return v.text(value, key, v.limits.title);
			case 'customerName':
				return value === undefined ? undefined : v.text(value, key, v.limits.customerName);
			case 'customerPhone':
				return value === undefined ? undefined : v.phone(value);
			case 'customerId':
				return value === undefined ? undefined : v.uuid(value, key);
			case 'amount':
				return v.amount(value);
			case 'starred':
				return value === true;
			case 'status':
				return dealStatuses.includes(value as Deal['status']) ? value : SKIP;
			case 'lostReason':
			case 'standbyUntil':
				// Readers drop the unused companion; the stored form is null (B14).
				return typeof value === 'string' ? value : null;
			case 'stageId':
				return v.uuid(value, key);
			case 'order':
				return typeof value === 'string' && value !== '' ? value : SKIP;
			case 'createdAt':
			case 'stageEnteredAt':
				return value === undefined ? SKIP : v.time(value);
			case 'createdBy':
				return v.uuid(value, key);
			default:
				return SKIP;
		}
	} catch {
		return SKIP;
	}
}

/** The old copy's fields, read like any card (B16 readers). */
export function readOldCopy(dealDoc: Y.Doc, dealId: string): Deal | undefined {
	const card = dealsMap(dealDoc).get(dealId);
	return card ? readCard(dealId, card) : undefined;
}
