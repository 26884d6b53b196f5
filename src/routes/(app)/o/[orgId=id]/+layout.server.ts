import { requireMember } from '$lib/server/auth/guards';
import { runtime } from '$lib/server/runtime';
import { unreadCount } from '$lib/server/notify/notify';
import * as orgs from '$lib/server/orgs/orgs.repo';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db, config } = runtime();
	const all = await orgs.listForUser(db, { userId: user.id });
	// Opening an organisation makes it the one `/` lands on; written only when it changes.
	if (user.activeOrgId !== org.id) await orgs.setActive(db, { userId: user.id, orgId: org.id });
	return {
		org: {
			id: org.id,
			name: org.name,
			timeZone: org.timeZone,
			currency: org.currency,
			plan: org.plan,
			trialEndsAt: org.trialEndsAt?.toISOString() ?? null
		},
		role,
		orgs: all,
		// Without a Resend key, mail stays in the outbox, which owners can read in the app.
		outboxVisible: !config.resendApiKey && orgs.can(role, 'readOutbox'),
		// The bell's first count, so it shows before its live stream connects.
		unread: await unreadCount(db, { userId: user.id, orgId: org.id })
	};
};
