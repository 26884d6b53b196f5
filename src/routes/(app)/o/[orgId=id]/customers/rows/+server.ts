import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { readListQuery } from '$lib/customers/list-query';
import { requireMember } from '$lib/server/auth/guards';
import * as customers from '$lib/server/customers/customers.repo';
import { runtime } from '$lib/server/runtime';
import { toRow } from './serialize';
import type { RequestHandler } from './$types';

// Pages of the customers table, fetched as it scrolls: the same filters as the page's URL, plus
// offset and limit.
const paging = z.object({
	offset: z.coerce.number().int().min(0).max(1_000_000).catch(0),
	limit: z.coerce.number().int().min(1).max(200).catch(100)
});

export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const params = event.url.searchParams;
	const query = readListQuery(params);
	const { offset, limit } = paging.parse({
		offset: params.get('offset') ?? undefined,
		limit: params.get('limit') ?? undefined
	});
	const page = await customers.list(runtime().db, {
		orgId: org.id,
		viewer: { userId: user.id, role },
		...query,
		ownerId: query.owner || undefined,
		offset,
		limit
	});
	return json(
		{ rows: page.rows.map(toRow), total: page.total, offset },
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
