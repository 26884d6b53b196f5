import { and, arrayContains, asc, eq } from 'drizzle-orm';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	dealField,
	dealsDocName,
	dealsMap,
	pipelineDocName,
	readStages
} from '../../../src/lib/board/doc';
import { createDeal, moveDeal, setStatus } from '../../../src/lib/board/ops';
import { readDeal } from '../../../src/lib/board/read';
import * as session from '../../../src/lib/server/auth/session';
import {
	customers,
	dealChanges,
	dealEvents,
	deals,
	pipelines,
	stages
} from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

// The projection in the production build: real sessions and upgrade, the extension wired into
// the backend, and `npm run projections:rebuild`'s command run against the app's database.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const rep = await createUser(app.db, { name: 'Lê Văn Nam' });
const accountant = await createUser(app.db, { name: 'Kế Toán' });
await addMember(app.db, { orgId: org.id, userId: rep.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const [pipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const p = pipeline!.id;

async function open(userId: string, documentName: string) {
	const { token } = await session.create(app.db, { userId });
	const c = connect({ origin: app.origin, documentName, cookie: `__Host-chot_session=${token}` });
	await c.synced;
	return c;
}

async function tables() {
	return {
		stages: await app.db
			.select()
			.from(stages)
			.where(eq(stages.pipelineId, p))
			.orderBy(asc(stages.id)),
		deals: await app.db.select().from(deals).where(eq(deals.pipelineId, p)).orderBy(asc(deals.id))
	};
}

it('keeps the tables live as a rep works, and the rebuild command finds nothing to change', async () => {
	const pipelineClient = await open(rep.id, pipelineDocName(p));
	const shard = await open(rep.id, dealsDocName(p, rep.id));
	const scope = { pipelineDoc: pipelineClient.doc, dealDoc: shard.doc };
	const [first, second] = readStages(pipelineClient.doc).map((s) => s.id);
	const as = { kind: 'user', userId: rep.id } as const;
	const ids = [uuidv7(), uuidv7(), uuidv7()];
	createDeal(
		scope,
		{
			id: ids[0]!,
			title: 'Rèm cửa văn phòng',
			stageId: first!,
			ownerId: rep.id,
			amount: 25_000_000,
			customerName: 'Anh Minh',
			customerPhone: '0903 456 789'
		},
		as
	);
	createDeal(scope, { id: ids[1]!, title: 'Thảm sàn', stageId: first!, ownerId: rep.id }, as);
	createDeal(scope, { id: ids[2]!, title: 'Đèn trần', stageId: first!, ownerId: rep.id }, as);
	moveDeal(scope, { dealId: ids[1]!, toStageId: second! }, as);
	setStatus(shard.doc, { dealId: ids[2]!, status: 'lost', lostReason: 'Hết ngân sách' }, as);

	await expect
		.poll(() => dealField(shard.doc, ids[0]!, 'customerId'), { timeout: 10_000 })
		.toBeTruthy();
	const customerId = dealField(shard.doc, ids[0]!, 'customerId') as string;
	const [customer] = await app.db.select().from(customers).where(eq(customers.id, customerId));
	expect(customer).toMatchObject({ orgId: org.id, name: 'Anh Minh', phones: ['+84903456789'] });
	await expect
		.poll(async () => (await tables()).deals.map((d) => [d.title, d.customerId, d.updatedBy]), {
			timeout: 10_000
		})
		.toEqual(
			expect.arrayContaining([
				['Rèm cửa văn phòng', customerId, rep.id],
				['Thảm sàn', null, rep.id],
				['Đèn trần', null, rep.id]
			])
		);
	const [moved] = await app.db.select().from(deals).where(eq(deals.id, ids[1]!));
	expect(moved).toMatchObject({ stageId: second });
	const [lost] = await app.db.select().from(deals).where(eq(deals.id, ids[2]!));
	expect(lost).toMatchObject({ status: 'lost', lostReason: 'Hết ngân sách' });

	const before = await tables();
	expect(before.stages).toHaveLength(6);
	const { stdout } = await promisify(execFile)(
		process.execPath,
		[path.resolve('build/server/admin.js'), 'rebuild-projections'],
		{ env: { ...process.env, DATABASE_URL: app.databaseUrl, CHOT_DATA_DIR: app.dataDir } }
	);
	expect(stdout).toContain('stages: 0 inserted, 0 updated, 0 deleted');
	expect(stdout).toContain('deals: 0 inserted, 0 updated, 0 deleted');
	expect(await tables()).toEqual(before);
	pipelineClient.destroy();
	shard.destroy();
});

it('projects nothing of a write to a read-only shard', async () => {
	const name = dealsDocName(p, rep.id);
	const c = await open(accountant.id, name);
	const forged = uuidv7();
	// A hand-made card: the accountant's socket is read-only, so the server refuses it.
	const card = new Y.Map<unknown>();
	card.set('title', 'Giả mạo');
	dealsMap(c.doc).set(forged, card);
	await new Promise((r) => setTimeout(r, 1500));
	c.destroy();
	const rows = await app.db
		.select()
		.from(deals)
		.where(and(eq(deals.pipelineId, p), eq(deals.id, forged)));
	expect(rows).toEqual([]);
});

it('[B24] shows the existing customer a typed phone belongs to, and keeps the typed name in history', async () => {
	const [known] = await app.db
		.insert(customers)
		.values({ orgId: org.id, name: 'Công ty CP Tuấn Phát', phones: ['+84987654321'] })
		.returning();
	const pipelineClient = await open(rep.id, pipelineDocName(p));
	const shard = await open(rep.id, dealsDocName(p, rep.id));
	const [first] = readStages(pipelineClient.doc).map((s) => s.id);
	const id = uuidv7();
	createDeal(
		{ pipelineDoc: pipelineClient.doc, dealDoc: shard.doc },
		{
			id,
			title: 'Máy chấm công',
			stageId: first!,
			ownerId: rep.id,
			customerName: 'Anh Tuấn',
			customerPhone: '0987 654 321'
		},
		{ kind: 'user', userId: rep.id }
	);

	// The rep's own replica (what their board shows) names the record, by its name.
	await expect.poll(() => readDeal(shard.doc, id)?.customerId, { timeout: 10_000 }).toBe(known!.id);
	expect(readDeal(shard.doc, id)).toMatchObject({
		customerName: 'Công ty CP Tuấn Phát',
		customerPhone: '+84987654321'
	});
	const history = () =>
		app.db
			.select()
			.from(dealEvents)
			.where(eq(dealEvents.dealId, id))
			.orderBy(asc(dealEvents.createdAt), asc(dealEvents.id));
	await expect
		.poll(async () => (await history()).map((e) => [e.kind, e.fromValue, e.toValue, e.actorId]), {
			timeout: 10_000
		})
		.toEqual([
			['created', null, '0', rep.id],
			['customer', 'Anh Tuấn', 'Công ty CP Tuấn Phát', null]
		]);
	const [row] = await app.db.select().from(deals).where(eq(deals.id, id));
	expect(row).toMatchObject({ customerId: known!.id, customerName: 'Công ty CP Tuấn Phát' });
	// No second customer for the phone. The change reaches deal_changes like every recorded one;
	// the fan-out tells nobody of the server's own match (notify/follow.spec.ts).
	const byPhone = await app.db
		.select()
		.from(customers)
		.where(and(eq(customers.orgId, org.id), arrayContains(customers.phones, ['+84987654321'])));
	expect(byPhone.map((c) => c.id)).toEqual([known!.id]);
	const changes = await app.db.select().from(dealChanges).where(eq(dealChanges.dealId, id));
	expect(changes.map((c) => [c.kind, c.detail])).toEqual([
		['customer', { from: 'Anh Tuấn', to: 'Công ty CP Tuấn Phát', note: null }]
	]);
	pipelineClient.destroy();
	shard.destroy();
});
