import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pipelineDocName, readStages } from '$lib/board/doc';
import { addStage, createDeal, deleteStage, setStatus } from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import { columns } from '$lib/board/read';
import { Prng } from '$lib/board/testing/prng';
import * as collabLog from '$lib/server/collab/log';
import { pipelines } from '$lib/server/db/schema';
import { addMember, createOrg, createUser } from '../../../../tests/support/factories';
import { testDb } from '../../../../tests/support/db';
import { boardPreview } from './preview';
import { projectPipeline, projectShard } from './project';

// The board's first screen from the projection must be what the board shows from the
// documents with its default filter (open deals): same columns, counts, figures and first cards.

const { db } = await testDb();
const owner = await createUser(db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(db, { ownerId: owner.id });
const rep = await createUser(db, { name: 'Lê Văn Nam' });
await addMember(db, { orgId: org.id, userId: rep.id, role: 'sales' });
const [pipeline] = await db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const pipelineId = pipeline!.id;
const server: Origin = { kind: 'server', reason: 'test' };

describe('board preview', () => {
	it('[B7] [B12] [B15] shows each column’s open deals, figures and first cards as the documents do', async () => {
		const prng = new Prng(7);
		const pipelineDoc = new Y.Doc();
		await collabLog.loadInto(db, { docName: pipelineDocName(pipelineId), doc: pipelineDoc });
		const extra = prng.uuid();
		addStage(pipelineDoc, { id: extra, name: 'Sắp xoá', winProbability: 35 }, server);
		const stageIds = readStages(pipelineDoc).map((s) => s.id);
		const shards = new Map([owner.id, rep.id].map((id) => [id, new Y.Doc()]));
		let at = Date.UTC(2026, 2, 1);
		for (const [ownerId, dealDoc] of shards) {
			for (let i = 0; i < 40; i++) {
				const id = prng.uuid();
				createDeal(
					{ pipelineDoc, dealDoc },
					{
						id,
						title: `Đơn ${i}`,
						stageId: prng.pick(stageIds),
						ownerId,
						amount: prng.int(0, 900) * 100_000,
						customerName: prng.chance(0.5) ? `Khách ${i}` : undefined,
						at: (at += 1000)
					},
					{ kind: 'user', userId: ownerId }
				);
				if (prng.chance(0.3)) {
					setStatus(
						dealDoc,
						{
							dealId: id,
							status: prng.pick(['won', 'lost', 'standby'] as const),
							lostReason: 'Giá',
							standbyUntil: '2026-09-01'
						},
						server
					);
				}
			}
		}
		// Cards still naming a deleted stage show in the stage it went to (B12).
		deleteStage(pipelineDoc, { stageId: extra, moveDealsTo: stageIds[1]! }, server);

		await projectPipeline(db, { orgId: org.id, pipelineId, pipelineDoc, attribution: new Map() });
		for (const [ownerId, dealDoc] of shards) {
			await projectShard(db, {
				orgId: org.id,
				pipelineId,
				ownerId,
				dealDoc,
				dealIds: null,
				attribution: new Map(),
				loadedDoc: () => undefined
			});
		}

		for (const ownerIds of [[owner.id, rep.id], [rep.id], []]) {
			const preview = await boardPreview(db, { pipelineId, ownerIds, perColumn: 5 });
			const board = columns({
				pipelineDoc,
				dealDocs: ownerIds.map((id) => shards.get(id)!),
				statuses: ['open']
			});
			expect(preview!.columns.map((c) => c.stage.id)).toEqual(board.map((c) => c.stage.id));
			expect(
				preview!.columns.map((c) => ({
					count: c.count,
					total: c.total,
					weighted: c.weighted,
					ids: c.deals.map((d) => d.id)
				}))
			).toEqual(
				board.map((c) => ({
					count: c.count,
					total: c.total,
					weighted: c.weighted,
					ids: c.deals.slice(0, 5).map((d) => d.id)
				}))
			);
		}
		const some = await boardPreview(db, { pipelineId, ownerIds: [owner.id], perColumn: 5 });
		expect(some!.columns.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(10);
	});

	it('is null for a pipeline with no projected stage', async () => {
		expect(await boardPreview(db, { pipelineId: new Prng(1).uuid(), ownerIds: [owner.id] })).toBe(
			null
		);
	});
});
