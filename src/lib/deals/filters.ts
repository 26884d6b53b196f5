import { z } from 'zod';
import { parseVnd } from '$lib/format/money';
import type { MessageKey, Params } from '$lib/i18n';
import { defaultDir, sortKeys, type SortDir, type SortKey } from './columns';

// The deals list's filters, shared by the page, its rows endpoint, the exports and saved views:
// one schema reads them from a URL and one function writes them back, so every filtered view has
// a URL and a saved view is just that URL's query. The browser and the server parse alike.
//
// Parameters (repeat a multi-valued one: `status=open&status=won`):
//   owner (uuid | me)*, status (open|won|lost|standby)*, pipeline (uuid)*, stage (uuid)*,
//   starred=1, created_from / created_to (YYYY-MM-DD, in the organisation's time zone),
//   close_from / close_to (expected close date), standby_from / standby_to (reopen date), amount_min / amount_max (any amount parseVnd reads:
//   `1.500.000`, `1,5tr`, `2 tỷ`), sort (a sort key), dir (asc|desc).
// Empty values (a GET form's blank fields) count as absent. Anything else is refused with a
// message naming the parameter: an invalid filter is never silently dropped.

export const dealStatuses = ['open', 'won', 'lost', 'standby'] as const;
export type DealStatus = (typeof dealStatuses)[number];

export type DealFilters = {
	/** User ids, or `me` (the viewer: a shared "mine" view means each viewer's own). */
	owners: string[];
	statuses: DealStatus[];
	pipelines: string[];
	/** Stage ids: a deal matches when it shows in that stage's column. */
	stages: string[];
	starred: boolean;
	/** Only deals with an instalment past due and unpaid (issue 5). */
	overdue: boolean;
	createdFrom: string | null;
	createdTo: string | null;
	closeFrom: string | null;
	closeTo: string | null;
	standbyFrom: string | null;
	standbyTo: string | null;
	/** Integer đồng, inclusive. */
	amountMin: number | null;
	amountMax: number | null;
	sort: SortKey;
	dir: SortDir;
};

export type FilterIssue = { param: string; key: MessageKey; params?: Params };
export type ParsedFilters =
	{ ok: true; filters: DealFilters } | { ok: false; issues: FilterIssue[] };

const MULTI = ['owner', 'status', 'pipeline', 'stage'] as const;
const SINGLE = [
	'starred',
	'overdue',
	'created_from',
	'created_to',
	'close_from',
	'close_to',
	'standby_from',
	'standby_to',
	'amount_min',
	'amount_max',
	'sort',
	'dir'
] as const;
export const filterParams = [...MULTI, ...SINGLE] as const;
export type FilterParam = (typeof filterParams)[number];

/** More values than anyone picks by hand; bounds the SQL a URL can ask for. */
export const MAX_VALUES = 50;

const isUuid = (v: string) => z.uuid().safeParse(v).success;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is refused, not rolled over). */
export function isIsoDate(v: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const t = new Date(Date.UTC(y, mo - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const list = <T extends z.ZodType>(item: T) =>
	z.array(item).max(MAX_VALUES, { error: 'deals.filter.error.tooMany' }).optional();
const day = z.string().refine(isIsoDate, { error: 'deals.filter.error.date' }).optional();
const amount = z
	.string()
	.transform((s, ctx) => {
		const v = parseVnd(s);
		if (v === null) {
			ctx.addIssue({ code: 'custom', message: 'deals.filter.error.amount' });
			return z.NEVER;
		}
		return v;
	})
	.optional();

const schema = z
	.object({
		owner: list(
			z.string().refine((v) => v === 'me' || isUuid(v), { error: 'deals.filter.error.owner' })
		),
		status: list(z.enum(dealStatuses, { error: 'deals.filter.error.status' })),
		pipeline: list(z.string().refine(isUuid, { error: 'deals.filter.error.id' })),
		stage: list(z.string().refine(isUuid, { error: 'deals.filter.error.id' })),
		starred: z.enum(['1', 'true'], { error: 'deals.filter.error.starred' }).optional(),
		overdue: z.enum(['1', 'true'], { error: 'deals.filter.error.overdue' }).optional(),
		created_from: day,
		created_to: day,
		close_from: day,
		close_to: day,
		standby_from: day,
		standby_to: day,
		amount_min: amount,
		amount_max: amount,
		sort: z.enum(sortKeys, { error: 'deals.filter.error.sort' }).optional(),
		dir: z.enum(['asc', 'desc'], { error: 'deals.filter.error.dir' }).optional()
	})
	.superRefine((v, ctx) => {
		const range = (from: string | undefined, to: string | undefined, path: string) => {
			if (from && to && isIsoDate(from) && isIsoDate(to) && from > to) {
				ctx.addIssue({ code: 'custom', path: [path], message: 'deals.filter.error.dateRange' });
			}
		};
		range(v.created_from, v.created_to, 'created_to');
		range(v.close_from, v.close_to, 'close_to');
		range(v.standby_from, v.standby_to, 'standby_to');
		if (v.amount_min !== undefined && v.amount_max !== undefined && v.amount_min > v.amount_max) {
			ctx.addIssue({
				code: 'custom',
				path: ['amount_max'],
				message: 'deals.filter.error.amountRange'
			});
		}
	});

export const emptyFilters: DealFilters = {
	owners: [],
	statuses: [],
	pipelines: [],
	stages: [],
	starred: false,
	overdue: false,
	createdFrom: null,
	createdTo: null,
	closeFrom: null,
	closeTo: null,
	standbyFrom: null,
	standbyTo: null,
	amountMin: null,
	amountMax: null,
	sort: 'created',
	dir: 'desc'
};

/**
 * Reads the filters from a URL's query. Parameters in `allow` belong to the caller (paging, the
 * export's columns) and are left to it; any other unknown parameter is an issue.
 */
export function parseDealFilters(
	params: URLSearchParams,
	{ allow = [] }: { allow?: readonly string[] } = {}
): ParsedFilters {
	const issues: FilterIssue[] = [];
	const raw: Record<string, string | string[]> = {};
	for (const param of new Set(params.keys())) {
		if (allow.includes(param)) continue;
		const values = [
			...new Set(
				params
					.getAll(param)
					.map((v) => v.trim())
					.filter((v) => v !== '')
			)
		];
		if ((MULTI as readonly string[]).includes(param)) {
			if (values.length > 0) raw[param] = values;
		} else if ((SINGLE as readonly string[]).includes(param)) {
			if (values.length > 1) issues.push({ param, key: 'deals.filter.error.repeated' });
			else if (values.length === 1) raw[param] = values[0]!;
		} else {
			issues.push({ param, key: 'deals.filter.error.unknown' });
		}
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const param = String(issue.path[0] ?? '');
			if (issues.some((i) => i.param === param)) continue;
			const key = issue.message as MessageKey;
			issues.push(
				key === 'deals.filter.error.tooMany'
					? { param, key, params: { max: MAX_VALUES } }
					: { param, key }
			);
		}
	}
	if (issues.length > 0 || !parsed.success) return { ok: false, issues };
	const v = parsed.data;
	const sort = v.sort ?? 'created';
	return {
		ok: true,
		filters: {
			// In canonical order, so equal filters compare equal however the URL listed them.
			owners: [...(v.owner ?? [])].sort(),
			statuses: dealStatuses.filter((st) => v.status?.includes(st)),
			pipelines: [...(v.pipeline ?? [])].sort(),
			stages: [...(v.stage ?? [])].sort(),
			starred: v.starred !== undefined,
			overdue: v.overdue !== undefined,
			createdFrom: v.created_from ?? null,
			createdTo: v.created_to ?? null,
			closeFrom: v.close_from ?? null,
			closeTo: v.close_to ?? null,
			standbyFrom: v.standby_from ?? null,
			standbyTo: v.standby_to ?? null,
			amountMin: v.amount_min ?? null,
			amountMax: v.amount_max ?? null,
			sort,
			dir: v.dir ?? defaultDir(sort)
		}
	};
}

/**
 * Writes filters as a canonical query: fixed parameter order, sorted values, defaults left out.
 * Two equal filter sets give the same string, which is how a URL is matched to a saved view.
 */
export function writeDealFilters(f: DealFilters): URLSearchParams {
	const out = new URLSearchParams();
	for (const o of [...f.owners].sort()) out.append('owner', o);
	for (const st of dealStatuses) if (f.statuses.includes(st)) out.append('status', st);
	for (const p of [...f.pipelines].sort()) out.append('pipeline', p);
	for (const st of [...f.stages].sort()) out.append('stage', st);
	if (f.starred) out.set('starred', '1');
	if (f.overdue) out.set('overdue', '1');
	if (f.createdFrom) out.set('created_from', f.createdFrom);
	if (f.createdTo) out.set('created_to', f.createdTo);
	if (f.closeFrom) out.set('close_from', f.closeFrom);
	if (f.closeTo) out.set('close_to', f.closeTo);
	if (f.standbyFrom) out.set('standby_from', f.standbyFrom);
	if (f.standbyTo) out.set('standby_to', f.standbyTo);
	if (f.amountMin !== null) out.set('amount_min', String(f.amountMin));
	if (f.amountMax !== null) out.set('amount_max', String(f.amountMax));
	if (f.sort !== 'created') out.set('sort', f.sort);
	if (f.dir !== defaultDir(f.sort)) out.set('dir', f.dir);
	return out;
}

export function filtersQuery(f: DealFilters): string {
	return writeDealFilters(f).toString();
}

/** The canonical form of a stored or typed query, or null when it does not parse. */
export function canonicalQuery(query: string): string | null {
	const parsed = parseDealFilters(new URLSearchParams(query));
	return parsed.ok ? filtersQuery(parsed.filters) : null;
}

/** Whether any filter (not the sort) narrows the list. */
export function isFiltered(f: DealFilters): boolean {
	return (
		f.owners.length > 0 ||
		f.statuses.length > 0 ||
		f.pipelines.length > 0 ||
		f.stages.length > 0 ||
		f.starred ||
		f.overdue ||
		f.createdFrom !== null ||
		f.createdTo !== null ||
		f.closeFrom !== null ||
		f.closeTo !== null ||
		f.standbyFrom !== null ||
		f.standbyTo !== null ||
		f.amountMin !== null ||
		f.amountMax !== null
	);
}

/** The views every member has. A saved view is the same thing with a name of its own. */
export const builtinViews = [
	{ id: 'all', key: 'deals.view.all', query: '' },
	{ id: 'mine', key: 'deals.view.mine', query: 'owner=me' },
	{ id: 'starred', key: 'deals.view.starred', query: 'status=open&starred=1' },
	{ id: 'standby', key: 'deals.view.standby', query: 'status=standby&sort=standby' }
] as const satisfies readonly { id: string; key: MessageKey; query: string }[];
export type BuiltinViewId = (typeof builtinViews)[number]['id'];
