import { requireMember } from '$lib/server/auth/guards';
import * as pipelines from '$lib/server/pipelines/pipelines.repo';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { org } = await requireMember(event);
	return { pipelines: await pipelines.listWithStages(runtime().db, { orgId: org.id }) };
};
