import { isHttpError } from '@sveltejs/kit';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { requireMember } from '../../../src/lib/server/auth/guards';
import { memberships, users, type Role } from '../../../src/lib/server/db/schema';
import { OrgRuleError } from '../../../src/lib/server/orgs/errors';
import * as invites from '../../../src/lib/server/orgs/invitations.repo';
import * as members from '../../../src/lib/server/orgs/members.repo';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser } from '../../support/factories';
import { ORIGIN, startBoss, useRuntime, waitForLockWaits } from './support';

const { db, url } = await testDb();
const boss = await startBoss(url);
useRuntime({ db, boss });

async function team() {
	const owner = await createUser(db, { name: 'Chủ Văn Một' });
	const org = await createOrg(db, { ownerId: owner.id });
	const people: Record<Exclude<Role, 'owner'>, Awaited<ReturnType<typeof createUser>>> = {
		manager: await createUser(db, { name: 'Quản Thị Lý' }),
		sales: await createUser(db, { name: 'Bán Văn Hàng' }),
		accountant: await createUser(db, { name: 'Kế Thị Toán' })
	};
	for (const [role, u] of Object.entries(people)) {
		await addMember(db, { orgId: org.id, userId: u.id, role: role as Role });
	}
	return { org, owner, ...people };
}

async function roleOf(orgId: string, userId: string) {
	const [row] = await db
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return row?.role ?? null;
}

async function rule(p: Promise<unknown>) {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	if (!(err instanceof OrgRuleError)) throw new Error(`expected a refusal, got ${String(err)}`);
	return err.rule;
}

// requireMember as a load or action calls it, with the user the session hook would set.
function guard(user: { id: string }, orgId: string, roles?: readonly Role[]) {
	return requireMember(
		{
			locals: {
				user: {
					...user,
					email: 'x@example.vn',
					name: 'x',
					locale: 'vi',
					emailVerified: true,
					activeOrgId: null
				},
				session: { id: 's', userId: user.id, lastVerifiedAt: new Date() }
			} as App.Locals,
			url: new URL(`${ORIGIN}/o/${orgId}/boards`),
			params: { orgId }
		},
		{ roles }
	);
}

async function status(p: Promise<unknown>) {
	try {
		await p;
		return 200;
	} catch (err) {
		if (isHttpError(err)) return err.status;
		throw err;
	}
}

describe('role rules', () => {
	it('lets a manager move people among manager, sales and accountant', async () => {
		const { org, manager, sales, accountant } = await team();
		await members.changeRole(db, {
			orgId: org.id,
			actorId: manager.id,
			userId: sales.id,
			role: 'accountant'
		});
		await members.changeRole(db, {
			orgId: org.id,
			actorId: manager.id,
			userId: accountant.id,
			role: 'manager'
		});
		expect(await roleOf(org.id, sales.id)).toBe('accountant');
		expect(await roleOf(org.id, accountant.id)).toBe('manager');
	});

	it('never lets a manager grant, change or remove an owner', async () => {
		const { org, owner, manager, sales } = await team();
		const on = { orgId: org.id, actorId: manager.id };
		expect(await rule(members.changeRole(db, { ...on, userId: sales.id, role: 'owner' }))).toBe(
			'roleNotAllowed'
		);
		expect(await rule(members.changeRole(db, { ...on, userId: owner.id, role: 'sales' }))).toBe(
			'roleNotAllowed'
		);
		expect(await rule(members.remove(db, { ...on, userId: owner.id }))).toBe('roleNotAllowed');
		expect(
			await rule(
				invites.create(db, {
					boss,
					origin: ORIGIN,
					orgId: org.id,
					inviterId: manager.id,
					email: 'new-owner@example.vn',
					role: 'owner'
				})
			)
		).toBe('roleNotAllowed');
		expect(await roleOf(org.id, sales.id)).toBe('sales');
		expect(await roleOf(org.id, owner.id)).toBe('owner');
	});

	it('lets sales and accountants change nobody and invite nobody', async () => {
		const { org, manager, sales, accountant } = await team();
		for (const actor of [sales, accountant]) {
			expect(
				await rule(
					members.changeRole(db, {
						orgId: org.id,
						actorId: actor.id,
						userId: manager.id,
						role: 'sales'
					})
				)
			).toBe('roleNotAllowed');
			expect(
				await rule(members.remove(db, { orgId: org.id, actorId: actor.id, userId: manager.id }))
			).toBe('roleNotAllowed');
			expect(
				await rule(
					invites.create(db, {
						boss,
						origin: ORIGIN,
						orgId: org.id,
						inviterId: actor.id,
						email: `x-${actor.id}@example.vn`,
						role: 'sales'
					})
				)
			).toBe('roleNotAllowed');
		}
	});

	it('lets an owner make another owner, who may then step the first one down', async () => {
		const { org, owner, manager } = await team();
		await members.changeRole(db, {
			orgId: org.id,
			actorId: owner.id,
			userId: manager.id,
			role: 'owner'
		});
		await members.changeRole(db, {
			orgId: org.id,
			actorId: manager.id,
			userId: owner.id,
			role: 'manager'
		});
		expect(await roleOf(org.id, owner.id)).toBe('manager');
		expect(await roleOf(org.id, manager.id)).toBe('owner');
	});

	it('refuses changing one’s own role or removing oneself on the members page', async () => {
		const { org, owner, manager } = await team();
		expect(
			await rule(
				members.changeRole(db, {
					orgId: org.id,
					actorId: manager.id,
					userId: manager.id,
					role: 'sales'
				})
			)
		).toBe('self');
		expect(
			await rule(members.remove(db, { orgId: org.id, actorId: owner.id, userId: owner.id }))
		).toBe('self');
	});
});

describe('the last owner', () => {
	it('can neither leave nor be stepped down while alone', async () => {
		const { org, owner } = await team();
		expect(await rule(members.leave(db, { orgId: org.id, userId: owner.id }))).toBe('lastOwner');
		expect(await roleOf(org.id, owner.id)).toBe('owner');
	});

	it('survives two owners stepping each other down at the same moment', async () => {
		const { org, owner, manager } = await team();
		await members.changeRole(db, {
			orgId: org.id,
			actorId: owner.id,
			userId: manager.id,
			role: 'owner'
		});
		// Hold both owners' rows so the two demotions start together; without the organisation
		// lock both would count two owners and the organisation would be left with none.
		let demotions: Promise<PromiseSettledResult<unknown>[]> | undefined;
		await db.transaction(async (tx) => {
			await tx
				.select({ userId: memberships.userId })
				.from(memberships)
				.where(
					and(eq(memberships.orgId, org.id), inArray(memberships.userId, [owner.id, manager.id]))
				)
				.for('update');
			demotions = Promise.allSettled([
				members.changeRole(db, {
					orgId: org.id,
					actorId: owner.id,
					userId: manager.id,
					role: 'sales'
				}),
				members.changeRole(db, {
					orgId: org.id,
					actorId: manager.id,
					userId: owner.id,
					role: 'sales'
				})
			]);
			await waitForLockWaits(db, 2);
		});
		const results = await demotions!;
		// The second demotion is refused: its actor is no longer an owner.
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const roles = [await roleOf(org.id, owner.id), await roleOf(org.id, manager.id)];
		expect(roles.filter((r) => r === 'owner')).toHaveLength(1);
	});

	it('lets an owner leave once another owner exists', async () => {
		const { org, owner, manager } = await team();
		await members.changeRole(db, {
			orgId: org.id,
			actorId: owner.id,
			userId: manager.id,
			role: 'owner'
		});
		await members.leave(db, { orgId: org.id, userId: owner.id });
		expect(await roleOf(org.id, owner.id)).toBeNull();
	});
});

describe('removing a member', () => {
	it('deletes the membership so that the guard answers 404 on their next request', async () => {
		const { org, owner, sales } = await team();
		await db.update(users).set({ activeOrgId: org.id }).where(eq(users.id, sales.id));
		expect(await status(guard(sales, org.id))).toBe(200);

		const removed = await members.remove(db, {
			orgId: org.id,
			actorId: owner.id,
			userId: sales.id
		});
		expect(removed.name).toBe('Bán Văn Hàng');
		expect(await roleOf(org.id, sales.id)).toBeNull();
		expect(await status(guard(sales, org.id))).toBe(404);
		const [u] = await db.select().from(users).where(eq(users.id, sales.id));
		expect(u!.activeOrgId).toBeNull();
		// Everyone else is untouched.
		expect(await status(guard(owner, org.id))).toBe(200);
	});

	it('answers 403 to a member without the role, and 404 to a stranger', async () => {
		const { org, accountant } = await team();
		const stranger = await createUser(db);
		expect(await status(guard(accountant, org.id, ['owner', 'manager']))).toBe(403);
		expect(await status(guard(stranger, org.id))).toBe(404);
	});

	it('lets a manager remove sales and other managers', async () => {
		const { org, owner, manager, sales } = await team();
		const other = await createUser(db);
		await addMember(db, { orgId: org.id, userId: other.id, role: 'manager' });
		await members.remove(db, { orgId: org.id, actorId: manager.id, userId: sales.id });
		await members.remove(db, { orgId: org.id, actorId: manager.id, userId: other.id });
		expect(await roleOf(org.id, sales.id)).toBeNull();
		expect(await roleOf(org.id, other.id)).toBeNull();
		expect(await roleOf(org.id, owner.id)).toBe('owner');
	});

	it('refuses an actor who was removed a moment before', async () => {
		const { org, owner, manager, sales } = await team();
		await members.remove(db, { orgId: org.id, actorId: owner.id, userId: manager.id });
		expect(
			await rule(members.remove(db, { orgId: org.id, actorId: manager.id, userId: sales.id }))
		).toBe('notFound');
	});
});

describe('the member list', () => {
	it('lists owners first with name, email, role and joining date', async () => {
		const { org } = await team();
		const list = await members.list(db, { orgId: org.id });
		expect(list.map((m) => m.role)).toEqual(['owner', 'manager', 'sales', 'accountant']);
		expect(list[0]).toMatchObject({ name: 'Chủ Văn Một', email: expect.stringContaining('@') });
		expect(list[0]!.joinedAt).toBeInstanceOf(Date);
	});
});
