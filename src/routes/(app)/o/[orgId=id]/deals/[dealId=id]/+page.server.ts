import { redirect } from '@sveltejs/kit';
import { dealContext } from '$lib/server/money/respond';
import type { PageServerLoad } from './$types';

// A deal's own address (notifications and emails link here): the deal opens as the drawer over
// its board. Deals the member may not see are 404.
export const load: PageServerLoad = async (event) => {
	const { member, deal } = await dealContext(event);
	redirect(303, `/o/${member.orgId}/boards/${deal.pipelineId}?deal=${deal.id}`);
};
