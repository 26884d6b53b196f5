import * as Y from 'yjs';
import {
	activityKinds,
	taskRemindChoices,
	type ActivityKind,
	type TaskRemindBefore
} from './kinds';

// The shape of `deal:<dealId>` (SPEC D1–D5). Only this module names its shared types and keys.

export const dealDocName = (dealId: string) => `deal:${dealId}`;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const DEAL_NAME = new RegExp(`^deal:(${UUID})$`);

/** The deal id of a deal document name, or null for any other name. */
export function parseDealDocName(name: string): string | null {
	return DEAL_NAME.exec(name)?.[1] ?? null;
}

export type Contact = {
	id: string;
	kind: ActivityKind;
	/** When it happened, ms since the epoch. */
	at: number;
	summary: string;
	needs?: string;
	nextStep?: string;
	createdBy: string;
	createdAt: number;
	updatedAt?: number;
};

export const contactsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('contacts');
export const notesText = (doc: Y.Doc) => doc.getText('notes');
export const tasksMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('tasks');

/** Every entry of the contact log, newest contact first; malformed entries are skipped. */
export function readContacts(doc: Y.Doc): Contact[] {
	const out: Contact[] = [];
	for (const [id, entry] of contactsMap(doc)) {
		if (!(entry instanceof Y.Map)) continue;
		const kind = entry.get('kind');
		const summary = entry.get('summary');
		const at = entry.get('at');
		if (typeof summary !== 'string' || typeof at !== 'number') continue;
		const c: Contact = {
			id,
			kind: activityKinds.includes(kind as ActivityKind) ? (kind as ActivityKind) : 'note',
			at,
			summary,
			createdBy:
				typeof entry.get('createdBy') === 'string' ? (entry.get('createdBy') as string) : '',
			createdAt:
				typeof entry.get('createdAt') === 'number' ? (entry.get('createdAt') as number) : at
		};
		for (const key of ['needs', 'nextStep'] as const) {
			const v = entry.get(key);
			if (typeof v === 'string' && v !== '') c[key] = v;
		}
		const updatedAt = entry.get('updatedAt');
		if (typeof updatedAt === 'number') c.updatedAt = updatedAt;
		out.push(c);
	}
	return out.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
}

export type Task = {
	id: string;
	title: string;
	/** Due, ms since the epoch. */
	dueAt: number;
	/** Minutes before `dueAt` the reminder goes out. */
	remindBefore: TaskRemindBefore;
	assigneeId?: string;
	doneAt?: number;
	doneBy?: string;
	createdBy: string;
	createdAt: number;
	updatedAt?: number;
};

const str = (entry: Y.Map<unknown>, key: string) => {
	const v = entry.get(key);
	return typeof v === 'string' && v !== '' ? v : undefined;
};
const num = (entry: Y.Map<unknown>, key: string) => {
	const v = entry.get(key);
	return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/**
 * Every task (D5), open ones first by due time, then done ones most recently ticked first;
 * entries without a title or due time are skipped, an unknown remind-before reads as 0.
 */
export function readTasks(doc: Y.Doc): Task[] {
	const out: Task[] = [];
	for (const [id, entry] of tasksMap(doc)) {
		if (!(entry instanceof Y.Map)) continue;
		const title = entry.get('title');
		const dueAt = num(entry, 'dueAt');
		if (typeof title !== 'string' || dueAt === undefined) continue;
		const remind = entry.get('remindBefore');
		const t: Task = {
			id,
			title,
			dueAt,
			remindBefore: taskRemindChoices.includes(remind as TaskRemindBefore)
				? (remind as TaskRemindBefore)
				: 0,
			createdBy: str(entry, 'createdBy') ?? '',
			createdAt: num(entry, 'createdAt') ?? dueAt
		};
		const assigneeId = str(entry, 'assigneeId');
		if (assigneeId) t.assigneeId = assigneeId;
		const doneAt = num(entry, 'doneAt');
		if (doneAt !== undefined) {
			t.doneAt = doneAt;
			const doneBy = str(entry, 'doneBy');
			if (doneBy) t.doneBy = doneBy;
		}
		const updatedAt = num(entry, 'updatedAt');
		if (updatedAt !== undefined) t.updatedAt = updatedAt;
		out.push(t);
	}
	return out.sort((a, b) => {
		if ((a.doneAt === undefined) !== (b.doneAt === undefined))
			return a.doneAt === undefined ? -1 : 1;
		if (a.doneAt !== undefined && b.doneAt !== undefined && a.doneAt !== b.doneAt)
			return b.doneAt - a.doneAt;
		return a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1);
	});
}
