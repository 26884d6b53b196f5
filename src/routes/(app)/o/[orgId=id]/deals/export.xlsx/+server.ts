import { requireMember } from '$lib/server/auth/guards';
import { dealsExport } from '$lib/server/deals/export';
import { badRequestText, readExportQuery } from '$lib/server/deals/query';
import { xlsxResponse } from '$lib/server/export/table';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The deals list as XLSX: the page's filters and shown columns (`cols`), every matching deal the
// viewer may see (visibleDeals), streamed page by page.
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const query = readExportQuery(event.url.searchParams);
	if (!query.ok) return badRequestText(event.locals.locale, query.issues);
	return xlsxResponse(
		dealsExport(runtime().db, {
			viewer: { orgId: org.id, userId: user.id, role },
			filters: query.filters,
			columns: query.columns,
			locale: event.locals.locale,
			timeZone: org.timeZone,
			origin: event.url.origin
		})
	);
};
