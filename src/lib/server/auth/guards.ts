import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../db/schema';
import * as orgs from '../orgs/orgs.repo';
import { runtime } from '../runtime';

// Authorise first, once per boundary: every load, action and +server.ts under (app) starts with
// one of these. Non-members get 404, never a hint that the organisation exists.

export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const { user, session } = event.locals;
	if (!user || !session) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	return { user, session };
}

export async function requireMember(
	event: Pick<RequestEvent, 'locals' | 'url' | 'params'>,
	{ roles }: { roles?: readonly Role[] } = {}
) {
	const { user, session } = requireUser(event);
	const orgId = (event.params as { orgId?: string }).orgId;
	if (!orgId) error(404, { message: 'Not found' });
	const found = await orgs.membership(runtime().db, { orgId, userId: user.id });
	if (!found) error(404, { message: 'Not found' });
	// A member without the role may know the organisation exists: a plain refusal.
	if (roles && !roles.includes(found.role)) error(403, { message: 'Forbidden' });
	return { user, session, org: found.org, role: found.role };
}
