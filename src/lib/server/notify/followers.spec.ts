import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import { testDb } from '../../../../tests/support/db';
import { addMember, createUser, projectedDeal } from '../../../../tests/support/factories';
import { deals, pipelineSettings, pipelines, tasks } from '../db/schema';
import * as orgs from '../orgs/orgs.repo';
import { followersOf, followersOfDeals, setFollowing } from './followers';

const { db } = await testDb();

it('answers for a batch of deals what it answers for each deal alone', async () => {
	const owner = await createUser(db, { name: 'Nguyễn Thị Lan' });
	const manager = await createUser(db, { name: 'Trần Quốc Huy' });
	const nam = await createUser(db, { name: 'Lê Văn Nam' });
	const ha = await createUser(db, { name: 'Phạm Thu Hà' });
	const org = await orgs.create(db, {
		ownerId: owner.id,
		settings: { name: 'Công ty TNHH Sao Việt' },
		withDefaultPipeline: false
	});
	await addMember(db, { orgId: org.id, userId: manager.id, role: 'manager' });
	await addMember(db, { orgId: org.id, userId: nam.id, role: 'sales' });
	await addMember(db, { orgId: org.id, userId: ha.id, role: 'sales' });
	const [open, own] = await db
		.insert(pipelines)
		.values([
			{ orgId: org.id, name: 'Dự án', position: 'a0' },
			{ orgId: org.id, name: 'Bán lẻ', position: 'a1' }
		])
		.returning();
	await db.insert(pipelineSettings).values([
		{ pipelineId: open!.id, orgId: org.id, visibility: 'all', editing: 'own' },
		{ pipelineId: own!.id, orgId: org.id, visibility: 'own', editing: 'own' }
	]);
	const at = new Date('2026-11-02T09:00:00+07:00');
	const deal = (pipelineId: string, ownerId: string) =>
		projectedDeal({ orgId: org.id, pipelineId, ownerId });
	// Nam's deal where everyone sees everything; Nam's deal on an own-only pipeline; Hà's deal.
	const [shared, hidden, has] = [
		deal(open!.id, nam.id),
		deal(own!.id, nam.id),
		deal(open!.id, ha.id)
	];
	await db.insert(deals).values([shared, hidden, has]);
	// Hà follows both of Nam's deals (she may not see the own-only one); the manager is
	// assigned a task on it; Nam silences his own automatic follow of the shared one.
	await setFollowing(db, { orgId: org.id, dealId: shared.id, userId: ha.id, following: true });
	await setFollowing(db, { orgId: org.id, dealId: hidden.id, userId: ha.id, following: true });
	await setFollowing(db, { orgId: org.id, dealId: shared.id, userId: nam.id, following: false });
	await db.insert(tasks).values({
		id: uuidv7(),
		orgId: org.id,
		source: 'deal',
		dealId: hidden.id,
		title: 'Gọi lại khách',
		dueAt: at,
		remindAt: at,
		assigneeId: manager.id
	});
	const missing = uuidv7();

	const batch = await followersOfDeals(db, { dealIds: [shared.id, hidden.id, has.id, missing] });
	expect(Object.fromEntries(batch)).toEqual({
		[shared.id]: [ha.id],
		[hidden.id]: [manager.id, nam.id].sort(),
		[has.id]: [ha.id]
	});
	for (const id of [shared.id, hidden.id, has.id, missing])
		expect(await followersOf(db, { dealId: id })).toEqual(batch.get(id) ?? []);
});
