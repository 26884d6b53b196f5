import * as Y from 'yjs';
import { BoardOpError } from '$lib/board/errors';
import type { Origin } from '$lib/board/origin';
import * as v from '$lib/board/validate';
import { contactsMap, notesText, tasksMap } from './doc';
import {
	activityKinds,
	taskRemindChoices,
	type ActivityKind,
	type TaskRemindBefore
} from './kinds';

// Named operations on `deal:<dealId>` (SPEC D2, D3, D5): validate first, then one transaction with
// its origin. Refusals are BoardOpErrors, translated like the board's.

export const dealLimits = {
	summary: 2000,
	needs: 1000,
	nextStep: 1000,
	notes: 20_000,
	taskTitle: 500
} as const;

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

// --- Tasks (D5) ------------------------------------------------------------------------------

export type TaskInput = {
	title: string;
	/** Due, ms since the epoch. */
	dueAt: number;
	remindBefore: TaskRemindBefore;
	/** `null` = nobody. */
	assigneeId?: string | null;
};

export function remindBefore(value: unknown, field = 'remindBefore'): TaskRemindBefore {
	if (!taskRemindChoices.includes(value as TaskRemindBefore)) {
		throw new BoardOpError('invalid_setting', { field });
	}
	return value as TaskRemindBefore;
}

function taskFieldsOf(input: Partial<TaskInput>) {
	const out: Record<string, unknown> = {};
	if (input.title !== undefined) out.title = v.text(input.title, 'title', dealLimits.taskTitle);
	if (input.dueAt !== undefined) {
		if (input.dueAt === null) throw new BoardOpError('required', { field: 'dueAt' });
		out.dueAt = v.time(input.dueAt, 'dueAt');
	}
	if (input.remindBefore !== undefined) out.remindBefore = remindBefore(input.remindBefore);
	if (input.assigneeId !== undefined)
		out.assigneeId = v.optionalUuid(input.assigneeId, 'assigneeId') ?? null;
	return out;
}

/** Adds a task (D5); `id` is made by the caller (offline too). */
export function addTask(
	doc: Y.Doc,
	input: TaskInput & { id: string; createdBy: string; createdAt?: number },
	origin: Origin
) {
	const id = v.uuid(input.id, 'id');
	if (tasksMap(doc).has(id)) throw new BoardOpError('deal_exists', { field: 'id' });
	if (input.title === undefined) throw new BoardOpError('required', { field: 'title' });
	if (input.dueAt === undefined) throw new BoardOpError('required', { field: 'dueAt' });
	const fields = taskFieldsOf({ ...input, remindBefore: input.remindBefore ?? 0 });
	fields.createdBy = v.uuid(input.createdBy, 'createdBy');
	fields.createdAt = v.time(input.createdAt, 'createdAt');
	doc.transact(() => {
		const entry = new Y.Map<unknown>();
		for (const [k, val] of Object.entries(fields)) if (val !== null) entry.set(k, val);
		tasksMap(doc).set(id, entry);
	}, origin);
}

/** Changes the given fields of a task; `assigneeId: null` leaves it with nobody. */
export function editTask(
	doc: Y.Doc,
	input: Partial<TaskInput> & { id: string; updatedAt?: number },
	origin: Origin
) {
	const entry = tasksMap(doc).get(input.id);
	if (!(entry instanceof Y.Map)) throw new BoardOpError('deal_not_found', { field: 'id' });
	const fields = taskFieldsOf(input);
	const changed = Object.entries(fields).filter(([k, val]) =>
		val === null ? entry.has(k) : entry.get(k) !== val
	);
	if (changed.length === 0) return;
	const updatedAt = v.time(input.updatedAt, 'updatedAt');
	doc.transact(() => {
		for (const [k, val] of changed) {
			if (val === null) entry.delete(k);
			else entry.set(k, val);
		}
		entry.set('updatedAt', updatedAt);
	}, origin);
}

/** Ticks a task done (by `by`, at `at` or now) or back to open; a repeated tick changes nothing. */
export function setTaskDone(
	doc: Y.Doc,
	input: { id: string; done: boolean; by: string; at?: number },
	origin: Origin
) {
	const entry = tasksMap(doc).get(input.id);
	if (!(entry instanceof Y.Map)) throw new BoardOpError('deal_not_found', { field: 'id' });
	if (typeof input.done !== 'boolean') throw new BoardOpError('invalid_setting', { field: 'done' });
	const by = v.uuid(input.by, 'by');
	const at = v.time(input.at, 'at');
	const isDone = typeof entry.get('doneAt') === 'number';
	if (input.done === isDone) return;
	doc.transact(() => {
		if (input.done) {
			entry.set('doneAt', at);
			entry.set('doneBy', by);
		} else {
			entry.delete('doneAt');
			entry.delete('doneBy');
		}
	}, origin);
}

export function removeTask(doc: Y.Doc, input: { id: string }, origin: Origin) {
	if (!tasksMap(doc).has(input.id)) throw new BoardOpError('deal_not_found', { field: 'id' });
	doc.transact(() => tasksMap(doc).delete(input.id), origin);
}
