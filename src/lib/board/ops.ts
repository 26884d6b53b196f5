import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import { settingsMap, stagesMap, type StageFields } from './doc';
import type { Origin } from './origin';

// The only code that changes a board document: each operation is one transaction with a typed
// origin. Components and the server call these, never Y.Map#set directly.

export type NewStage = Omit<StageFields, 'order'> & { id: string };

/** Fills an empty pipeline document with its stages, in the given order. */
export function initPipeline(
	doc: Y.Doc,
	{ name, stages }: { name: string; stages: NewStage[] },
	origin: Origin
) {
	doc.transact(() => {
		const settings = settingsMap(doc);
		settings.set('name', name);
		settings.set('visibility', 'all');
		settings.set('editing', 'own');
		const keys = generateNKeysBetween(null, null, stages.length);
		const map = stagesMap(doc);
		stages.forEach((s, i) => {
			const m = new Y.Map<unknown>();
			m.set('name', s.name);
			m.set('order', keys[i]!);
			m.set('color', s.color);
			m.set('winProbability', s.winProbability);
			m.set('rotDays', s.rotDays);
			map.set(s.id, m);
		});
	}, origin);
}
