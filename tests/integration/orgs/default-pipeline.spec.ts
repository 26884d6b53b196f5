import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pipelineDocName, readSettings } from '../../../src/lib/board/doc';
import * as collabLog from '../../../src/lib/server/collab/log';
import { collabDocuments, pipelines } from '../../../src/lib/server/db/schema';
import * as orgs from '../../../src/lib/server/orgs/orgs.repo';
import * as pipelinesRepo from '../../../src/lib/server/pipelines/pipelines.repo';
import { seedDemo } from '../../../server/seed-demo';
import { testDb } from '../../support/db';
import { createUser } from '../../support/factories';

const { db } = await testDb();

const shape = [
	{ winProbability: 10, rotDays: 7 },
	{ winProbability: 20, rotDays: 10 },
	{ winProbability: 40, rotDays: 14 },
	{ winProbability: 60, rotDays: 14 },
	{ winProbability: 80, rotDays: 7 },
	{ winProbability: 100, rotDays: 30 }
];

describe('default pipeline', () => {
	it('is created with a Vietnamese organisation and loads its six stages in order', async () => {
		const owner = await createUser(db);
		const org = await orgs.create(db, { ownerId: owner.id, settings: { name: 'Công ty Sao Mai' } });
		const listed = await pipelinesRepo.listWithStages(db, { orgId: org.id });
		expect(listed).toHaveLength(1);
		expect(listed[0]!.name).toBe('Quy trình bán hàng');
		expect(listed[0]!.stages.map((s) => s.name)).toEqual([
			'Tiếp cận',
			'Khảo sát nhu cầu',
			'Báo giá',
			'Đàm phán',
			'Ký hợp đồng',
			'Triển khai'
		]);
		expect(
			listed[0]!.stages.map(({ winProbability, rotDays }) => ({ winProbability, rotDays }))
		).toEqual(shape);
		for (const s of listed[0]!.stages) {
			expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			expect(s.color).toMatch(/^#[0-9a-f]{6}$/);
		}
		const [row] = await db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
		expect(row!.createdBy).toBe(owner.id);
	});

	it('loads through the collab storage with the default settings', async () => {
		const owner = await createUser(db);
		const org = await orgs.create(db, { ownerId: owner.id, settings: { name: 'Công ty Ánh Sao' } });
		const [row] = await db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
		const doc = new Y.Doc();
		await collabLog.loadInto(db, { docName: pipelineDocName(row!.id), doc });
		expect(readSettings(doc)).toEqual({
			name: 'Quy trình bán hàng',
			visibility: 'all',
			editing: 'own'
		});
	});

	it('uses English names for an English organisation', async () => {
		const owner = await createUser(db);
		const org = await orgs.create(db, {
			ownerId: owner.id,
			settings: { name: 'Sunrise Trading', locale: 'en' }
		});
		const [listed] = await pipelinesRepo.listWithStages(db, { orgId: org.id });
		expect(listed!.name).toBe('Sales pipeline');
		expect(listed!.stages.map((s) => s.name)).toEqual([
			'Prospecting',
			'Needs analysis',
			'Quotation',
			'Negotiation',
			'Contract signing',
			'Delivery'
		]);
	});

	it('is left out when asked, and the demo organisation shows only its own two pipelines', async () => {
		const owner = await createUser(db);
		const bare = await orgs.create(db, {
			ownerId: owner.id,
			settings: { name: 'Công ty Trống' },
			withDefaultPipeline: false
		});
		expect(await pipelinesRepo.listWithStages(db, { orgId: bare.id })).toEqual([]);

		expect(await seedDemo({ db })).toBe(true);
		const [demo] = await db
			.select({ orgId: pipelines.orgId })
			.from(pipelines)
			.where(eq(pipelines.name, 'Bán lẻ'));
		const listed = await pipelinesRepo.listWithStages(db, { orgId: demo!.orgId });
		expect(listed.map((p) => p.name)).toEqual(['Bán hàng dự án', 'Bán lẻ']);
		// Every pipeline has its document: none without stages.
		const docs = await db.select({ name: collabDocuments.name }).from(collabDocuments);
		for (const p of listed) expect(docs.map((d) => d.name)).toContain(pipelineDocName(p.id));
	});
});
