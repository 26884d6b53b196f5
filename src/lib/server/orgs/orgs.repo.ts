import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { memberships, organisations, users, type Role } from '../db/schema';
import * as pipelinesRepo from '../pipelines/pipelines.repo';
import { plans, TRIAL_DAYS, TRIAL_PLAN } from './plans';

export type OrgSettings = {
	name: string;
	timeZone?: string;
	currency?: string;
	locale?: 'vi' | 'en';
};

/**
 * Creates an organisation on a 10-day trial with Gói 3's limits; the creator becomes its owner.
 * It starts with a default pipeline in its locale unless `withDefaultPipeline` is false (the
 * demo seed brings its own pipelines).
 */
export async function create(
	db: Tx,
	{
		ownerId,
		settings,
		now = new Date(),
		withDefaultPipeline = true
	}: { ownerId: string; settings: OrgSettings; now?: Date; withDefaultPipeline?: boolean }
) {
	return db.transaction(async (tx) => {
		const [org] = await tx
			.insert(organisations)
			.values({
				...settings,
				plan: TRIAL_PLAN,
				...plans[TRIAL_PLAN],
				trialEndsAt: new Date(now.getTime() + TRIAL_DAYS * 24 * 60 * 60 * 1000)
			})
			.returning();
		await tx.insert(memberships).values({ orgId: org!.id, userId: ownerId, role: 'owner' });
		await tx.update(users).set({ activeOrgId: org!.id }).where(eq(users.id, ownerId));
		if (withDefaultPipeline) {
			await pipelinesRepo.createDefault(tx, {
				orgId: org!.id,
				locale: org!.locale,
				createdBy: ownerId
			});
		}
		return org!;
	});
}

/** The caller's role in an organisation, or null when they are not a member. */
export async function membership(db: Tx, { orgId, userId }: { orgId: string; userId: string }) {
	const [row] = await db
		.select({ org: organisations, role: memberships.role })
		.from(memberships)
		.innerJoin(organisations, eq(organisations.id, memberships.orgId))
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return row ?? null;
}

export async function listForUser(db: Tx, { userId }: { userId: string }) {
	return db
		.select({ id: organisations.id, name: organisations.name, role: memberships.role })
		.from(memberships)
		.innerJoin(organisations, eq(organisations.id, memberships.orgId))
		.where(eq(memberships.userId, userId))
		.orderBy(asc(organisations.name));
}

/** Where `/` sends a signed-in user: their active organisation if still a member, else any. */
export async function landingOrg(
	db: Tx,
	{ userId, preferredOrgId }: { userId: string; preferredOrgId: string | null }
) {
	const all = await listForUser(db, { userId });
	return all.find((o) => o.id === preferredOrgId) ?? all[0] ?? null;
}

export async function get(db: Tx, { orgId }: { orgId: string }) {
	const [org] = await db.select().from(organisations).where(eq(organisations.id, orgId));
	return org ?? null;
}

/**
 * Locks the organisation row until the transaction ends. Every change that counts seats or
 * owners takes this lock first, so two concurrent invites, accepts or demotions are serialised.
 */
export async function lock(tx: Tx, { orgId }: { orgId: string }) {
	const [org] = await tx
		.select()
		.from(organisations)
		.where(eq(organisations.id, orgId))
		.for('update');
	return org ?? null;
}

export async function updateSettings(
	db: Tx,
	{ orgId, settings }: { orgId: string; settings: Required<OrgSettings> }
) {
	const [org] = await db
		.update(organisations)
		.set(settings)
		.where(eq(organisations.id, orgId))
		.returning();
	return org ?? null;
}

/** Remembers the organisation a user last opened, for `/`. */
export async function setActive(
	db: Tx,
	{ userId, orgId }: { userId: string; orgId: string | null }
) {
	await db.update(users).set({ activeOrgId: orgId }).where(eq(users.id, userId));
}

export type Action = 'manageMembers' | 'manageSettings' | 'readOutbox' | 'viewInvitations';

export function can(role: Role, action: Action) {
	switch (action) {
		case 'manageMembers':
		case 'manageSettings':
		case 'viewInvitations':
			return role === 'owner' || role === 'manager';
		case 'readOutbox':
			return role === 'owner';
	}
}
