import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { translate } from '$lib/i18n';
import { MAX_QUERY_LENGTH } from '$lib/search/fold';
import { requireMember } from '$lib/server/auth/guards';
import { runtime } from '$lib/server/runtime';
import * as searchRepo from '$lib/server/search/search.repo';
import type { RequestHandler } from './$types';

const params = z.object({
	q: z.string().trim().min(1, 'empty').max(MAX_QUERY_LENGTH, 'tooLong')
});

// GET /o/<org>/search?q=…: the command palette's results as you type. Customers are every
// member's; deals only those the member may see on the boards (visibleDeals).
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const locale = event.locals.locale;
	const parsed = params.safeParse({ q: event.url.searchParams.get('q') ?? '' });
	if (!parsed.success) {
		const tooLong = parsed.error.issues.some((i) => i.message === 'tooLong');
		return json(
			{
				message: tooLong
					? translate(locale, 'search.error.tooLong', { max: MAX_QUERY_LENGTH })
					: translate(locale, 'search.error.empty')
			},
			{ status: 400 }
		);
	}
	const results = await searchRepo.search(runtime().db, {
		orgId: org.id,
		userId: user.id,
		role,
		q: parsed.data.q
	});
	// Results name customers and deals: never kept by a shared cache.
	return json(results, { headers: { 'cache-control': 'private, no-store' } });
};
