import { and, asc, eq, isNull } from 'drizzle-orm';
import * as Y from 'yjs';
import { pipelineDocName, readStages, type Stage } from '$lib/board/doc';
import { readStates } from '../collab/log';
import type { Tx } from '../db';
import { pipelines } from '../db/schema';

export type PipelineSummary = { id: string; name: string; stages: Stage[] };

/** The organisation's open pipelines in their order, each with its stages from its document. */
export async function listWithStages(
	db: Tx,
	{ orgId }: { orgId: string }
): Promise<PipelineSummary[]> {
	const rows = await db
		.select({ id: pipelines.id, name: pipelines.name })
		.from(pipelines)
		.where(and(eq(pipelines.orgId, orgId), isNull(pipelines.archivedAt)))
		.orderBy(asc(pipelines.position), asc(pipelines.id));
	if (rows.length === 0) return [];
	// Snapshot plus logged updates: what the collab server would load.
	const stateOf = await readStates(db, { docNames: rows.map((r) => pipelineDocName(r.id)) });
	return rows.map((r) => {
		const doc = new Y.Doc();
		const state = stateOf.get(pipelineDocName(r.id));
		if (state) Y.applyUpdate(doc, state);
		const stages = readStages(doc);
		doc.destroy();
		return { id: r.id, name: r.name, stages };
	});
}
