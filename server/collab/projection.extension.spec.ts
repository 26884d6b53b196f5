import { Hocuspocus } from '@hocuspocus/server';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { generateKeyBetween } from 'fractional-indexing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { dealField, dealsDocName, dealsMap, pipelineDocName, readStages } from '$lib/board/doc';
import {
	addStage,
	createDeal,
	deleteStage,
	initPipeline,
	isBoardOpError,
	moveDeal,
	moveDealsFromDeletedStages,
	removeDeal,
	renameStage,
	setStageFields,
	setStar,
	setPipelineSettings,
	setStatus,
	updateDealFields
} from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import { readDeals } from '$lib/board/read';
import { Prng } from '$lib/board/testing/prng';
import * as collabLog from '$lib/server/collab/log';
import type { Db } from '$lib/server/db';
import {
	collabDocuments,
	customers,
	dealEvents,
	deals,
	organisations,
	pipelineSettings,
	recordCounters,
	pipelines,
	stages
} from '$lib/server/db/schema';
import { createLogger } from '$lib/server/log';
import type { Runtime } from '$lib/server/runtime';
import { rebuild } from '$lib/server/projection/rebuild';
import {
	boardRows,
	sameDeal,
	sameStage,
	shardRows,
	stageRows,
	type DealRow
} from '$lib/server/projection/rows';
import { connect } from '../../tests/support/collab-client';
import { testDb } from '../../tests/support/db';
import { addMember, createOrg, createUser } from '../../tests/support/factories';
import { createCollabWriter } from './direct';
import { persistenceExtension } from './persistence.extension';
import { projectionExtension } from './projection.extension';

// A real Hocuspocus with the persistence and projection extensions behind a plain WebSocket
// server; each socket's user comes from a `user=<id>` cookie (the app's upgrade checks sessions,
// which board-access.spec.ts covers). Clients are real providers running the named ops.

const { db } = await testDb();
const log = createLogger({ level: 'silent' });

function collabServer({
	flushAfterMs = 50,
	maxFlushes,
	projectionDb = db
}: { flushAfterMs?: number; maxFlushes?: number; projectionDb?: Db } = {}) {
	// The projection writes through the Hocuspocus it is an extension of, created below.
	const changeDoc: Runtime['changeDoc'] = (name, fn) => writer(name, fn);
	const persistence = persistenceExtension({ db, log, requestCompaction: async () => {} });
	const projection = projectionExtension({
		db: projectionDb,
		log,
		changeDoc,
		flushAfterMs,
		retryAfterMs: 200,
		maxFlushes
	});
	const hocuspocus = new Hocuspocus({
		name: 'projection-test',
		quiet: true,
		extensions: [persistence, projection]
	});
	const writer = createCollabWriter(hocuspocus, (entry) => persistence.append(entry), {
		holdMs: 0
	});
	const wss = new WebSocketServer({ noServer: true });
	const server = http.createServer();
	server.on('upgrade', (req, socket, head) => {
		const userId = /user=([0-9a-f-]{36})/.exec(req.headers.cookie ?? '')?.[1];
		wss.handleUpgrade(req, socket, head, (ws) => hocuspocus.handleConnection(ws, req, { userId }));
	});
	return { hocuspocus, projection, changeDoc, server };
}

const live = collabServer();
await new Promise<void>((resolve) => live.server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(live.server.address() as AddressInfo).port}`;
const clients: ReturnType<typeof connect>[] = [];
afterAll(async () => {
	for (const c of clients) c.destroy();
	live.hocuspocus.closeConnections();
	await new Promise((resolve) => live.server.close(resolve));
});

const owner = await createUser(db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(db, { ownerId: owner.id });
const manager = await createUser(db, { name: 'Quản Lý' });
const rep = await createUser(db, { name: 'Lê Văn Nam' });
const otherRep = await createUser(db, { name: 'Phạm Thu Hà' });
await addMember(db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(db, { orgId: org.id, userId: rep.id, role: 'sales' });
await addMember(db, { orgId: org.id, userId: otherRep.id, role: 'sales' });
const [pipeline] = await db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const p = pipeline!.id;

const as = (userId: string): Origin => ({ kind: 'user', userId });

async function open(userId: string, documentName: string) {
	const c = connect({ origin, documentName, cookie: `user=${userId}` });
	clients.push(c);
	await c.synced;
	return c;
}

/** A user's view of the board: the pipeline document and the shards they open. */
async function boardFor(userId: string, owners: string[], pipelineId = p) {
	const pipelineClient = await open(userId, pipelineDocName(pipelineId));
	const shards = new Map<string, ReturnType<typeof connect>>();
	for (const o of owners) shards.set(o, await open(userId, dealsDocName(pipelineId, o)));
	const dealDocs = [...shards.values()].map((c) => c.doc);
	return {
		pipelineDoc: pipelineClient.doc,
		dealDocs,
		scope: (shardOwner: string) => ({
			pipelineDoc: pipelineClient.doc,
			dealDoc: shards.get(shardOwner)!.doc,
			dealDocs
		}),
		stageIds: () => readStages(pipelineClient.doc).map((s) => s.id),
		close: () => [pipelineClient, ...shards.values()].forEach((c) => c.destroy()),
		synced: async () => {
			for (const c of [pipelineClient, ...shards.values()]) {
				await expect.poll(() => c.provider.unsyncedChanges, { timeout: 5000 }).toBe(0);
			}
		}
	};
}

async function dealRowOf(dealId: string) {
	const [row] = await db.select().from(deals).where(eq(deals.id, dealId));
	return row;
}

async function unloaded(...names: string[]) {
	for (const name of names) {
		await expect.poll(() => live.hocuspocus.documents.has(name), { timeout: 10_000 }).toBe(false);
	}
}

async function storedPipelineDoc(pipelineId = p) {
	const doc = new Y.Doc();
	await collabLog.loadInto(db, { docName: pipelineDocName(pipelineId), doc });
	return doc;
}

describe('projection of board documents', () => {
	it('[B2] projects a pipeline’s stages when its document loads, and a stage edit as its user’s', async () => {
		const board = await boardFor(manager.id, []);
		const stageRowsNow = () =>
			db.select().from(stages).where(eq(stages.pipelineId, p)).orderBy(asc(stages.position));
		await expect.poll(async () => (await stageRowsNow()).length).toBe(6);
		expect((await stageRowsNow()).map((s) => s.name)).toEqual([
			'Tiếp cận',
			'Khảo sát nhu cầu',
			'Báo giá',
			'Đàm phán',
			'Ký hợp đồng',
			'Triển khai'
		]);
		const [first] = board.stageIds();
		renameStage(board.pipelineDoc, { stageId: first!, name: 'Làm quen' }, as(manager.id));
		setStageFields(board.pipelineDoc, { stageId: first!, winProbability: 15 }, as(manager.id));
		await expect
			.poll(async () => (await stageRowsNow())[0])
			.toMatchObject({
				id: first,
				orgId: org.id,
				name: 'Làm quen',
				winProbability: 15,
				columnId: first,
				updatedBy: manager.id
			});
		board.close();
	});

	it('projects each card as it is created, edited, moved and removed, as the user who did it', async () => {
		const mine = await boardFor(rep.id, [rep.id]);
		const theirs = await boardFor(manager.id, [rep.id]);
		const [first, second] = mine.stageIds();
		const dealId = uuidv7();
		createDeal(
			mine.scope(rep.id),
			{ id: dealId, title: 'Máy lọc nước', stageId: first!, ownerId: rep.id, amount: 9_000_000 },
			as(rep.id)
		);
		await expect
			.poll(() => dealRowOf(dealId))
			.toMatchObject({
				orgId: org.id,
				pipelineId: p,
				ownerId: rep.id,
				title: 'Máy lọc nước',
				stageId: first,
				amount: 9_000_000,
				status: 'open',
				createdBy: rep.id,
				updatedBy: rep.id
			});

		await mine.synced();
		await expect.poll(() => dealsMap(theirs.scope(rep.id).dealDoc).has(dealId)).toBe(true);
		updateDealFields(theirs.scope(rep.id).dealDoc, { dealId, amount: 12_000_000 }, as(manager.id));
		await expect
			.poll(() => dealRowOf(dealId))
			.toMatchObject({ amount: 12_000_000, updatedBy: manager.id });

		await theirs.synced();
		await expect
			.poll(() => dealField(mine.scope(rep.id).dealDoc, dealId, 'amount'))
			.toBe(12_000_000);
		moveDeal(mine.scope(rep.id), { dealId, toStageId: second! }, as(rep.id));
		setStatus(mine.scope(rep.id).dealDoc, { dealId, status: 'won' }, as(rep.id));
		await expect
			.poll(() => dealRowOf(dealId))
			.toMatchObject({ stageId: second, status: 'won', updatedBy: rep.id });

		removeDeal(mine.scope(rep.id).dealDoc, { dealId }, as(rep.id));
		await expect.poll(() => dealRowOf(dealId)).toBeUndefined();
		mine.close();
		theirs.close();
	});

	it('reconciles a shard in full when it loads, repairing rows a crash left wrong', async () => {
		const board = await boardFor(otherRep.id, [otherRep.id]);
		const [first] = board.stageIds();
		const ids = [uuidv7(), uuidv7()];
		for (const id of ids) {
			createDeal(
				board.scope(otherRep.id),
				{ id, title: `Đơn ${id.slice(-4)}`, stageId: first!, ownerId: otherRep.id },
				as(otherRep.id)
			);
		}
		await expect.poll(async () => Boolean(await dealRowOf(ids[1]!))).toBe(true);
		board.close();
		await unloaded(dealsDocName(p, otherRep.id));

		// What a crash between an update and its flush leaves: a stale row, a missing one, one
		// for a card that no longer exists.
		await db.update(deals).set({ title: 'cũ' }).where(eq(deals.id, ids[0]!));
		await db.delete(deals).where(eq(deals.id, ids[1]!));
		const ghost = { ...(await dealRowOf(ids[0]!))!, id: uuidv7(), title: 'ma' };
		await db.insert(deals).values(ghost);

		const again = await boardFor(otherRep.id, [otherRep.id]);
		await expect
			.poll(async () => (await dealRowOf(ids[0]!))?.title)
			.toBe(`Đơn ${ids[0]!.slice(-4)}`);
		await expect.poll(async () => Boolean(await dealRowOf(ids[1]!))).toBe(true);
		await expect.poll(() => dealRowOf(ghost.id)).toBeUndefined();
		again.close();
	});

	it('[B16] gives a deal in two shards the row of the copy the board shows, then of the copy left', async () => {
		const pipelineDoc = await storedPipelineDoc();
		const [first] = readStages(pipelineDoc).map((s) => s.id);
		const dealId = uuidv7();
		const create = (shardOwner: string, at: number) =>
			live.changeDoc(dealsDocName(p, shardOwner), (dealDoc) =>
				createDeal(
					{ pipelineDoc, dealDoc },
					{
						id: dealId,
						title: `Của ${shardOwner.slice(-4)}`,
						stageId: first!,
						ownerId: shardOwner,
						at
					},
					as(manager.id)
				)
			);
		// The owner changes from `rep` to `otherRep`: for a moment the deal is in both shards.
		await create(rep.id, Date.UTC(2026, 5, 1));
		await create(otherRep.id, Date.UTC(2026, 4, 1));
		await expect.poll(async () => (await dealRowOf(dealId))?.ownerId).toBe(rep.id);
		// Let every flush of the older copy run: the newer copy's row must stay.
		await new Promise((r) => setTimeout(r, 300));
		expect((await dealRowOf(dealId))?.ownerId).toBe(rep.id);

		await live.changeDoc(dealsDocName(p, otherRep.id), (dealDoc) =>
			updateDealFields(
				dealDoc,
				{ dealId, title: 'Đã chuyển', at: Date.UTC(2026, 6, 1) },
				as(otherRep.id)
			)
		);
		await expect
			.poll(() => dealRowOf(dealId))
			.toMatchObject({ ownerId: otherRep.id, title: 'Đã chuyển', updatedBy: otherRep.id });

		// Removing the shown copy leaves the other one, read from its stored state.
		await unloaded(dealsDocName(p, rep.id));
		await live.changeDoc(dealsDocName(p, otherRep.id), (dealDoc) =>
			removeDeal(dealDoc, { dealId }, as(manager.id))
		);
		await expect
			.poll(() => dealRowOf(dealId))
			.toMatchObject({ ownerId: rep.id, title: `Của ${rep.id.slice(-4)}` });
	});

	it('never moves a deal’s row to another pipeline, whatever id a card there claims', async () => {
		const otherPipelineId = await anotherPipeline();
		const pipelineDoc = await storedPipelineDoc();
		const [first] = readStages(pipelineDoc).map((s) => s.id);
		const dealId = uuidv7();
		await live.changeDoc(dealsDocName(p, rep.id), (dealDoc) =>
			createDeal(
				{ pipelineDoc, dealDoc },
				{ id: dealId, title: 'Thật', stageId: first!, ownerId: rep.id },
				as(rep.id)
			)
		);
		await expect.poll(async () => (await dealRowOf(dealId))?.title).toBe('Thật');
		const otherDoc = await storedPipelineDoc(otherPipelineId);
		await live.changeDoc(dealsDocName(otherPipelineId, rep.id), (dealDoc) =>
			createDeal(
				{ pipelineDoc: otherDoc, dealDoc },
				{
					id: dealId,
					title: 'Giả',
					stageId: readStages(otherDoc)[0]!.id,
					ownerId: rep.id,
					at: Date.now() + 60_000
				},
				as(rep.id)
			)
		);
		await new Promise((r) => setTimeout(r, 300));
		expect(await dealRowOf(dealId)).toMatchObject({ pipelineId: p, title: 'Thật' });
	});
});

describe('deal history and settings', () => {
	it('[B20] records creation, a stage move, amount changes with their reason and a status change, each as its user', async () => {
		const mine = await boardFor(rep.id, [rep.id]);
		const theirs = await boardFor(manager.id, [rep.id]);
		const [first, second] = mine.stageIds();
		const dealId = uuidv7();
		createDeal(
			mine.scope(rep.id),
			{
				id: dealId,
				title: 'Điều hoà văn phòng',
				stageId: first!,
				ownerId: rep.id,
				amount: 40_000_000
			},
			as(rep.id)
		);
		const history = () =>
			db
				.select()
				.from(dealEvents)
				.where(eq(dealEvents.dealId, dealId))
				.orderBy(asc(dealEvents.createdAt), asc(dealEvents.id));
		await expect.poll(async () => (await history()).length).toBe(1);
		await mine.synced();
		await theirs.synced();
		moveDeal(mine.scope(rep.id), { dealId, toStageId: second! }, as(rep.id));
		await expect.poll(async () => (await history()).length).toBe(2);
		updateDealFields(
			theirs.scope(rep.id).dealDoc,
			{ dealId, amount: 45_000_000, amountReason: 'Thêm 1 máy' },
			as(manager.id)
		);
		await expect.poll(async () => (await history()).length).toBe(3);
		setStatus(
			mine.scope(rep.id).dealDoc,
			{ dealId, status: 'lost', lostReason: 'Giá cao' },
			as(rep.id)
		);
		await expect.poll(async () => (await history()).length).toBe(4);
		expect(
			(await history()).map(({ kind, fromValue, toValue, note, actorId }) => ({
				kind,
				fromValue,
				toValue,
				note,
				actorId
			}))
		).toEqual([
			{ kind: 'created', fromValue: null, toValue: '40000000', note: null, actorId: rep.id },
			{ kind: 'stage', fromValue: first, toValue: second, note: null, actorId: rep.id },
			{
				kind: 'amount',
				fromValue: '40000000',
				toValue: '45000000',
				note: 'Thêm 1 máy',
				actorId: manager.id
			},
			{ kind: 'status', fromValue: 'open', toValue: 'lost', note: 'Giá cao', actorId: rep.id }
		]);
		// A reload of the documents (full reconcile) adds nothing: the rows already say it all.
		mine.close();
		theirs.close();
		await unloaded(pipelineDocName(p), dealsDocName(p, rep.id));
		const again = await boardFor(rep.id, [rep.id]);
		await again.synced();
		await new Promise((r) => setTimeout(r, 300));
		expect(await history()).toHaveLength(4);
		again.close();
	});

	it('[B20] records `created` once per deal for many at once, naming only a real user', async () => {
		// An organisation of its own: the rebuild spec below expects only its users' rows in `p`.
		const ownOrg = await createOrg(db, { ownerId: otherRep.id });
		const [ownPipeline] = await db.select().from(pipelines).where(eq(pipelines.orgId, ownOrg.id));
		const pipelineDoc = await storedPipelineDoc(ownPipeline!.id);
		const stageId = readStages(pipelineDoc)[0]!.id;
		const name = dealsDocName(ownPipeline!.id, otherRep.id);
		const ids = [uuidv7(), uuidv7(), uuidv7()];
		const stranger = uuidv7();
		const createdEvents = () =>
			db
				.select({ dealId: dealEvents.dealId, actorId: dealEvents.actorId })
				.from(dealEvents)
				.where(and(inArray(dealEvents.dealId, ids), eq(dealEvents.kind, 'created')));
		const direct = await live.hocuspocus.openDirectConnection(name, {});
		const create = (i: number, origin: Origin) =>
			direct.transact((dealDoc) =>
				createDeal(
					{ pipelineDoc, dealDoc },
					{ id: ids[i]!, title: `Cùng một lượt ${i}`, stageId, ownerId: otherRep.id },
					origin
				)
			);
		// Two by the rep, one by a user id that names nobody (a server change may carry any).
		await Promise.all([
			create(0, as(otherRep.id)),
			create(1, as(otherRep.id)),
			create(2, as(stranger))
		]);
		await expect.poll(async () => (await createdEvents()).length).toBe(3);
		expect(new Map((await createdEvents()).map((e) => [e.dealId, e.actorId]))).toEqual(
			new Map([
				[ids[0], otherRep.id],
				[ids[1], otherRep.id],
				[ids[2], null]
			])
		);
		// The rows lost (a crash before the flush committed): the reconcile on the next load
		// inserts them again, and no second `created`.
		await direct.disconnect();
		await unloaded(name);
		await db.delete(deals).where(inArray(deals.id, ids));
		const again = await live.hocuspocus.openDirectConnection(name, {});
		await expect
			.poll(async () => (await db.select().from(deals).where(inArray(deals.id, ids))).length)
			.toBe(3);
		expect(await createdEvents()).toHaveLength(3);
		await again.disconnect();
	});

	it('counts each new deal against the monthly records once, and flags (never drops) one past the limit', async () => {
		const otherOrg = await createOrg(db, { ownerId: rep.id });
		const [otherPipeline] = await db
			.select()
			.from(pipelines)
			.where(eq(pipelines.orgId, otherOrg.id));
		const q = otherPipeline!.id;
		const [used] = await db
			.select({ count: recordCounters.count })
			.from(recordCounters)
			.where(eq(recordCounters.orgId, otherOrg.id));
		await db
			.update(organisations)
			.set({ maxRecordsPerMonth: (used?.count ?? 0) + 1 })
			.where(eq(organisations.id, otherOrg.id));
		const board = await boardFor(rep.id, [rep.id], q);
		const [first] = board.stageIds();
		const within = uuidv7();
		const past = uuidv7();
		for (const [id, title] of [
			[within, 'Trong hạn mức'],
			[past, 'Vượt hạn mức']
		] as const) {
			createDeal(board.scope(rep.id), { id, title, stageId: first!, ownerId: rep.id }, as(rep.id));
			await expect.poll(() => dealRowOf(id)).toBeTruthy();
		}
		expect((await dealRowOf(within))!.overLimit).toBe(false);
		expect((await dealRowOf(past))!.overLimit).toBe(true);
		// Edits and reloads count nothing more.
		updateDealFields(board.scope(rep.id).dealDoc, { dealId: past, amount: 1_000_000 }, as(rep.id));
		await expect.poll(async () => (await dealRowOf(past))!.amount).toBe(1_000_000);
		const [after] = await db
			.select({ count: recordCounters.count })
			.from(recordCounters)
			.where(eq(recordCounters.orgId, otherOrg.id));
		expect(after!.count).toBe((used?.count ?? 0) + 2);
		board.close();
	});

	it('projects the pipeline’s visibility and editing settings for SQL', async () => {
		const board = await boardFor(manager.id, []);
		const row = () =>
			db
				.select()
				.from(pipelineSettings)
				.where(eq(pipelineSettings.pipelineId, p))
				.then((r) => r[0]);
		setPipelineSettings(board.pipelineDoc, { visibility: 'own', editing: 'all' }, as(manager.id));
		await expect.poll(row).toMatchObject({ orgId: org.id, visibility: 'own', editing: 'all' });
		setPipelineSettings(board.pipelineDoc, { visibility: 'all', editing: 'own' }, as(manager.id));
		await expect.poll(row).toMatchObject({ visibility: 'all', editing: 'own' });
		board.close();
	});
});

describe('inline customers', () => {
	it('become customer records on sync, reusing the one with the same normalised phone', async () => {
		const board = await boardFor(rep.id, [rep.id]);
		const [first] = board.stageIds();
		// Quick-add made offline: a local copy of the pipeline, a card written before the shard
		// connects, sent with the first sync.
		const pipelineDoc = new Y.Doc();
		Y.applyUpdate(pipelineDoc, Y.encodeStateAsUpdate(board.pipelineDoc));
		const offline = connect({
			origin,
			documentName: dealsDocName(p, rep.id),
			cookie: `user=${rep.id}`
		});
		clients.push(offline);
		const firstDeal = uuidv7();
		createDeal(
			{ pipelineDoc, dealDoc: offline.doc },
			{
				id: firstDeal,
				title: 'Bàn ghế quán cà phê',
				stageId: first!,
				ownerId: rep.id,
				customerName: 'Chị Hoa',
				customerPhone: '0912 345 678'
			},
			as(rep.id)
		);
		await offline.synced;

		const customerIdOf = (id: string) =>
			dealField(board.scope(rep.id).dealDoc, id, 'customerId') as string | undefined;
		await expect.poll(() => customerIdOf(firstDeal), { timeout: 5000 }).toBeTruthy();
		const customerId = customerIdOf(firstDeal)!;
		const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
		expect(customer).toMatchObject({
			orgId: org.id,
			name: 'Chị Hoa',
			phones: ['+84912345678'],
			ownerId: rep.id,
			createdBy: rep.id,
			sourceDealId: firstDeal
		});
		await expect.poll(async () => (await dealRowOf(firstDeal))?.customerId).toBe(customerId);

		// The same number typed another way is the same customer; a card naming another
		// organisation's customer gets its inline customer instead.
		const secondDeal = uuidv7();
		createDeal(
			board.scope(rep.id),
			{
				id: secondDeal,
				title: 'Máy pha cà phê',
				stageId: first!,
				ownerId: rep.id,
				customerName: 'Hoa',
				customerPhone: '+84 912 345 678',
				customerId: await foreignCustomerId()
			},
			as(rep.id)
		);
		await expect.poll(() => customerIdOf(secondDeal), { timeout: 5000 }).toBe(customerId);
		await expect.poll(async () => (await dealRowOf(secondDeal))?.customerId).toBe(customerId);
		const same = await db
			.select()
			.from(customers)
			.where(and(eq(customers.orgId, org.id), eq(customers.name, 'Chị Hoa')));
		expect(same).toHaveLength(1);
		// The card shows the customer it now names (SPEC B24); the name typed on it is in the
		// deal's history, changed by the server. The first card's name was the record's already.
		await expect
			.poll(() => dealField(board.scope(rep.id).dealDoc, secondDeal, 'customerName'))
			.toBe('Chị Hoa');
		const customerEvents = () =>
			db
				.select()
				.from(dealEvents)
				.where(
					and(inArray(dealEvents.dealId, [firstDeal, secondDeal]), eq(dealEvents.kind, 'customer'))
				);
		await expect
			.poll(async () =>
				(await customerEvents()).map((e) => [e.dealId, e.fromValue, e.toValue, e.actorId])
			)
			.toEqual([[secondDeal, 'Hoa', 'Chị Hoa', null]]);
		board.close();
	});
});

describe('rebuild', () => {
	it('produces exactly the live tables after many users’ concurrent edits', async () => {
		const users = [owner.id, rep.id, otherRep.id];
		const views = new Map<string, Awaited<ReturnType<typeof boardFor>>>();
		for (const u of users) views.set(u, await boardFor(u, [rep.id, otherRep.id]));
		const prng = new Prng(20261129);
		const phones = ['0912 000 001', '0912 000 002', '0912 000 003'];
		for (let step = 0; step < 120; step++) {
			const userId = prng.pick(users);
			const view = views.get(userId)!;
			const shardOwner = userId === owner.id ? prng.pick([rep.id, otherRep.id]) : userId;
			try {
				randomOp({ prng, view, userId, shardOwner, phones });
			} catch (err) {
				// A view a moment behind may name a neighbour that moved: refused, like in the UI.
				if (!isBoardOpError(err)) throw err;
			}
			if (step % 4 === 0) await new Promise((r) => setTimeout(r, 5));
		}
		for (const view of views.values()) await view.synced();
		await settled();

		const before = await tables();
		expect(before.deals.length).toBeGreaterThan(10);
		expect(before.deals.every((d) => users.includes(d.updatedBy!))).toBe(true);
		const counts = await rebuild(db, { pipelineIds: [p] });
		expect(counts).toEqual({
			pipelines: 1,
			stages: { inserted: 0, updated: 0, deleted: 0 },
			deals: { inserted: 0, updated: 0, deleted: 0 }
		});
		expect(await tables()).toEqual(before);

		// From empty tables, the same rows (who changed them last is not in the documents).
		await db.delete(deals).where(eq(deals.pipelineId, p));
		await db.delete(stages).where(eq(stages.pipelineId, p));
		const fresh = await rebuild(db, { pipelineIds: [p] });
		expect(fresh.deals.inserted).toBe(before.deals.length);
		const after = await tables();
		const withoutAttribution = <T extends { updatedBy: string | null }>(rows: T[]) =>
			rows.map((r) => ({ ...r, updatedBy: null }));
		expect(withoutAttribution(after.deals)).toEqual(withoutAttribution(before.deals));
		expect(withoutAttribution(after.stages)).toEqual(withoutAttribution(before.stages));
		for (const view of views.values()) view.close();
	});
});

describe('lag', () => {
	it('tells how long ago the oldest change not yet in the tables was made', async () => {
		const slow = collabServer({ flushAfterMs: 60_000 });
		const pipelineDoc = await storedPipelineDoc();
		const direct = await slow.hocuspocus.openDirectConnection(dealsDocName(p, rep.id), {});
		// The reconcile that follows the load, then nothing pending.
		await expect.poll(() => slow.projection.stats().flushes).toBeGreaterThan(0);
		expect(slow.projection.stats().behindMs).toBe(0);
		await direct.transact((dealDoc) =>
			createDeal(
				{ pipelineDoc, dealDoc },
				{
					id: uuidv7(),
					title: 'Đang chờ ghi',
					stageId: readStages(pipelineDoc)[0]!.id,
					ownerId: rep.id
				},
				as(rep.id)
			)
		);
		await new Promise((r) => setTimeout(r, 300));
		expect(slow.projection.stats().behindMs).toBeGreaterThanOrEqual(290);
		await slow.projection.drain();
		expect(slow.projection.stats()).toMatchObject({ behindMs: 0, flushing: 0, waiting: 0 });
		await direct.disconnect();
	});
});

describe('shutdown', () => {
	it('flushes every pending change when drained', async () => {
		const slow = collabServer({ flushAfterMs: 60_000 });
		const pipelineDoc = await storedPipelineDoc();
		const dealId = uuidv7();
		const name = dealsDocName(p, manager.id);
		const direct = await slow.hocuspocus.openDirectConnection(name, {});
		// The reconcile that follows a load runs at once; the change after it waits a minute.
		await new Promise((r) => setTimeout(r, 200));
		await direct.transact((dealDoc) =>
			createDeal(
				{ pipelineDoc, dealDoc },
				{
					id: dealId,
					title: 'Chưa kịp ghi',
					stageId: readStages(pipelineDoc)[0]!.id,
					ownerId: manager.id
				},
				as(manager.id)
			)
		);
		await new Promise((r) => setTimeout(r, 200));
		expect(await dealRowOf(dealId)).toBeUndefined();
		await slow.projection.drain();
		expect(await dealRowOf(dealId)).toMatchObject({ title: 'Chưa kịp ghi', updatedBy: manager.id });
		await direct.disconnect();
	});
});

describe('load', () => {
	/** The test database, counting the transactions open on it at once (each flush is one). */
	function countingDb() {
		const counts = { open: 0, most: 0, total: 0 };
		const counted = new Proxy(db, {
			get(target, key) {
				if (key === 'transaction') {
					return async (...args: Parameters<Db['transaction']>) => {
						counts.open += 1;
						counts.total += 1;
						counts.most = Math.max(counts.most, counts.open);
						try {
							return await target.transaction(...args);
						} finally {
							counts.open -= 1;
						}
					};
				}
				const value: unknown = Reflect.get(target, key, target);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		return { db: counted, counts };
	}

	it.each([1, 3])(
		'with %i places, never runs more flushes at once, and projects every document edited together',
		async (maxFlushes) => {
			const counted = countingDb();
			const server = collabServer({ projectionDb: counted.db, maxFlushes });
			const pipelineDoc = await storedPipelineDoc();
			const stageId = readStages(pipelineDoc)[0]!.id;
			const owners = [owner, manager, rep, otherRep];
			for (let i = 0; i < 4; i++) {
				const extra = await createUser(db, { name: `Nhân Viên ${maxFlushes}.${i}` });
				await addMember(db, { orgId: org.id, userId: extra.id, role: 'sales' });
				owners.push(extra);
			}
			const directs = await Promise.all(
				owners.map((o) => server.hocuspocus.openDirectConnection(dealsDocName(p, o.id), {}))
			);
			const dealIds = owners.map(() => uuidv7());
			// Every shard edited in the same instant: their flushes all come due together.
			await Promise.all(
				directs.map((direct, i) =>
					direct.transact((dealDoc) =>
						createDeal(
							{ pipelineDoc, dealDoc },
							{ id: dealIds[i]!, title: `Cùng lúc ${i}`, stageId, ownerId: owners[i]!.id },
							as(owners[i]!.id)
						)
					)
				)
			);
			await expect
				.poll(
					async () => (await db.select().from(deals).where(inArray(deals.id, dealIds))).length,
					{
						timeout: 10_000
					}
				)
				.toBe(owners.length);
			// A load's reconcile and each creation: at least one flush per shard, each a transaction.
			expect(counted.counts.total).toBeGreaterThanOrEqual(owners.length);
			if (maxFlushes === 1) expect(counted.counts.most).toBe(1);
			// Above one place, flushes due together do overlap (so the count above can see it).
			else expect(counted.counts.most).toBe(maxFlushes);
			await Promise.all(directs.map((d) => d.disconnect()));
		}
	);
});

// One random named op by `userId` on `shardOwner`'s shard, as a client would run it.
function randomOp({
	prng,
	view,
	userId,
	shardOwner,
	phones
}: {
	prng: Prng;
	view: Awaited<ReturnType<typeof boardFor>>;
	userId: string;
	shardOwner: string;
	phones: string[];
}) {
	const scope = view.scope(shardOwner);
	const origin = as(userId);
	const stageIds = view.stageIds();
	const cards = readDeals(scope.dealDoc);
	const card = cards.length > 0 ? prng.pick(cards) : undefined;
	const op =
		userId === owner.id && prng.chance(0.1)
			? prng.pick(['addStage', 'renameStage', 'deleteStage'] as const)
			: !card || prng.chance(0.3)
				? 'create'
				: prng.pick(['move', 'move', 'fields', 'star', 'status', 'remove'] as const);
	switch (op) {
		case 'create': {
			const inline = prng.chance(0.3);
			createDeal(
				scope,
				{
					id: uuidv7(),
					title: `Giao dịch ${prng.int(1, 999)}`,
					stageId: prng.pick(stageIds),
					ownerId: shardOwner,
					amount: prng.int(0, 50) * 1_000_000,
					...(inline ? { customerName: 'Khách lẻ', customerPhone: prng.pick(phones) } : {})
				},
				origin
			);
			return;
		}
		case 'move': {
			const toStageId = prng.pick(stageIds);
			const after = prng.chance(0.5)
				? prng.pick(readDeals(prng.pick(view.dealDocs))).id
				: undefined;
			moveDeal(scope, { dealId: card!.id, toStageId, ...(after ? { after } : {}) }, origin);
			return;
		}
		case 'fields':
			updateDealFields(
				scope.dealDoc,
				{ dealId: card!.id, title: `Sửa ${prng.int(1, 99)}`, amount: prng.int(0, 9) * 500_000 },
				origin
			);
			return;
		case 'star':
			setStar(scope.dealDoc, { dealId: card!.id, starred: prng.chance(0.5) }, origin);
			return;
		case 'status': {
			const status = prng.pick(['open', 'won', 'lost', 'standby'] as const);
			setStatus(
				scope.dealDoc,
				{ dealId: card!.id, status, lostReason: 'Giá cao', standbyUntil: '2026-12-31' },
				origin
			);
			return;
		}
		case 'remove':
			removeDeal(scope.dealDoc, { dealId: card!.id }, origin);
			return;
		case 'addStage':
			addStage(view.pipelineDoc, { id: uuidv7(), name: `Bước ${prng.int(1, 99)}` }, origin);
			return;
		case 'renameStage':
			renameStage(view.pipelineDoc, { stageId: prng.pick(stageIds), name: 'Đổi tên' }, origin);
			return;
		case 'deleteStage': {
			const [stageId, target] = [prng.pick(stageIds), prng.pick(stageIds)];
			deleteStage(
				view.pipelineDoc,
				{ stageId, moveDealsTo: target, dealDocs: view.dealDocs },
				origin
			);
			for (const doc of view.dealDocs) {
				moveDealsFromDeletedStages({ ...scope, dealDoc: doc }, {}, origin);
			}
			return;
		}
	}
}

// The rows the server's documents stand for, compared with the tables until they agree and no
// card waits for its inline customer any more, twice in a row.
async function settled() {
	let agreed = 0;
	const deadline = Date.now() + 20_000;
	while (agreed < 2) {
		if (Date.now() > deadline) throw new Error('the projection did not settle');
		await new Promise((r) => setTimeout(r, 250));
		agreed = (await agrees()) ? agreed + 1 : 0;
	}
}

async function agrees() {
	const loaded = (name: string) => live.hocuspocus.documents.get(name);
	const pipelineDoc = loaded(pipelineDocName(p));
	if (!pipelineDoc) return false;
	const expectedStages = stageRows({ pipelineDoc, orgId: org.id, pipelineId: p });
	const shards = [rep.id, otherRep.id].map((o) =>
		shardRows({ dealDoc: loaded(dealsDocName(p, o))!, orgId: org.id, pipelineId: p, ownerId: o })
	);
	const expectedDeals = boardRows(shards);
	if (expectedDeals.some((d) => d.customerPhone && !d.customerId)) return false;
	const { stages: stageTable, deals: dealTable } = await tables();
	const sameSet = <T extends { id: string }>(a: T[], b: T[], same: (x: T, y: T) => boolean) =>
		a.length === b.length && a.every((x) => b.some((y) => y.id === x.id && same(x, y)));
	return (
		sameSet(expectedStages, stageTable, sameStage) &&
		sameSet(expectedDeals, dealTable as DealRow[], sameDeal)
	);
}

async function tables() {
	return {
		stages: await db.select().from(stages).where(eq(stages.pipelineId, p)).orderBy(asc(stages.id)),
		deals: await db.select().from(deals).where(eq(deals.pipelineId, p)).orderBy(asc(deals.id))
	};
}

async function anotherPipeline() {
	const [row] = await db
		.insert(pipelines)
		.values({ orgId: org.id, name: 'Bán lẻ', position: generateKeyBetween('a0', null) })
		.returning();
	const doc = new Y.Doc();
	initPipeline(
		doc,
		{
			name: 'Bán lẻ',
			stages: [
				{ id: uuidv7(), name: 'Khách mới', color: '#64748b', winProbability: 10, rotDays: 3 }
			]
		},
		{ kind: 'server', reason: 'test' }
	);
	await db
		.insert(collabDocuments)
		.values({ name: pipelineDocName(row!.id), state: Y.encodeStateAsUpdate(doc) });
	return row!.id;
}

async function foreignCustomerId() {
	const stranger = await createUser(db, { name: 'Người Ngoài' });
	const foreign = await createOrg(db, { ownerId: stranger.id, name: 'Công ty khác' });
	const [c] = await db
		.insert(customers)
		.values({ orgId: foreign.id, name: 'Khách của người khác', phones: ['+84912345678'] })
		.returning();
	return c!.id;
}
