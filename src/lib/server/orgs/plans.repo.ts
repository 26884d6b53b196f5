import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { organisations, type PlanCode } from '../db/schema';
import { plans } from './plans';

// Plan changes made by an operator (`npm run admin`), never by the organisation itself.

export type Limits = {
	maxSeats?: number | null;
	maxRecordsPerMonth?: number | null;
	maxUnits?: number | null;
};

/** Moves to a plan with its standard limits; a trial ends when a plan is chosen. */
export async function setPlan(db: Tx, { orgId, plan }: { orgId: string; plan: PlanCode }) {
	const [org] = await db
		.update(organisations)
		.set({ plan, ...plans[plan], trialEndsAt: null })
		.where(eq(organisations.id, orgId))
		.returning();
	return org ?? null;
}

/** Custom limits (Gói 4); null is unlimited, a missing key leaves that limit as it is. */
export async function setLimits(db: Tx, { orgId, limits }: { orgId: string; limits: Limits }) {
	const [org] = await db
		.update(organisations)
		.set(limits)
		.where(eq(organisations.id, orgId))
		.returning();
	return org ?? null;
}

/** The trial ends `days` days from `now` (0 ends it now). */
export async function setTrial(
	db: Tx,
	{ orgId, days, now = new Date() }: { orgId: string; days: number; now?: Date }
) {
	const [org] = await db
		.update(organisations)
		.set({ trialEndsAt: new Date(now.getTime() + days * 24 * 60 * 60 * 1000) })
		.where(eq(organisations.id, orgId))
		.returning();
	return org ?? null;
}

/** Every organisation with its seat usage, for the operator. */
export async function summaries(db: Tx, { now = new Date() }: { now?: Date } = {}) {
	return db
		.select({
			id: organisations.id,
			name: organisations.name,
			plan: organisations.plan,
			maxSeats: organisations.maxSeats,
			maxRecordsPerMonth: organisations.maxRecordsPerMonth,
			maxUnits: organisations.maxUnits,
			trialEndsAt: organisations.trialEndsAt,
			// Written out: drizzle leaves column names unqualified inside sql``, and "id" would then
			// mean the invitation's id in the second subquery.
			members: sql<number>`(select count(*)::int from memberships m where m.org_id = organisations.id)`,
			pending: sql<number>`(select count(*)::int from invitations i where i.org_id = organisations.id and i.accepted_at is null and i.revoked_at is null and i.expires_at > ${now.toISOString()}::timestamptz)`
		})
		.from(organisations)
		.orderBy(asc(organisations.createdAt));
}
