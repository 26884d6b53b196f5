import { parseContractQuery } from '$lib/contracts/filters';
import { requireMember } from '$lib/server/auth/guards';
import * as contracts from '$lib/server/contracts/contracts.repo';
import { localDay } from '$lib/server/deals/export';
import * as members from '$lib/server/orgs/members.repo';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// The organisation's contracts the member may see (through their deals), by default the
// active ones, the soonest to end first; "expiring" lists those ending within 30/60/90 days.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const query = parseContractQuery(event.url.searchParams);
	const today = localDay(org.timeZone);
	const [list, people, boards] = await Promise.all([
		contracts.list(db, {
			orgId: org.id,
			userId: user.id,
			role,
			today,
			filters: {
				status: query.status,
				within: query.within,
				ownerId: query.owner ?? undefined,
				pipelineId: query.pipeline ?? undefined,
				q: query.q,
				sort: query.sort
			}
		}),
		members.list(db, { orgId: org.id }),
		contracts.pipelineOptions(db, { orgId: org.id })
	]);
	return {
		query,
		today,
		rows: list.rows,
		more: list.more,
		limit: contracts.LIST_LIMIT,
		owners: people
			.filter((m) => m.role !== 'accountant')
			.map((m) => ({ id: m.userId, name: m.name })),
		pipelines: boards
	};
};
