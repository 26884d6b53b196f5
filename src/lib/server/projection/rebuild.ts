import { asc, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { parseBoardDocName, pipelineDocName, readSettings } from '$lib/board/doc';
import { readStates } from '../collab/log';
import type { Db } from '../db';
import { pipelines } from '../db/schema';
import { shardNames } from '../pipelines/pipelines.repo';
import * as repo from './projection.repo';
import { boardRows, sameDeal, shardRows, stageRows, type DealRow } from './rows';
import { reconcileReceivables } from '../receivables/refresh';

// `npm run projections:rebuild`: the `stages` and `deals` tables recomputed from the stored
// documents (snapshot plus log, which holds every acknowledged update), one pipeline per
// transaction under the pipeline's projection lock, so it is safe while the app runs. Rows are
// computed from scratch by the same functions as the live projection (rows.ts), then written as
// a difference: what is already right stays untouched, attribution included, and the counts say
// how far the live tables had drifted (0 when the live projection is exact).

export type RebuildCounts = {
	pipelines: number;
	stages: { inserted: number; updated: number; deleted: number };
	deals: { inserted: number; updated: number; deleted: number };
};

export async function rebuild(
	db: Db,
	{ pipelineIds }: { pipelineIds?: string[] } = {}
): Promise<RebuildCounts> {
	const counts: RebuildCounts = {
		pipelines: 0,
		stages: { inserted: 0, updated: 0, deleted: 0 },
		deals: { inserted: 0, updated: 0, deleted: 0 }
	};
	// Oldest first: a deal id found in two pipelines stays with the one that holds it (rows.ts),
	// so the order decides only for ids that were never projected before.
	const list = await db
		.select({ id: pipelines.id, orgId: pipelines.orgId })
		.from(pipelines)
		.where(pipelineIds ? inArray(pipelines.id, pipelineIds) : undefined)
		.orderBy(asc(pipelines.createdAt), asc(pipelines.id));
	for (const pipeline of list) {
		const one = await rebuildPipeline(db, { pipelineId: pipeline.id, orgId: pipeline.orgId });
		counts.pipelines += 1;
		for (const table of ['stages', 'deals'] as const) {
			for (const k of ['inserted', 'updated', 'deleted'] as const)
				counts[table][k] += one[table][k];
		}
	}
	// What won deals owe follows the rebuilt rows (receivables R14).
	for (const orgId of new Set(list.map((p) => p.orgId))) await reconcileReceivables(db, { orgId });
	return counts;
}

async function rebuildPipeline(
	db: Db,
	{ pipelineId, orgId }: { pipelineId: string; orgId: string }
) {
	return db.transaction(async (tx) => {
		await repo.lockPipeline(tx, { pipelineId });
		const [listed] = await shardNames(tx, { pipelineIds: [pipelineId] });
		const names = listed?.names ?? [];
		const states = await readStates(tx, { docNames: [pipelineDocName(pipelineId), ...names] });
		const docOf = (name: string) => {
			const doc = new Y.Doc();
			const state = states.get(name);
			if (state) Y.applyUpdate(doc, state);
			return doc;
		};

		const pipelineDoc = docOf(pipelineDocName(pipelineId));
		await repo.writeSettings(tx, { orgId, pipelineId, settings: readSettings(pipelineDoc) });
		const stageCounts = await repo.writeStages(tx, {
			pipelineId,
			rows: stageRows({ pipelineDoc, orgId, pipelineId }),
			updatedBy: () => null
		});
		pipelineDoc.destroy();

		const shards: DealRow[][] = [];
		for (const name of names) {
			const parsed = parseBoardDocName(name);
			if (parsed?.kind !== 'deals') continue;
			const dealDoc = docOf(name);
			shards.push(shardRows({ dealDoc, orgId, pipelineId, ownerId: parsed.ownerId }));
			dealDoc.destroy();
		}
		const target = await repo.withKnownCustomers(tx, { orgId, rows: boardRows(shards) });
		const existing = new Map(
			(await repo.dealsOfPipeline(tx, { pipelineId })).map((r) => [r.id, r])
		);
		const ids = new Set(target.map((r) => r.id));
		const gone = [...existing.keys()].filter((id) => !ids.has(id));
		const deleted = await repo.deleteDeals(tx, { pipelineId, ids: gone });
		const changed = target.filter((r) => {
			const old = existing.get(r.id);
			return !old || !sameDeal(old, r);
		});
		const written = await repo.upsertDeals(tx, {
			rows: changed.map((r) => ({ ...r, updatedBy: null })),
			mode: 'rebuild'
		});
		const inserted = written.filter((id) => !existing.has(id)).length;
		return {
			stages: stageCounts,
			deals: { inserted, updated: written.length - inserted, deleted: deleted.length }
		};
	});
}
