import { and, asc, count, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { memberships, users, type Role } from '../db/schema';
import { OrgRuleError } from './errors';
import * as orgs from './orgs.repo';
import { assignableRoles, mayManage, roleRank } from './roles';

// Members of one organisation. Every change locks the organisation row first, then re-reads the
// actor's role inside the transaction: a rule is decided on committed state, not on what the
// actor's page showed.

export async function list(db: Tx, { orgId }: { orgId: string }) {
	const rows = await db
		.select({
			userId: users.id,
			name: users.name,
			email: users.email,
			role: memberships.role,
			joinedAt: memberships.createdAt
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.orgId, orgId))
		.orderBy(asc(memberships.createdAt));
	return rows.sort(
		(a, b) => roleRank(a.role) - roleRank(b.role) || a.name.localeCompare(b.name, 'vi')
	);
}

async function roleOf(tx: Tx, { orgId, userId }: { orgId: string; userId: string }) {
	const [row] = await tx
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return row?.role ?? null;
}

async function ownerCount(tx: Tx, { orgId }: { orgId: string }) {
	const [row] = await tx
		.select({ n: count() })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
	return row?.n ?? 0;
}

async function begin(tx: Tx, { orgId, actorId }: { orgId: string; actorId: string }) {
	const org = await orgs.lock(tx, { orgId });
	if (!org) throw new OrgRuleError('notFound');
	const actorRole = await roleOf(tx, { orgId, userId: actorId });
	// Removed a moment ago: the same answer as the guard's.
	if (!actorRole) throw new OrgRuleError('notFound');
	return { org, actorRole };
}

async function nameOf(tx: Tx, { userId }: { userId: string }) {
	const [u] = await tx
		.select({ name: users.name, email: users.email })
		.from(users)
		.where(eq(users.id, userId));
	return u!;
}

/**
 * Gives a member another role. Returns `changed: false` when the role was already that one.
 * The caller closes the member's collab sockets after commit when it changed.
 */
export async function changeRole(
	db: Db,
	{ orgId, actorId, userId, role }: { orgId: string; actorId: string; userId: string; role: Role }
) {
	return db.transaction(async (tx) => {
		const { actorRole } = await begin(tx, { orgId, actorId });
		if (actorId === userId) throw new OrgRuleError('self');
		const current = await roleOf(tx, { orgId, userId });
		if (!current) throw new OrgRuleError('notFound');
		if (!mayManage(actorRole, current) || !assignableRoles(actorRole).includes(role)) {
			throw new OrgRuleError('roleNotAllowed');
		}
		const who = await nameOf(tx, { userId });
		if (current === role) return { changed: false, ...who };
		if (current === 'owner' && (await ownerCount(tx, { orgId })) <= 1) {
			throw new OrgRuleError('lastOwner');
		}
		await tx
			.update(memberships)
			.set({ role })
			.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
		return { changed: true, ...who };
	});
}

/** Removes someone else. The caller closes their collab sockets after commit. */
export async function remove(
	db: Db,
	{ orgId, actorId, userId }: { orgId: string; actorId: string; userId: string }
) {
	return db.transaction(async (tx) => {
		const { actorRole } = await begin(tx, { orgId, actorId });
		if (actorId === userId) throw new OrgRuleError('self');
		const current = await roleOf(tx, { orgId, userId });
		if (!current) throw new OrgRuleError('notFound');
		if (!mayManage(actorRole, current)) throw new OrgRuleError('roleNotAllowed');
		if (current === 'owner' && (await ownerCount(tx, { orgId })) <= 1) {
			throw new OrgRuleError('lastOwner');
		}
		const who = await nameOf(tx, { userId });
		await drop(tx, { orgId, userId });
		return who;
	});
}

/** Any member leaves on their own, except the last owner. */
export async function leave(db: Db, { orgId, userId }: { orgId: string; userId: string }) {
	return db.transaction(async (tx) => {
		const { actorRole } = await begin(tx, { orgId, actorId: userId });
		if (actorRole === 'owner' && (await ownerCount(tx, { orgId })) <= 1) {
			throw new OrgRuleError('lastOwner');
		}
		await drop(tx, { orgId, userId });
	});
}

async function drop(tx: Tx, { orgId, userId }: { orgId: string; userId: string }) {
	await tx
		.delete(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	// `/` would fall back anyway; clearing it keeps the stored preference honest.
	await tx
		.update(users)
		.set({ activeOrgId: null })
		.where(and(eq(users.id, userId), eq(users.activeOrgId, orgId)));
}
