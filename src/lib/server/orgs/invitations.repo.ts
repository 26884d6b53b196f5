import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { translate, type Locale } from '$lib/i18n';
import { newToken, secretMatches, splitToken } from '../auth/tokens';
import type { Db, Tx } from '../db';
import { invitations, memberships, organisations, users, type Role } from '../db/schema';
import * as mail from '../mail/mail';
import { OrgRuleError } from './errors';
import * as orgs from './orgs.repo';
import { assignableRoles, mayManage } from './roles';
import * as seats from './seats';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

// Invitations are bearer links `<origin>/invite/<id>.<secret>`: only SHA-256(secret) is stored,
// so the table alone cannot be used to join anyone's organisation. A link works once, for 7 days.
// Lock order everywhere: organisation row, then invitation row.

type Mailer = {
	/** Delivers the queued message after the transaction commits. */
	boss: PgBoss;
	/** `config.origin`, for the link in the message. */
	origin: string;
};

export async function create(
	db: Db,
	{
		boss,
		origin,
		orgId,
		inviterId,
		email,
		role,
		now = new Date()
	}: Mailer & { orgId: string; inviterId: string; email: string; role: Role; now?: Date }
) {
	const sent = await db.transaction(async (tx) => {
		const { org, inviter } = await begin(tx, { orgId, inviterId });
		assertMayGrant(inviter.role, role);
		if (await isMember(tx, { orgId, email })) throw new OrgRuleError('alreadyMember');
		const [pending] = await tx
			.select({ id: invitations.id })
			.from(invitations)
			.where(and(eq(invitations.orgId, orgId), sameEmail(email), pendingAt(now)));
		if (pending) throw new OrgRuleError('alreadyInvited');
		await seats.assertFree(tx, { org, now });
		return insertAndQueue(tx, { org, inviter, email, role, origin, now });
	});
	await mail.dispatch(boss, sent.emailId);
	return sent;
}

/** A new link for a pending or expired invitation; the old link stops working. */
export async function resend(
	db: Db,
	{
		boss,
		origin,
		orgId,
		actorId,
		invitationId,
		now = new Date()
	}: Mailer & { orgId: string; actorId: string; invitationId: string; now?: Date }
) {
	const sent = await db.transaction(async (tx) => {
		const { org, inviter } = await begin(tx, { orgId, inviterId: actorId });
		const old = await openInvitation(tx, { orgId, invitationId });
		assertMayGrant(inviter.role, old.role);
		await tx.update(invitations).set({ revokedAt: now }).where(eq(invitations.id, old.id));
		if (await isMember(tx, { orgId, email: old.email })) throw new OrgRuleError('alreadyMember');
		// An expired invitation held no seat, so its renewal needs one.
		await seats.assertFree(tx, { org, now });
		return insertAndQueue(tx, { org, inviter, email: old.email, role: old.role, origin, now });
	});
	await mail.dispatch(boss, sent.emailId);
	return sent;
}

export async function revoke(
	db: Db,
	{
		orgId,
		actorId,
		invitationId,
		now = new Date()
	}: { orgId: string; actorId: string; invitationId: string; now?: Date }
) {
	return db.transaction(async (tx) => {
		const { inviter } = await begin(tx, { orgId, inviterId: actorId });
		const old = await openInvitation(tx, { orgId, invitationId });
		assertMayGrant(inviter.role, old.role);
		await tx.update(invitations).set({ revokedAt: now }).where(eq(invitations.id, old.id));
		return { email: old.email };
	});
}

/** Invitations not yet accepted or revoked, expired ones included (they can be resent). */
export async function listOpen(db: Tx, { orgId }: { orgId: string }) {
	return db
		.select({
			id: invitations.id,
			email: invitations.email,
			role: invitations.role,
			expiresAt: invitations.expiresAt,
			createdAt: invitations.createdAt,
			invitedBy: users.name
		})
		.from(invitations)
		.leftJoin(users, eq(users.id, invitations.invitedBy))
		.where(
			and(
				eq(invitations.orgId, orgId),
				isNull(invitations.acceptedAt),
				isNull(invitations.revokedAt)
			)
		)
		.orderBy(asc(invitations.createdAt));
}

/**
 * What the invitation page shows, or null for an unknown, forged, expired, revoked or used
 * token: one answer for all, so a link reveals nothing about organisations it does not open.
 */
export async function preview(db: Tx, { token, now = new Date() }: { token: string; now?: Date }) {
	const parts = splitToken(token);
	if (!parts) return null;
	const [row] = await db
		.select({
			id: invitations.id,
			secretHash: invitations.secretHash,
			orgId: invitations.orgId,
			orgName: organisations.name,
			email: invitations.email,
			role: invitations.role,
			expiresAt: invitations.expiresAt,
			acceptedAt: invitations.acceptedAt,
			revokedAt: invitations.revokedAt,
			inviterName: users.name
		})
		.from(invitations)
		.innerJoin(organisations, eq(organisations.id, invitations.orgId))
		.leftJoin(users, eq(users.id, invitations.invitedBy))
		.where(eq(invitations.id, parts.id));
	if (!row || !secretMatches(parts.secret, row.secretHash) || !isOpen(row, now)) return null;
	return {
		orgId: row.orgId,
		orgName: row.orgName,
		email: row.email,
		role: row.role,
		expiresAt: row.expiresAt,
		inviterName: row.inviterName
	};
}

/**
 * Joins the invited organisation with the invitation's role. Single use. Already a member: the
 * invitation is used up and nothing else changes. Re-checks seats with the organisation row
 * locked, so concurrent accepts never exceed the plan.
 */
export async function accept(
	db: Db,
	{ token, userId, now = new Date() }: { token: string; userId: string; now?: Date }
) {
	return db.transaction(async (tx) => {
		const parts = splitToken(token);
		if (!parts) throw new OrgRuleError('inviteInvalid');
		const [found] = await tx
			.select({ orgId: invitations.orgId })
			.from(invitations)
			.where(eq(invitations.id, parts.id));
		if (!found) throw new OrgRuleError('inviteInvalid');

		const org = await orgs.lock(tx, { orgId: found.orgId });
		const [inv] = await tx
			.select()
			.from(invitations)
			.where(eq(invitations.id, parts.id))
			.for('update');
		if (!org || !inv || !secretMatches(parts.secret, inv.secretHash) || !isOpen(inv, now)) {
			throw new OrgRuleError('inviteInvalid');
		}

		const [member] = await tx
			.select({ role: memberships.role })
			.from(memberships)
			.where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
		if (!member) {
			// Members only: the invitation being accepted already held one of the pending seats.
			const { members } = await seats.usage(tx, { orgId: org.id, now });
			if (org.maxSeats !== null && members + 1 > org.maxSeats) {
				throw new OrgRuleError('seatsFull', {
					plan: org.plan,
					max: org.maxSeats,
					orgName: org.name
				});
			}
			await tx.insert(memberships).values({ orgId: org.id, userId, role: inv.role });
		}
		await tx
			.update(invitations)
			.set({ acceptedAt: now, acceptedBy: userId })
			.where(eq(invitations.id, inv.id));
		// Following a link sent to that address proves the address, like the verification mail.
		await tx
			.update(users)
			.set({
				activeOrgId: org.id,
				emailVerifiedAt: sql`case when ${users.emailVerifiedAt} is null and lower(${users.email}) = lower(${inv.email}) then ${now.toISOString()}::timestamptz else ${users.emailVerifiedAt} end`
			})
			.where(eq(users.id, userId));
		return { orgId: org.id, role: member?.role ?? inv.role, alreadyMember: Boolean(member) };
	});
}

function isOpen(
	inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
	now: Date
) {
	return !inv.acceptedAt && !inv.revokedAt && inv.expiresAt.getTime() > now.getTime();
}

function pendingAt(now: Date) {
	return and(
		isNull(invitations.acceptedAt),
		isNull(invitations.revokedAt),
		gt(invitations.expiresAt, now)
	);
}

function sameEmail(email: string) {
	return sql`lower(${invitations.email}) = lower(${email})`;
}

async function isMember(tx: Tx, { orgId, email }: { orgId: string; email: string }) {
	const [row] = await tx
		.select({ userId: memberships.userId })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.orgId, orgId), sql`lower(${users.email}) = lower(${email})`));
	return Boolean(row);
}

// Locks the organisation and reads the inviter's role as of now (they may have just lost it).
async function begin(tx: Tx, { orgId, inviterId }: { orgId: string; inviterId: string }) {
	const org = await orgs.lock(tx, { orgId });
	if (!org) throw new OrgRuleError('notFound');
	const [inviter] = await tx
		.select({ name: users.name, role: memberships.role })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, inviterId)));
	if (!inviter) throw new OrgRuleError('notFound');
	return { org, inviter: { id: inviterId, ...inviter } };
}

// Inviting, resending and revoking follow the rule of role changes: managers stay among staff.
function assertMayGrant(actor: Role, role: Role) {
	if (!assignableRoles(actor).includes(role) || !mayManage(actor, role)) {
		throw new OrgRuleError('roleNotAllowed');
	}
}

async function openInvitation(
	tx: Tx,
	{ orgId, invitationId }: { orgId: string; invitationId: string }
) {
	const [inv] = await tx
		.select()
		.from(invitations)
		.where(
			and(
				eq(invitations.id, invitationId),
				eq(invitations.orgId, orgId),
				isNull(invitations.acceptedAt),
				isNull(invitations.revokedAt)
			)
		);
	if (!inv) throw new OrgRuleError('notFound');
	return inv;
}

async function insertAndQueue(
	tx: Tx,
	{
		org,
		inviter,
		email,
		role,
		origin,
		now
	}: {
		org: { id: string; name: string; locale: Locale };
		inviter: { id: string; name: string };
		email: string;
		role: Role;
		origin: string;
		now: Date;
	}
) {
	const { id, secretHash, token } = newToken();
	const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
	await tx.insert(invitations).values({
		id,
		orgId: org.id,
		email,
		role,
		invitedBy: inviter.id,
		secretHash,
		expiresAt,
		createdAt: now
	});
	// Someone with an account reads it in their own language; others in the organisation's.
	const [existing] = await tx
		.select({ locale: users.locale })
		.from(users)
		.where(sql`lower(${users.email}) = lower(${email})`);
	const locale = existing?.locale ?? org.locale;
	const url = `${origin}/invite/${token}`;
	const emailId = await mail.queue(tx, {
		to: email,
		template: 'invitation',
		locale,
		orgId: org.id,
		idempotencyKey: `invitation:${id}`,
		params: {
			orgName: org.name,
			inviterName: inviter.name,
			role: translate(locale, `orgs.role.${role}`),
			url
		}
	});
	return { id, email, role, expiresAt, token, url, emailId };
}
