import { and, count, eq, isNull } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineDocName, readStages } from '$lib/board/doc';
import { createDeal } from '$lib/board/ops';
import { readDeal } from '$lib/board/read';
import { dealDocName } from '$lib/deal/doc';
import { addContact, addTask, removeContact, updateContact } from '$lib/deal/ops';
import { collabUpdates, dealActivities, deals } from '$lib/server/db/schema';
import { collabStack } from '../../tests/support/collab-stack';
import { testDb } from '../../tests/support/db';
import { createOwnerBoard } from '../../tests/support/factories';

// Board SPEC B22 against a real Hocuspocus and PostgreSQL: the contact log of `deal:<id>`
// (written by a member's client) reaches the card in the owner's shard as `lastContactAt`, live
// on an open board; nothing else writes the shard; a shard that loads mends what its cards lack.

const { db } = await testDb();
const stack = await collabStack({ db });
afterAll(() => stack.stop());

const { owner, org, pipelineId, shardName } = await createOwnerBoard(db);
const as = { kind: 'user', userId: owner.id } as const;
const DAY = 86_400_000;

async function newDeal(title: string) {
	const pipe = await stack.open(owner.id, pipelineDocName(pipelineId));
	const shard = await stack.open(owner.id, shardName);
	const id = uuidv7();
	createDeal(
		{ pipelineDoc: pipe.doc, dealDoc: shard.doc },
		{ id, title, stageId: readStages(pipe.doc)[0]!.id, ownerId: owner.id, amount: 5_000_000 },
		as
	);
	await expect
		.poll(async () => (await db.select().from(deals).where(eq(deals.id, id))).length)
		.toBe(1);
	pipe.destroy();
	return { id, shard };
}

const shardWrites = async () =>
	(
		await db
			.select({ n: count() })
			.from(collabUpdates)
			.where(and(eq(collabUpdates.docName, shardName), isNull(collabUpdates.userId)))
	)[0]!.n;

describe('lastContactAt on the card', () => {
	it('[B22] follows the latest contact live: added, moved, removed, and gone with the log', async () => {
		const { id, shard } = await newDeal('Máy chấm công văn phòng Quận 3');
		const log = await stack.open(owner.id, dealDocName(id));
		const card = () => readDeal(shard.doc, id)!;
		const t0 = Date.now() - 20 * DAY;
		const [a, b] = [uuidv7(), uuidv7()];
		addContact(
			log.doc,
			{ id: a, kind: 'call', at: t0, summary: 'Gọi giới thiệu', createdBy: owner.id },
			as
		);
		await expect.poll(() => card().lastContactAt).toBe(t0);
		addContact(
			log.doc,
			{
				id: b,
				kind: 'meeting',
				at: t0 + 5 * DAY,
				summary: 'Gặp tại văn phòng',
				createdBy: owner.id
			},
			as
		);
		await expect.poll(() => card().lastContactAt).toBe(t0 + 5 * DAY);
		// An older entry moved later becomes the latest.
		updateContact(log.doc, { id: a, at: t0 + 8 * DAY }, as);
		await expect.poll(() => card().lastContactAt).toBe(t0 + 8 * DAY);
		removeContact(log.doc, { id: a }, as);
		await expect.poll(() => card().lastContactAt).toBe(t0 + 5 * DAY);
		removeContact(log.doc, { id: b }, as);
		await expect.poll(() => card().lastContactAt).toBeUndefined();
		// Not an edit of the deal: the card's updatedAt and the deal row stay.
		const [row] = await db.select().from(deals).where(eq(deals.id, id));
		expect(row!.updatedAt.getTime()).toBe(card().updatedAt);
		log.destroy();
		shard.destroy();
	});

	it('[B22] writes nothing when the latest contact did not change', async () => {
		const { id, shard } = await newDeal('Lắp điều hoà nhà xưởng Bình Dương');
		const log = await stack.open(owner.id, dealDocName(id));
		const at = Date.now() - 3 * DAY;
		const entry = uuidv7();
		addContact(
			log.doc,
			{ id: entry, kind: 'zalo', at, summary: 'Nhắn Zalo', createdBy: owner.id },
			as
		);
		await expect.poll(() => readDeal(shard.doc, id)!.lastContactAt).toBe(at);
		const before = await shardWrites();
		// A summary edit, an older entry and a task: none changes the latest contact.
		updateContact(log.doc, { id: entry, summary: 'Nhắn Zalo, gửi báo giá' }, as);
		addContact(
			log.doc,
			{ id: uuidv7(), kind: 'call', at: at - DAY, summary: 'Gọi trước đó', createdBy: owner.id },
			as
		);
		addTask(
			log.doc,
			{
				id: uuidv7(),
				title: 'Gọi lại',
				dueAt: Date.now() + DAY,
				remindBefore: 60,
				createdBy: owner.id
			},
			as
		);
		await expect
			.poll(
				async () =>
					(await db.select().from(dealActivities).where(eq(dealActivities.dealId, id))).length
			)
			.toBe(2);
		await new Promise((r) => setTimeout(r, 300));
		expect(await shardWrites()).toBe(before);
		log.destroy();
		shard.destroy();
	});

	it('[B22] a shard that loads takes what its cards lack from the contact table', async () => {
		const { id, shard } = await newDeal('Camera an ninh chung cư Thủ Đức');
		shard.destroy();
		// Contacts recorded while no card could be written (before the copy existed, or a crash).
		const at = Date.now() - 9 * DAY;
		await db.insert(dealActivities).values({
			id: uuidv7(),
			orgId: org.id,
			dealId: id,
			kind: 'call',
			at: new Date(at),
			summary: 'Gọi khảo sát',
			createdBy: owner.id,
			createdAt: new Date(at)
		});
		await expect
			.poll(() => stack.hocuspocus.documents.has(shardName), { timeout: 10_000 })
			.toBe(false);
		const again = await stack.open(owner.id, shardName);
		await expect.poll(() => readDeal(again.doc, id)!.lastContactAt).toBe(at);
		again.destroy();
	});
});
