import { z } from 'zod';

// The customers table's filters and sort, kept in the URL (a filtered list can be shared or
// reloaded). Read by the page, the rows endpoint, and the browser when it builds those URLs.

export const sortKeys = ['name', 'company', 'owner', 'deals', 'source', 'createdAt'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export type CustomerListQuery = {
	q: string;
	/** A member's id, `none`, or '' for everyone. */
	owner: string;
	tag: string;
	source: string;
	duplicates: boolean;
	sort: SortKey;
	dir: SortDir;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The direction a column sorts in first: newest and busiest first, names A→Z. */
export const defaultDir = (sort: SortKey): SortDir =>
	sort === 'createdAt' || sort === 'deals' ? 'desc' : 'asc';

// Each value falls back on its own: one malformed parameter does not drop the others.
const schema = z.object({
	q: z.string().trim().max(100).catch(''),
	owner: z.union([z.literal('none'), z.string().regex(UUID)]).catch(''),
	tag: z.string().trim().max(40).catch(''),
	source: z.string().trim().max(100).catch(''),
	dup: z.literal('1').optional().catch(undefined),
	sort: z.enum(sortKeys).catch('createdAt'),
	dir: z.enum(['asc', 'desc']).optional().catch(undefined)
});

/** Reads the URL's filters; a malformed value counts as absent (a URL is not a form). */
export function readListQuery(params: URLSearchParams): CustomerListQuery {
	const raw = Object.fromEntries(
		['q', 'owner', 'tag', 'source', 'dup', 'sort', 'dir'].map((k) => [
			k,
			params.get(k) ?? undefined
		])
	);
	const p = schema.parse(raw);
	return {
		q: p.q,
		owner: p.owner,
		tag: p.tag,
		source: p.source,
		duplicates: p.dup === '1',
		sort: p.sort,
		dir: p.dir ?? defaultDir(p.sort)
	};
}

/** The URL search string for a query, without the defaults. */
export function listQueryString(query: CustomerListQuery, extra: Record<string, string> = {}) {
	const params = new URLSearchParams();
	if (query.q) params.set('q', query.q);
	if (query.owner) params.set('owner', query.owner);
	if (query.tag) params.set('tag', query.tag);
	if (query.source) params.set('source', query.source);
	if (query.duplicates) params.set('dup', '1');
	if (query.sort !== 'createdAt') params.set('sort', query.sort);
	if (query.dir !== defaultDir(query.sort)) params.set('dir', query.dir);
	for (const [k, v] of Object.entries(extra)) params.set(k, v);
	const s = params.toString();
	return s ? `?${s}` : '';
}

export function isFiltered(query: CustomerListQuery) {
	return Boolean(query.q || query.owner || query.tag || query.source || query.duplicates);
}
