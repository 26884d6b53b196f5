import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { email, parseForm, type FieldError } from '$lib/forms/validate';
import { translate } from '$lib/i18n';
import { requireMember } from '$lib/server/auth/guards';
import { roles } from '$lib/server/db/schema';
import { isOrgRuleError } from '$lib/server/orgs/errors';
import * as invitations from '$lib/server/orgs/invitations.repo';
import * as members from '$lib/server/orgs/members.repo';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { assignableRoles, mayManage } from '$lib/server/orgs/roles';
import { ruleMessage } from '$lib/server/orgs/rule-messages';
import * as seats from '$lib/server/orgs/seats';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

const MANAGERS = ['owner', 'manager'] as const;

export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const now = new Date();
	const list = await members.list(db, { orgId: org.id });
	const canManage = orgs.can(role, 'manageMembers');
	const open = orgs.can(role, 'viewInvitations')
		? await invitations.listOpen(db, { orgId: org.id })
		: [];
	const usage = await seats.usage(db, { orgId: org.id, now });
	const owners = list.filter((m) => m.role === 'owner').length;
	return {
		me: user.id,
		members: list.map((m) => ({
			...m,
			joinedAt: m.joinedAt.toISOString(),
			manageable: canManage && m.userId !== user.id && mayManage(role, m.role)
		})),
		invitations: open.map((i) => ({
			id: i.id,
			email: i.email,
			role: i.role,
			invitedBy: i.invitedBy,
			expiresAt: i.expiresAt.toISOString(),
			expired: i.expiresAt.getTime() <= now.getTime(),
			manageable: mayManage(role, i.role) && assignableRoles(role).includes(i.role)
		})),
		canManage,
		assignable: assignableRoles(role),
		seats: { ...usage, max: org.maxSeats },
		canLeave: !(role === 'owner' && owners <= 1)
	};
};

const inviteSchema = z.object({
	email: email(),
	role: z.enum(roles, { error: 'orgs.error.role' })
});
const memberSchema = z.object({ userId: z.uuid() });
const roleSchema = memberSchema.extend({ role: z.enum(roles, { error: 'orgs.error.role' }) });
const invitationSchema = z.object({ invitationId: z.string().min(1).max(64) });

type Event = RequestEvent<{ orgId: string }>;

// A refused rule becomes a message under the field it concerns, or above the list.
function refused(event: Event, action: string, err: unknown, values?: Record<string, string>) {
	if (!isOrgRuleError(err)) throw err;
	const message = ruleMessage(err, event.locals.locale);
	const field =
		err.rule === 'roleNotAllowed'
			? 'role'
			: ['seatLimit', 'alreadyMember', 'alreadyInvited'].includes(err.rule)
				? 'email'
				: '_form';
	const errors: Record<string, FieldError> = { [field]: message };
	return fail(400, { action, errors, values });
}

async function closeSockets(userId: string, reason: string) {
	const rt = runtime();
	// The change is committed; a failed notification must not turn it into an error page.
	await rt.disconnectUser({ userId, reason }).catch((err: unknown) => {
		rt.log.error({ err, userId }, 'could not close collab sockets');
	});
}

export const actions: Actions = {
	invite: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(inviteSchema, await event.request.formData());
		if (!parsed.ok) {
			return fail(400, { action: 'invite', errors: parsed.errors, values: parsed.values });
		}
		const { db, boss, config } = runtime();
		try {
			const sent = await invitations.create(db, {
				boss,
				origin: config.origin,
				orgId: org.id,
				inviterId: user.id,
				email: parsed.data.email,
				role: parsed.data.role
			});
			return {
				action: 'invite',
				notice: { key: 'orgs.invite.sent', params: { email: sent.email } } as FieldError,
				link: sent.url
			};
		} catch (err) {
			return refused(event, 'invite', err, {
				email: parsed.data.email,
				role: parsed.data.role
			});
		}
	},

	changeRole: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(roleSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'changeRole', errors: parsed.errors });
		try {
			const result = await members.changeRole(runtime().db, {
				orgId: org.id,
				actorId: user.id,
				userId: parsed.data.userId,
				role: parsed.data.role
			});
			// Their sockets reconnect and are authorised again with the new role.
			if (result.changed) await closeSockets(parsed.data.userId, 'roleChanged');
			return {
				action: 'changeRole',
				notice: {
					key: 'orgs.members.roleChanged',
					params: {
						name: result.name,
						role: translate(event.locals.locale, `orgs.role.${parsed.data.role}`)
					}
				} as FieldError
			};
		} catch (err) {
			return refused(event, 'changeRole', err);
		}
	},

	remove: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(memberSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'remove', errors: parsed.errors });
		try {
			const removed = await members.remove(runtime().db, {
				orgId: org.id,
				actorId: user.id,
				userId: parsed.data.userId
			});
			await closeSockets(parsed.data.userId, 'removed');
			return {
				action: 'remove',
				notice: { key: 'orgs.members.removed', params: { name: removed.name } } as FieldError
			};
		} catch (err) {
			return refused(event, 'remove', err);
		}
	},

	resend: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(invitationSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'resend', errors: parsed.errors });
		const { db, boss, config } = runtime();
		try {
			const sent = await invitations.resend(db, {
				boss,
				origin: config.origin,
				orgId: org.id,
				actorId: user.id,
				invitationId: parsed.data.invitationId
			});
			return {
				action: 'resend',
				notice: { key: 'orgs.pending.resent', params: { email: sent.email } } as FieldError,
				link: sent.url
			};
		} catch (err) {
			return refused(event, 'resend', err);
		}
	},

	revoke: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(invitationSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { action: 'revoke', errors: parsed.errors });
		try {
			const revoked = await invitations.revoke(runtime().db, {
				orgId: org.id,
				actorId: user.id,
				invitationId: parsed.data.invitationId
			});
			return {
				action: 'revoke',
				notice: { key: 'orgs.pending.revoked', params: { email: revoked.email } } as FieldError
			};
		} catch (err) {
			return refused(event, 'revoke', err);
		}
	},

	leave: async (event) => {
		const { user, org } = await requireMember(event);
		try {
			await members.leave(runtime().db, { orgId: org.id, userId: user.id });
		} catch (err) {
			return refused(event, 'leave', err);
		}
		await closeSockets(user.id, 'removed');
		redirect(303, '/');
	}
};
