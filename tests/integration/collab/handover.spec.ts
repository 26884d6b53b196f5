import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, moveDeal, updateDealFields } from '../../../src/lib/board/ops';
import { boardDeals, readDeal } from '../../../src/lib/board/read';
import * as session from '../../../src/lib/server/auth/session';
import * as collabLog from '../../../src/lib/server/collab/log';
import { dealOwnerChanges, deals, pipelines } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { acked, connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

// Reassigning a deal's owner (issue 3 item 7, SPEC B19): the deal moves to the new owner's shard
// on the server, an ownership event is recorded, and edits made offline to the old copy at the
// same time reach the new copy. Real server, real sockets, checked against PostgreSQL.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const manager = await createUser(app.db, { name: 'Trần Quốc Huy' });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const [pipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const pipelineId = pipeline!.id;

async function cookieFor(userId: string) {
	const { token } = await session.create(app.db, { userId });
	return `__Host-chot_session=${token}`;
}

async function open(userId: string, documentName: string) {
	const c = connect({ origin: app.origin, documentName, cookie: await cookieFor(userId) });
	await c.synced;
	return c;
}

async function stored(docName: string) {
	const doc = new Y.Doc();
	await collabLog.loadInto(app.db, { docName, doc });
	return doc;
}

async function reassign(
	userId: string,
	dealId: string,
	body: { fromOwnerId: string; toOwnerId: string }
) {
	const res = await fetch(`${app.origin}/o/${org.id}/boards/${pipelineId}/deals/${dealId}/owner`, {
		method: 'POST',
		headers: {
			cookie: await cookieFor(userId),
			origin: app.origin,
			'content-type': 'application/json'
		},
		body: JSON.stringify(body)
	});
	return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
}

const until = async (check: () => Promise<boolean>, ms = 5000) => {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await check()) return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
};

async function namsDeal(title: string) {
	const pipe = await open(nam.id, pipelineDocName(pipelineId));
	const shard = await open(nam.id, dealsDocName(pipelineId, nam.id));
	const stages = readStages(pipe.doc);
	const id = uuidv7();
	createDeal(
		{ pipelineDoc: pipe.doc, dealDoc: shard.doc },
		{ id, title, stageId: stages[0]!.id, ownerId: nam.id, amount: 45_000_000 },
		{ kind: 'user', userId: nam.id }
	);
	await acked(shard.provider);
	return { id, pipe, shard, stages };
}

describe('[B19] reassigning a deal’s owner', () => {
	it('moves the deal to the new owner’s shard and records the event with the amount', async () => {
		const { id, pipe, shard } = await namsDeal('Máy lạnh cho văn phòng Quận 7');
		const res = await reassign(manager.id, id, { fromOwnerId: nam.id, toOwnerId: ha.id });
		expect(res).toEqual({ status: 200, body: { changed: true } });

		const oldDoc = await stored(dealsDocName(pipelineId, nam.id));
		const newDoc = await stored(dealsDocName(pipelineId, ha.id));
		expect(readDeal(oldDoc, id)?.movedTo).toBe(ha.id);
		expect(readDeal(newDoc, id)).toMatchObject({
			title: 'Máy lạnh cho văn phòng Quận 7',
			ownerId: ha.id,
			amount: 45_000_000
		});
		// Shown once, as Hà's.
		const shown = boardDeals([oldDoc, newDoc]).filter((d) => d.id === id);
		expect(shown).toHaveLength(1);
		expect(shown[0]!.ownerId).toBe(ha.id);
		// Nam's live replica hears of it too: the card leaves his board.
		expect(await until(async () => readDeal(shard.doc, id)?.movedTo === ha.id)).toBe(true);

		const events = await app.db
			.select()
			.from(dealOwnerChanges)
			.where(eq(dealOwnerChanges.dealId, id));
		expect(events).toMatchObject([
			{ fromOwnerId: nam.id, toOwnerId: ha.id, amount: 45_000_000, status: 'open' }
		]);
		expect(events[0]!.changedBy).toBe(manager.id);
		// The projection follows: one row, Hà's.
		expect(
			await until(async () => {
				const [row] = await app.db.select().from(deals).where(eq(deals.id, id));
				return row?.ownerId === ha.id;
			})
		).toBe(true);

		// Again, the same way: nothing changes, no second event.
		expect(await reassign(manager.id, id, { fromOwnerId: nam.id, toOwnerId: ha.id })).toEqual({
			status: 200,
			body: { changed: false }
		});
		expect(
			await app.db.select().from(dealOwnerChanges).where(eq(dealOwnerChanges.dealId, id))
		).toHaveLength(1);
		pipe.destroy();
		shard.destroy();
	});

	it('carries edits made offline to the old copy over to the new owner', async () => {
		const { id, pipe, shard, stages } = await namsDeal('Camera cho kho Bình Dương');
		// Nam loses the network and keeps working on the card he knows.
		shard.socket.disconnect();
		updateDealFields(
			shard.doc,
			{ dealId: id, title: 'Camera cho kho Bình Dương (12 mắt)', amount: 61_000_000 },
			{ kind: 'user', userId: nam.id }
		);
		moveDeal(
			{ pipelineDoc: pipe.doc, dealDoc: shard.doc },
			{ dealId: id, toStageId: stages[2]!.id },
			{ kind: 'user', userId: nam.id }
		);
		// Meanwhile the manager gives the deal to Hà.
		expect((await reassign(manager.id, id, { fromOwnerId: nam.id, toOwnerId: ha.id })).status).toBe(
			200
		);
		// Hà's copy was made from what the server had: without Nam's offline edits.
		expect(readDeal(await stored(dealsDocName(pipelineId, ha.id)), id)).toMatchObject({
			title: 'Camera cho kho Bình Dương',
			amount: 45_000_000,
			stageId: stages[0]!.id
		});
		// Nam comes back: his edits reach Hà's copy.
		void shard.socket.connect();
		await acked(shard.provider);
		const arrived = await until(async () => {
			const d = readDeal(await stored(dealsDocName(pipelineId, ha.id)), id);
			return (
				d?.title === 'Camera cho kho Bình Dương (12 mắt)' &&
				d.amount === 61_000_000 &&
				d.stageId === stages[2]!.id
			);
		});
		expect(arrived).toBe(true);
		// And the board shows the deal once, with his edits, as Hà's.
		const shown = boardDeals([
			await stored(dealsDocName(pipelineId, nam.id)),
			await stored(dealsDocName(pipelineId, ha.id))
		]).filter((d) => d.id === id);
		expect(shown).toHaveLength(1);
		expect(shown[0]).toMatchObject({ ownerId: ha.id, title: 'Camera cho kho Bình Dương (12 mắt)' });
		pipe.destroy();
		shard.destroy();
	});

	it('lets a rep hand over only their own deals, and never to an accountant', async () => {
		const { id, pipe, shard } = await namsDeal('Bảo trì thang máy');
		expect((await reassign(ha.id, id, { fromOwnerId: nam.id, toOwnerId: ha.id })).status).toBe(403);
		const toAccountant = await reassign(manager.id, id, {
			fromOwnerId: nam.id,
			toOwnerId: accountant.id
		});
		expect(toAccountant.status).toBe(422);
		expect(toAccountant.body).toEqual({ message: 'Người này không thể phụ trách giao dịch.' });
		expect(
			(await reassign(accountant.id, id, { fromOwnerId: nam.id, toOwnerId: ha.id })).status
		).toBe(403);
		// Nothing moved.
		expect(readDeal(await stored(dealsDocName(pipelineId, nam.id)), id)?.movedTo).toBeUndefined();
		expect(readDeal(await stored(dealsDocName(pipelineId, ha.id)), id)).toBeUndefined();
		expect(
			await app.db
				.select()
				.from(dealOwnerChanges)
				.where(and(eq(dealOwnerChanges.dealId, id)))
		).toHaveLength(0);
		// His own deal, to Hà: allowed.
		expect((await reassign(nam.id, id, { fromOwnerId: nam.id, toOwnerId: ha.id })).status).toBe(
			200
		);
		// Bad input: a clear message, nothing done.
		const bad = await reassign(manager.id, id, { fromOwnerId: 'x', toOwnerId: ha.id });
		expect(bad).toEqual({ status: 400, body: { message: 'Yêu cầu không hợp lệ.' } });
		pipe.destroy();
		shard.destroy();
	});
});
