import { error, json } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import { timeline } from '$lib/server/deals/timeline';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The deal page's recorded history (stage moves, amounts, statuses, owners), as JSON.
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const entries = await timeline(runtime().db, {
		orgId: org.id,
		userId: user.id,
		role,
		dealId: event.params.dealId
	});
	if (!entries) error(404, { message: 'Not found' });
	return json({ entries }, { headers: { 'cache-control': 'no-store' } });
};
