import { generateNKeysBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { pipelineDocName } from '$lib/board/doc';
import { initPipeline } from '$lib/board/ops';
import { testDb } from '../../../../tests/support/db';
import { createOrg, createUser } from '../../../../tests/support/factories';
import { collabDocuments, pipelines } from '../db/schema';
import * as repo from './pipelines.repo';

const { db } = await testDb();

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
