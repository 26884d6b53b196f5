import { z } from 'zod';

// The contracts list's URL: ?status=expiring&within=60&owner=…&pipeline=…&q=…&sort=-ends.
// Anything unreadable falls back to the default rather than failing the page: these are links
// people share and bookmark.

export const contractStatusFilters = [
	'active',
	'expiring',
	'ended',
	'renewed',
	'cancelled',
	'all'
] as const;
export type ContractStatusFilter = (typeof contractStatusFilters)[number];
export const expiringWindows = [30, 60, 90] as const;

export type ContractListQuery = {
	status: ContractStatusFilter;
	within: number;
	owner: string | null;
	pipeline: string | null;
	q: string;
	sort: 'ends' | '-ends';
};

export const defaultQuery: ContractListQuery = {
	status: 'active',
	within: 30,
	owner: null,
	pipeline: null,
	q: '',
	sort: 'ends'
};

const schema = z.object({
	status: z.enum(contractStatusFilters).catch('active'),
	within: z.coerce.number().int().min(1).max(365).catch(30),
	owner: z.uuid().nullable().catch(null),
	pipeline: z.uuid().nullable().catch(null),
	q: z.string().trim().max(100).catch(''),
	sort: z.enum(['ends', '-ends']).catch('ends')
});

export function parseContractQuery(params: URLSearchParams): ContractListQuery {
	return schema.parse({
		status: params.get('status') ?? undefined,
		within: params.get('within') ?? undefined,
		owner: params.get('owner') || null,
		pipeline: params.get('pipeline') || null,
		q: params.get('q') ?? '',
		sort: params.get('sort') ?? undefined
	});
}

/** The query string for a list state, leaving defaults out. */
export function contractQueryString(q: ContractListQuery): string {
	const p = new URLSearchParams();
	if (q.status !== defaultQuery.status) p.set('status', q.status);
	if (q.status === 'expiring' && q.within !== defaultQuery.within)
		p.set('within', String(q.within));
	if (q.owner) p.set('owner', q.owner);
	if (q.pipeline) p.set('pipeline', q.pipeline);
	if (q.q) p.set('q', q.q);
	if (q.sort !== defaultQuery.sort) p.set('sort', q.sort);
	const s = p.toString();
	return s ? `?${s}` : '';
}
