import { json } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as deals from '$lib/server/deals/deals.repo';
import { badRequestJson, readRowsQuery } from '$lib/server/deals/query';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The next page of the deals list, for the page's virtual scroll: the same filters as the page's
// URL plus the cursor the previous page returned.
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const locale = event.locals.locale;
	const query = readRowsQuery(event.url.searchParams);
	if (!query.ok) return badRequestJson(locale, query.issues);
	try {
		const page = await deals.list(runtime().db, {
			orgId: org.id,
			userId: user.id,
			role,
			filters: query.filters,
			cursor: query.cursor,
			limit: query.limit
		});
		return json(page, { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		if (!(err instanceof deals.CursorError)) throw err;
		return badRequestJson(locale, [{ param: 'cursor', key: 'deals.filter.error.cursor' }]);
	}
};
