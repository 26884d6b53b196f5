import { z } from 'zod';
import { isIsoDate } from '$lib/deals/filters';

// The receivables report's URL: what the page, its exports and the tests read. Invalid values
// are refused with the field named, never silently dropped.

export const receivableGroups = ['deal', 'customer', 'owner', 'contract'] as const;
export type ReceivableGroup = (typeof receivableGroups)[number];

export const receivableSorts = ['total', 'overdue', 'oldest', 'name'] as const;
export type ReceivableSort = (typeof receivableSorts)[number];

export const PAGE_SIZE = 50;

export type ReceivableFilters = {
	group: ReceivableGroup;
	ownerId: string | null;
	pipelineId: string | null;
	/** Text found in the customer's name (accents and case ignored). */
	q: string;
	overdueOnly: boolean;
	/** `YYYY-MM-DD`; null for today. */
	asOf: string | null;
	sort: ReceivableSort;
	/** 1-based. */
	page: number;
};

const uuid = z.uuid();
const schema = z.object({
	group: z.enum(receivableGroups).default('deal'),
	owner: uuid.optional(),
	pipeline: uuid.optional(),
	q: z.string().trim().max(200).default(''),
	overdue: z.enum(['1', '0']).optional(),
	asOf: z
		.string()
		.refine((v) => isIsoDate(v))
		.optional(),
	sort: z.enum(receivableSorts).default('total'),
	page: z.coerce.number().int().min(1).max(10_000).default(1)
});

export type FilterIssue = { field: string };

export function parseReceivableFilters(
	params: URLSearchParams
): { ok: true; filters: ReceivableFilters } | { ok: false; issues: FilterIssue[] } {
	const raw: Record<string, string> = {};
	for (const key of ['group', 'owner', 'pipeline', 'q', 'overdue', 'asOf', 'sort', 'page']) {
		const v = params.get(key);
		if (v !== null && v !== '') raw[key] = v;
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success)
		return {
			ok: false,
			issues: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'query') }))
		};
	const d = parsed.data;
	return {
		ok: true,
		filters: {
			group: d.group,
			ownerId: d.owner ?? null,
			pipelineId: d.pipeline ?? null,
			q: d.q,
			overdueOnly: d.overdue === '1',
			asOf: d.asOf ?? null,
			sort: d.sort,
			page: d.page
		}
	};
}

/** The URL query of `filters` (defaults left out), for links and exports. */
export function receivablesQuery(f: Partial<ReceivableFilters>): string {
	const p = new URLSearchParams();
	if (f.group && f.group !== 'deal') p.set('group', f.group);
	if (f.ownerId) p.set('owner', f.ownerId);
	if (f.pipelineId) p.set('pipeline', f.pipelineId);
	if (f.q) p.set('q', f.q);
	if (f.overdueOnly) p.set('overdue', '1');
	if (f.asOf) p.set('asOf', f.asOf);
	if (f.sort && f.sort !== 'total') p.set('sort', f.sort);
	if (f.page && f.page > 1) p.set('page', String(f.page));
	return p.toString();
}
