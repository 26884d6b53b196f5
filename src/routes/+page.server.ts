import { redirect } from '@sveltejs/kit';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// The front door: to the login page, to organisation set-up, or to the active organisation.
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
	const org = await orgs.landingOrg(runtime().db, {
		userId: locals.user.id,
		preferredOrgId: locals.user.activeOrgId
	});
	if (!org) redirect(303, '/orgs/new');
	redirect(303, `/o/${org.id}/boards`);
};
