import { and, asc, eq, isNull } from 'drizzle-orm';
import { generateKeyBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { pipelineDocName, readStages, type Stage } from '$lib/board/doc';
import { initPipeline, type NewStage } from '$lib/board/ops';
import { readStates } from '../collab/log';
import type { Tx } from '../db';
import { collabDocuments, pipelines } from '../db/schema';

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

type Locale = 'vi' | 'en';

// The default pipeline every new organisation starts with (issue 3): names per the
// organisation's locale, the same colours, win probabilities and rot days in both.
const defaultPipeline: Record<Locale, { name: string; stages: string[] }> = {
	vi: {
		name: 'Quy trình bán hàng',
		stages: ['Tiếp cận', 'Khảo sát nhu cầu', 'Báo giá', 'Đàm phán', 'Ký hợp đồng', 'Triển khai']
	},
	en: {
		name: 'Sales pipeline',
		stages: [
			'Prospecting',
			'Needs analysis',
			'Quotation',
			'Negotiation',
			'Contract signing',
			'Delivery'
		]
	}
};
const defaultStageShape: Omit<NewStage, 'id' | 'name'>[] = [
	{ color: '#64748b', winProbability: 10, rotDays: 7 },
	{ color: '#0ea5e9', winProbability: 20, rotDays: 10 },
	{ color: '#6366f1', winProbability: 40, rotDays: 14 },
	{ color: '#f59e0b', winProbability: 60, rotDays: 14 },
	{ color: '#10b981', winProbability: 80, rotDays: 7 },
	{ color: '#0f766e', winProbability: 100, rotDays: 30 }
];

/**
 * Creates the organisation's default pipeline: its ledger row and its document's initial state,
 * stored as the document's snapshot (through_seq 0, no log rows yet), which is exactly what
 * `collabLog.loadInto` applies first when the collab server opens the document. Call it inside
 * the transaction that creates the organisation, so neither exists without the other.
 */
export async function createDefault(
	tx: Tx,
	{ orgId, locale, createdBy }: { orgId: string; locale: Locale; createdBy: string | null }
) {
	const { name, stages } = defaultPipeline[locale];
	const [row] = await tx
		.insert(pipelines)
		.values({ orgId, name, position: generateKeyBetween(null, null), createdBy })
		.returning();
	const doc = new Y.Doc();
	initPipeline(
		doc,
		{
			name,
			stages: stages.map((stageName, i) => ({
				...defaultStageShape[i]!,
				id: uuidv7(),
				name: stageName
			}))
		},
		{ kind: 'server', reason: 'default-pipeline' }
	);
	await tx
		.insert(collabDocuments)
		.values({ name: pipelineDocName(row!.id), state: Y.encodeStateAsUpdate(doc), throughSeq: 0 });
	doc.destroy();
	return row!;
}
