import { count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitations, memberships } from '../../../src/lib/server/db/schema';
import { OrgRuleError } from '../../../src/lib/server/orgs/errors';
import * as invites from '../../../src/lib/server/orgs/invitations.repo';
import * as planOps from '../../../src/lib/server/orgs/plans.repo';
import { ruleMessage } from '../../../src/lib/server/orgs/rule-messages';
import * as seats from '../../../src/lib/server/orgs/seats';
import { translate } from '../../../src/lib/i18n';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser } from '../../support/factories';
import { ORIGIN, startBoss, waitForLockWaits } from './support';

// Gói 1 allows 10 seats; a seat is a member or a pending invitation.
const { db, url } = await testDb();
const boss = await startBoss(url);
const DAY = 24 * 60 * 60 * 1000;

async function orgWith({ members, plan = 'goi1' }: { members: number; plan?: 'goi1' | 'goi3' }) {
	const owner = await createUser(db, { name: 'Đỗ Minh Khoa' });
	const org = await createOrg(db, { ownerId: owner.id });
	for (let i = 1; i < members; i++) {
		const u = await createUser(db);
		await addMember(db, { orgId: org.id, userId: u.id, role: 'sales' });
	}
	if (plan === 'goi1') await planOps.setPlan(db, { orgId: org.id, plan: 'goi1' });
	return { owner, org };
}

const invite = (orgId: string, inviterId: string, email: string, now?: Date) =>
	invites.create(db, { boss, origin: ORIGIN, orgId, inviterId, email, role: 'sales', now });

async function memberCount(orgId: string) {
	const [row] = await db
		.select({ n: count() })
		.from(memberships)
		.where(eq(memberships.orgId, orgId));
	return row!.n;
}

describe('seats on Gói 1', () => {
	it('refuses the 11th seat with the plan’s message in the user’s language', async () => {
		const { owner, org } = await orgWith({ members: 10 });
		const err = await invite(org.id, owner.id, 'thu11@example.vn').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(OrgRuleError);
		const refused = err as OrgRuleError;
		expect(refused.rule).toBe('seatLimit');

		const vi = ruleMessage(refused, 'vi');
		expect(translate('vi', vi.key, vi.params)).toBe(
			'Gói 1 cho phép tối đa 10 tài khoản. Hãy nâng cấp gói hoặc xoá bớt thành viên.'
		);
		const en = ruleMessage(refused, 'en');
		expect(translate('en', en.key, en.params)).toBe(
			'Plan 1 allows at most 10 seats. Upgrade the plan or remove some members.'
		);
		expect(await invites.listOpen(db, { orgId: org.id })).toHaveLength(0);
	});

	it('counts pending invitations as seats, and frees the seat when one is revoked or expires', async () => {
		const { owner, org } = await orgWith({ members: 8 });
		const now = new Date('2026-04-01T02:00:00Z');
		const ninth = await invite(org.id, owner.id, 'a9@example.vn', now);
		await invite(org.id, owner.id, 'a10@example.vn', new Date(now.getTime() - 6 * DAY));
		expect(await seats.usage(db, { orgId: org.id, now })).toEqual({
			members: 8,
			pending: 2,
			used: 10
		});
		await expect(invite(org.id, owner.id, 'a11@example.vn', now)).rejects.toMatchObject({
			rule: 'seatLimit'
		});

		await invites.revoke(db, { orgId: org.id, actorId: owner.id, invitationId: ninth.id });
		await invite(org.id, owner.id, 'a11@example.vn', now);

		// Two days later the invitation sent six days before `now` has expired: its seat is free.
		const later = new Date(now.getTime() + 2 * DAY);
		expect((await seats.usage(db, { orgId: org.id, now: later })).used).toBe(9);
		await invite(org.id, owner.id, 'a12@example.vn', later);
	});

	it('lets exactly one of two concurrent accepts take the last seat', async () => {
		// Invitations sent during the trial (Gói 3), then the organisation moves to Gói 1 with
		// 9 members and 2 pending invitations: one seat for two people.
		const { owner, org } = await orgWith({ members: 9, plan: 'goi3' });
		const a = await invite(org.id, owner.id, 'race-a@example.vn');
		const b = await invite(org.id, owner.id, 'race-b@example.vn');
		await planOps.setPlan(db, { orgId: org.id, plan: 'goi1' });
		const [ua, ub] = [await createUser(db), await createUser(db)];

		// Hold both invitation rows so that the two accepts start together and wait side by side;
		// without the organisation lock both would then count 9 members and both join.
		let accepts: Promise<PromiseSettledResult<unknown>[]> | undefined;
		await db.transaction(async (tx) => {
			await tx
				.select({ id: invitations.id })
				.from(invitations)
				.where(inArray(invitations.id, [a.id, b.id]))
				.for('update');
			accepts = Promise.allSettled([
				invites.accept(db, { token: a.token, userId: ua.id }),
				invites.accept(db, { token: b.token, userId: ub.id })
			]);
			await waitForLockWaits(db, 2);
		});
		const results = await accepts!;
		const won = results.filter((r) => r.status === 'fulfilled');
		const lost = results.filter((r) => r.status === 'rejected');
		expect(won).toHaveLength(1);
		expect(lost).toHaveLength(1);
		expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ rule: 'seatsFull' });
		expect(await memberCount(org.id)).toBe(10);
	});

	it('counts nothing against an unlimited plan', async () => {
		const { owner, org } = await orgWith({ members: 1, plan: 'goi3' });
		await planOps.setPlan(db, { orgId: org.id, plan: 'goi4' });
		for (let i = 0; i < 3; i++) await invite(org.id, owner.id, `u${i}@example.vn`);
		expect((await seats.usage(db, { orgId: org.id })).used).toBe(4);
	});
});
