import * as Y from 'yjs';

// Document names on the wire (design.md): one pipeline document holds its stages and settings.
export const pipelineDocName = (pipelineId: string) => `pipeline:${pipelineId}`;

export type StageFields = {
	name: string;
	/** Fractional-index key; stages sort by it, ties broken by id. */
	order: string;
	color: string;
	/** Percent, 0–100. */
	winProbability: number;
	/** Days a deal may sit in the stage before it is flagged; 0 = never. */
	rotDays: number;
};

export type Stage = StageFields & { id: string };

/** Stages keyed by stage id; each stage is a Y.Map so concurrent edits of two fields both win. */
export function stagesMap(doc: Y.Doc) {
	return doc.getMap<Y.Map<unknown>>('stages');
}

export function settingsMap(doc: Y.Doc) {
	return doc.getMap<unknown>('settings');
}

export function readStages(doc: Y.Doc): Stage[] {
	const out: Stage[] = [];
	for (const [id, m] of stagesMap(doc)) {
		out.push({
			id,
			name: String(m.get('name') ?? ''),
			order: String(m.get('order') ?? ''),
			color: String(m.get('color') ?? '#64748b'),
			winProbability: Number(m.get('winProbability') ?? 0),
			rotDays: Number(m.get('rotDays') ?? 0)
		});
	}
	return out.sort((a, b) =>
		a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
	);
}
