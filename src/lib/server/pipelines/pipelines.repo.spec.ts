import { generateNKeysBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { pipelineDocName } from '$lib/board/doc';
import { deleteStage, initPipeline, renameStage, setPipelineSettings } from '$lib/board/ops';
import { testDb } from '../../../../tests/support/db';
import { addMember, createUser, projectedDeal } from '../../../../tests/support/factories';
import { collabDocuments, collabUpdates, deals, pipelines } from '../db/schema';
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

it("counts each column's open deals from the projection, as the viewer's board shows them", async () => {
	const owner = await createUser(db);
	const rep = await createUser(db, { name: 'Lê Văn Nam' });
	const former = await createUser(db, { name: 'Đã nghỉ việc' });
	const org = await createOrg(db, { ownerId: owner.id });
	await addMember(db, { orgId: org.id, userId: rep.id, role: 'sales' });
	const [row] = await db
		.insert(pipelines)
		.values({ orgId: org.id, name: 'Dự án', position: generateNKeysBetween(null, null, 1)[0]! })
		.returning();
	const pipelineId = row!.id;
	const [a, b, gone] = [uuidv7(), uuidv7(), uuidv7()];
	const doc = new Y.Doc();
	const origin = { kind: 'server', reason: 'test' } as const;
	const stage = { color: '#0f766e', winProbability: 10, rotDays: 3 };
	initPipeline(
		doc,
		{
			name: 'Dự án',
			stages: [
				{ id: a, name: 'Tiếp cận', ...stage },
				{ id: b, name: 'Báo giá', ...stage },
				{ id: gone, name: 'Đàm phán', ...stage }
			]
		},
		origin
	);
	// Deleted, its deals sent to "Báo giá": rows still naming it count there (SPEC B12), even
	// before the projection has moved them.
	deleteStage(doc, { stageId: gone, moveDealsTo: b }, origin);
	const name = pipelineDocName(pipelineId);
	await db.insert(collabDocuments).values({ name, state: Y.encodeStateAsUpdate(doc) });
	const deal = (ownerId: string, stageId: string | null, status = 'open') =>
		projectedDeal({ orgId: org.id, pipelineId, ownerId, stageId, status, amount: 1_000_000 });
	await db.insert(deals).values([
		deal(owner.id, a),
		deal(owner.id, gone),
		deal(owner.id, a, 'won'),
		deal(owner.id, b, 'lost'),
		deal(rep.id, b),
		// A stage the projection does not know yet shows in the first column.
		deal(rep.id, uuidv7()),
		// Shown on no board: not a member any more.
		deal(former.id, a)
	]);
	const countsFor = async (viewer: { userId: string; role: 'owner' | 'sales' }) => {
		const [listed] = await repo.listAll(db, { orgId: org.id, viewer });
		return { total: listed!.deals, byStage: listed!.stages.map((s) => [s.name, s.deals]) };
	};

	const everyone = {
		total: 4,
		byStage: [
			['Tiếp cận', 2],
			['Báo giá', 2]
		]
	};
	expect(await countsFor({ userId: owner.id, role: 'owner' })).toEqual(everyone);
	expect(await countsFor({ userId: rep.id, role: 'sales' })).toEqual(everyone);

	// "Reps see only their own deals": the rep's list counts only the rep's shard.
	const logged: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => logged.push(u));
	setPipelineSettings(doc, { visibility: 'own' }, origin);
	await db.insert(collabUpdates).values(logged.map((update) => ({ docName: name, update })));
	expect(await countsFor({ userId: rep.id, role: 'sales' })).toEqual({
		total: 2,
		byStage: [
			['Tiếp cận', 1],
			['Báo giá', 1]
		]
	});
	expect(await countsFor({ userId: owner.id, role: 'owner' })).toEqual(everyone);
});
