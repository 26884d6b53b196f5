import * as Y from 'yjs';
import { activityKinds, type ActivityKind } from './kinds';

// The shape of `deal:<dealId>` (SPEC D1–D3). Only this module names its shared types and keys.

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
