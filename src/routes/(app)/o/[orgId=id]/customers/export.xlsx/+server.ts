import { requireMember } from '$lib/server/auth/guards';
import { customersExport, readCustomerExportQuery } from '$lib/server/customers/export';
import { badRequestText } from '$lib/server/deals/query';
import { xlsxResponse } from '$lib/server/export/table';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The customers list as XLSX, with the list page's filters and sort (deleted customers skipped).
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const read = readCustomerExportQuery(event.url.searchParams);
	if (!read.ok) return badRequestText(event.locals.locale, read.issues);
	return xlsxResponse(
		customersExport(runtime().db, {
			viewer: { orgId: org.id, userId: user.id, role },
			query: read.query,
			locale: event.locals.locale,
			timeZone: org.timeZone
		})
	);
};
