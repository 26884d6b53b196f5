import { readListQuery } from '$lib/customers/list-query';
import { requireMember } from '$lib/server/auth/guards';
import * as customers from '$lib/server/customers/customers.repo';
import { EDITORS } from '$lib/server/customers/forms';
import { runtime } from '$lib/server/runtime';
import { toRow } from './rows/serialize';
import type { PageServerLoad } from './$types';

// The customers table: the first page rendered here, the rest fetched from ./rows as the table
// scrolls. Filters and sort live in the URL.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const query = readListQuery(event.url.searchParams);
	const viewer = { userId: user.id, role };
	const [first, options, owners, duplicateCount] = await Promise.all([
		customers.list(db, {
			orgId: org.id,
			viewer,
			...query,
			ownerId: query.owner || undefined,
			offset: 0
		}),
		customers.filterOptions(db, { orgId: org.id }),
		customers.assignableOwners(db, { orgId: org.id }),
		customers.duplicateCount(db, { orgId: org.id })
	]);
	// After a delete, the customer page sends here with the id; the name comes from the row,
	// never from the URL.
	const deletedId = event.url.searchParams.get('deleted');
	let deleted: string | null = null;
	if (
		deletedId &&
		/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(deletedId)
	) {
		const gone = await customers.get(db, { orgId: org.id, customerId: deletedId });
		deleted = gone?.deletedAt ? gone.name : null;
	}
	return {
		query,
		first: { rows: first.rows.map(toRow), total: first.total, offset: 0 },
		tags: options.tags,
		sources: options.sources,
		owners,
		duplicateCount,
		canEdit: (EDITORS as readonly string[]).includes(role),
		deleted
	};
};
