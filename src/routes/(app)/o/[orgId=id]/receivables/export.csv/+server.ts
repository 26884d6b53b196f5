import { parseReceivableFilters } from '$lib/receivables/filters';
import { requireMember } from '$lib/server/auth/guards';
import { csvResponse } from '$lib/server/export/table';
import { invalidFilters, receivablesExport } from '$lib/server/receivables/export';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The receivables report as CSV: the page's filters and grouping, every matching row the viewer
// may see (visibleDeals).
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const parsed = parseReceivableFilters(event.url.searchParams);
	if (!parsed.ok) return invalidFilters(event.locals.locale, parsed.issues);
	return csvResponse(
		receivablesExport(runtime().db, {
			viewer: { orgId: org.id, userId: user.id, role },
			filters: parsed.filters,
			locale: event.locals.locale,
			timeZone: org.timeZone,
			origin: event.url.origin
		})
	);
};
