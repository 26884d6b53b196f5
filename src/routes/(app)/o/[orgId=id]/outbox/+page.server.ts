import { error } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as emails from '$lib/server/mail/emails.repo';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const load: PageServerLoad = async (event) => {
	const { org, user } = await requireMember(event, { roles: ['owner'] });
	const { db, config } = runtime();
	// With a mail provider the outbox would only show members' private links to the owner.
	if (config.resendApiKey) error(404, { message: 'Not found' });

	const before = event.url.searchParams.get('before');
	const page = await emails.listOutbox(db, {
		orgId: org.id,
		viewerEmail: user.email,
		before: before && UUID.test(before) ? before : undefined
	});
	return { emails: page.emails, nextBefore: page.nextBefore, paged: Boolean(before) };
};
