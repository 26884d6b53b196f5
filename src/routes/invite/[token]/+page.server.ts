import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { isOrgRuleError } from '$lib/server/orgs/errors';
import * as invitations from '$lib/server/orgs/invitations.repo';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Outside (app): people arrive here logged out. The token is a credential, so the page is never
// cached and never sent onward in a Referer header.
export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const { db } = runtime();
	const invite = await invitations.preview(db, { token: event.params.token });
	if (!invite) return { invite: null };
	const user = event.locals.user;
	const next = encodeURIComponent(`/invite/${event.params.token}`);
	return {
		invite: {
			orgName: invite.orgName,
			role: invite.role,
			email: invite.email,
			inviterName: invite.inviterName,
			expiresAt: invite.expiresAt.toISOString()
		},
		viewer: user
			? {
					email: user.email,
					sameEmail: user.email.toLowerCase() === invite.email.toLowerCase(),
					alreadyMember: Boolean(
						await orgs.membership(db, { orgId: invite.orgId, userId: user.id })
					)
				}
			: null,
		loginUrl: `/login?next=${next}`,
		signupUrl: `/signup?next=${next}`
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { user } = requireUser(event);
		let joined: Awaited<ReturnType<typeof invitations.accept>>;
		try {
			joined = await invitations.accept(runtime().db, {
				token: event.params.token,
				userId: user.id
			});
		} catch (err) {
			if (!isOrgRuleError(err)) throw err;
			if (err.rule === 'seatsFull') {
				return fail(409, {
					error: {
						key: 'orgs.accept.seatsFull' as const,
						params: { org: String(err.details.orgName ?? '') }
					}
				});
			}
			return fail(410, { error: { key: 'orgs.accept.invalidBody' as const, params: {} } });
		}
		redirect(303, `/o/${joined.orgId}/boards`);
	}
};
