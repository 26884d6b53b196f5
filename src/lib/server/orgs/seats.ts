import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { invitations, memberships, type PlanCode } from '../db/schema';
import { OrgRuleError } from './errors';

// A seat is a member or a pending invitation (neither accepted, revoked nor expired): inviting
// reserves the seat, so a full organisation cannot send invitations nobody could accept.

export async function usage(db: Tx, { orgId, now = new Date() }: { orgId: string; now?: Date }) {
	const [m] = await db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId));
	const [p] = await db
		.select({ n: count() })
		.from(invitations)
		.where(
			and(
				eq(invitations.orgId, orgId),
				isNull(invitations.acceptedAt),
				isNull(invitations.revokedAt),
				gt(invitations.expiresAt, now)
			)
		);
	const members = m?.n ?? 0;
	const pending = p?.n ?? 0;
	return { members, pending, used: members + pending };
}

/** Refuses one more seat beyond the plan. Call with the organisation row locked. */
export async function assertFree(
	tx: Tx,
	{
		org,
		now = new Date()
	}: { org: { id: string; plan: PlanCode; maxSeats: number | null }; now?: Date }
) {
	if (org.maxSeats === null) return;
	const { used } = await usage(tx, { orgId: org.id, now });
	if (used + 1 > org.maxSeats) {
		throw new OrgRuleError('seatLimit', { plan: org.plan, max: org.maxSeats });
	}
}
