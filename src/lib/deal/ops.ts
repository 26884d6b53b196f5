import * as Y from 'yjs';
import { BoardOpError } from '$lib/board/errors';
import type { Origin } from '$lib/board/origin';
import * as v from '$lib/board/validate';
import { contactsMap, notesText } from './doc';
import { activityKinds, type ActivityKind } from './kinds';

// Named operations on `deal:<dealId>` (SPEC D2, D3): validate first, then one transaction with
// its origin. Refusals are BoardOpErrors, translated like the board's.

export const dealLimits = { summary: 2000, needs: 1000, nextStep: 1000, notes: 20_000 } as const;

export type ContactInput = {
	kind: ActivityKind;
	at: number;
	summary: string;
	needs?: string | null;
	nextStep?: string | null;
};

function kind(value: unknown): ActivityKind {
	if (!activityKinds.includes(value as ActivityKind)) {
		throw new BoardOpError('invalid_setting', { field: 'kind' });
	}
	return value as ActivityKind;
}

function fieldsOf(input: Partial<ContactInput>) {
	const out: Record<string, unknown> = {};
	if (input.kind !== undefined) out.kind = kind(input.kind);
	if (input.at !== undefined) out.at = v.time(input.at, 'at');
	if (input.summary !== undefined)
		out.summary = v.text(input.summary, 'summary', dealLimits.summary);
	if (input.needs !== undefined)
		out.needs = v.optionalText(input.needs, 'needs', dealLimits.needs) ?? null;
	if (input.nextStep !== undefined)
		out.nextStep = v.optionalText(input.nextStep, 'nextStep', dealLimits.nextStep) ?? null;
	return out;
}

/** Adds an entry to the contact log (D2); `id` is made by the caller (offline too). */
export function addContact(
	doc: Y.Doc,
	input: ContactInput & { id: string; createdBy: string; createdAt?: number },
	origin: Origin
) {
	const id = v.uuid(input.id, 'id');
	if (contactsMap(doc).has(id)) throw new BoardOpError('deal_exists', { field: 'id' });
	const fields = fieldsOf(input);
	if (fields.kind === undefined) throw new BoardOpError('required', { field: 'kind' });
	fields.createdBy = v.uuid(input.createdBy, 'createdBy');
	fields.createdAt = v.time(input.createdAt);
	doc.transact(() => {
		const entry = new Y.Map<unknown>();
		for (const [k, val] of Object.entries(fields)) if (val !== null) entry.set(k, val);
		contactsMap(doc).set(id, entry);
	}, origin);
}

/** Changes the given fields of an entry; `null` or blank clears `needs` / `nextStep`. */
export function updateContact(
	doc: Y.Doc,
	input: Partial<ContactInput> & { id: string; at?: number; updatedAt?: number },
	origin: Origin
) {
	const entry = contactsMap(doc).get(input.id);
	if (!(entry instanceof Y.Map)) throw new BoardOpError('deal_not_found', { field: 'id' });
	const fields = fieldsOf(input);
	const changed = Object.entries(fields).filter(([k, val]) =>
		val === null ? entry.has(k) : entry.get(k) !== val
	);
	if (changed.length === 0) return;
	const updatedAt = v.time(input.updatedAt);
	doc.transact(() => {
		for (const [k, val] of changed) {
			if (val === null) entry.delete(k);
			else entry.set(k, val);
		}
		entry.set('updatedAt', updatedAt);
	}, origin);
}

export function removeContact(doc: Y.Doc, input: { id: string }, origin: Origin) {
	if (!contactsMap(doc).has(input.id)) throw new BoardOpError('deal_not_found', { field: 'id' });
	doc.transact(() => contactsMap(doc).delete(input.id), origin);
}

/**
 * Makes the notes read `next` (D3): one delete and one insert at the first and last characters
 * that differ from what the document holds now, so concurrent typing elsewhere survives.
 */
export function editNotes(doc: Y.Doc, input: { next: string }, origin: Origin) {
	if (typeof input.next !== 'string') throw new BoardOpError('required', { field: 'notes' });
	if ([...input.next].length > dealLimits.notes) {
		throw new BoardOpError('too_long', { field: 'notes', params: { max: dealLimits.notes } });
	}
	const text = notesText(doc);
	const prev = text.toString();
	if (prev === input.next) return;
	let start = 0;
	const max = Math.min(prev.length, input.next.length);
	while (start < max && prev[start] === input.next[start]) start++;
	let end = 0;
	while (
		end < max - start &&
		prev[prev.length - 1 - end] === input.next[input.next.length - 1 - end]
	)
		end++;
	doc.transact(() => {
		const removed = prev.length - start - end;
		if (removed > 0) text.delete(start, removed);
		const inserted = input.next.slice(start, input.next.length - end);
		if (inserted) text.insert(start, inserted);
	}, origin);
}
