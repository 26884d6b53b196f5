import { parseReceivableFilters, receivablesQuery } from '$lib/receivables/filters';
import { requireMember } from '$lib/server/auth/guards';
import * as deals from '$lib/server/deals/deals.repo';
import * as members from '$lib/server/orgs/members.repo';
import * as receivables from '$lib/server/receivables/receivables.repo';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// The receivables report (SPEC.md): the URL's filters (an invalid one is named, never dropped),
// the bucket totals of every matching row and one page of rows, over what the viewer may see.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const [options, people] = await Promise.all([
		deals.filterOptions(db, { orgId: org.id }),
		members.list(db, { orgId: org.id })
	]);
	const common = {
		pipelines: options.pipelines.map((p) => ({ id: p.id, name: p.name })),
		members: people.map((m) => ({ id: m.userId, name: m.name })),
		today: receivables.localDay(org.timeZone)
	};
	const parsed = parseReceivableFilters(event.url.searchParams);
	if (!parsed.ok)
		return { ...common, invalid: [...new Set(parsed.issues.map((i) => i.field))], report: null };
	const { filters } = parsed;
	const report = await receivables.report(db, {
		viewer: { orgId: org.id, userId: user.id, role },
		timeZone: org.timeZone,
		filters
	});
	return {
		...common,
		invalid: null,
		report: { ...report, filters, query: receivablesQuery({ ...filters, page: 1 }) }
	};
};
