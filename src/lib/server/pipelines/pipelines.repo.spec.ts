import { generateNKeysBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { pipelineDocName } from '$lib/board/doc';
import { initPipeline, renameStage } from '$lib/board/ops';
import { testDb } from '../../../../tests/support/db';
import { createUser } from '../../../../tests/support/factories';
import { collabDocuments, collabUpdates, pipelines } from '../db/schema';
import * as orgs from '../orgs/orgs.repo';
import * as repo from './pipelines.repo';

const { db } = await testDb();

// These specs lay out their own pipelines; the default one is covered by default-pipeline.spec.
function createOrg(db: Parameters<typeof orgs.create>[0], { ownerId }: { ownerId: string }) {
	return orgs.create(db, {
		ownerId,
		settings: { name: 'Công ty TNHH Ánh Dương' },
		withDefaultPipeline: false
	});
}

it('lists open pipelines in their order with the stages stored in each document', async () => {
	const owner = await createUser(db);
	const org = await createOrg(db, { ownerId: owner.id });
	const [first, second] = generateNKeysBetween(null, null, 2);
	const rows = await db
		.insert(pipelines)
		.values([
			{ orgId: org.id, name: 'Bán lẻ', position: second! },
			{ orgId: org.id, name: 'Dự án', position: first! },
			{ orgId: org.id, name: 'Cũ', position: first!, archivedAt: new Date() }
		])
		.returning();
	const doc = new Y.Doc();
	const stage = { color: '#0f766e', winProbability: 10, rotDays: 3 };
	initPipeline(
		doc,
		{
			name: 'Dự án',
			stages: [
				{ id: uuidv7(), name: 'Tiếp cận', ...stage },
				{ id: uuidv7(), name: 'Báo giá', ...stage }
			]
		},
		{ kind: 'server', reason: 'test' }
	);
	await db
		.insert(collabDocuments)
		.values({ name: pipelineDocName(rows[1]!.id), state: Y.encodeStateAsUpdate(doc) });

	const listed = await repo.listWithStages(db, { orgId: org.id });
	expect(listed.map((p) => p.name)).toEqual(['Dự án', 'Bán lẻ']);
	expect(listed[0]!.stages.map((s) => s.name)).toEqual(['Tiếp cận', 'Báo giá']);
	// A pipeline whose document was never written has no stages yet, rather than failing.
	expect(listed[1]!.stages).toEqual([]);
});

it('reads stages from the snapshot plus the updates logged after it', async () => {
	const owner = await createUser(db);
	const org = await createOrg(db, { ownerId: owner.id });
	const [row] = await db
		.insert(pipelines)
		.values({ orgId: org.id, name: 'Dự án', position: generateNKeysBetween(null, null, 1)[0]! })
		.returning();
	const name = pipelineDocName(row!.id);
	const doc = new Y.Doc();
	const stageId = uuidv7();
	const origin = { kind: 'server', reason: 'test' } as const;
	initPipeline(
		doc,
		{
			name: 'Dự án',
			stages: [{ id: stageId, name: 'Tiếp cận', color: '#0f766e', winProbability: 10, rotDays: 3 }]
		},
		origin
	);
	await db.insert(collabDocuments).values({ name, state: Y.encodeStateAsUpdate(doc) });
	const logged: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => logged.push(u));
	renameStage(doc, { stageId, name: 'Gặp khách <b>&</b>' }, origin);
	await db.insert(collabUpdates).values(logged.map((update) => ({ docName: name, update })));

	const [listed] = await repo.listWithStages(db, { orgId: org.id });
	expect(listed!.stages.map((s) => s.name)).toEqual(['Gặp khách <b>&</b>']);
});
