import { and, arrayContains, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { sortKeys, type SortKey } from '$lib/customers/list-query';
import type { FilterIssue } from '$lib/deals/filters';
import { nationalPhone } from '$lib/format/phone';
import { translator, type Locale } from '$lib/i18n';
import type { Tx } from '../db';
import { customers, users, type CustomerKind, type Role } from '../db/schema';
import { localDay } from '../deals/export';
import { visibleDeals } from '../deals/visibility';
import type { ExportColumn, ExportInput } from '../export/table';

// Customers as CSV / XLSX, read straight from the `customers` table (deleted ones skipped), with
// the customers list's own URL parameters (src/lib/customers/list-query.ts: q, owner, tag,
// source, dup, sort, dir) so the download matches what the page shows. Unlike the page, which
// treats a malformed parameter as absent, an export refuses it with a message: a file silently
// holding more than asked for is worse than no file. Customers are visible to every member of
// their organisation (customers.repo.ts); only the deal counts used for sorting follow
// visibleDeals. Rows are read in keyset pages, never all at once.

export type CustomerExportRow = {
	id: string;
	kind: CustomerKind;
	name: string;
	phones: string[];
	email: string | null;
	company: string | null;
	taxCode: string | null;
	address: string | null;
	source: string | null;
	tags: string[];
	notes: string | null;
	ownerName: string | null;
	createdAt: string;
};

export type CustomerExportQuery = {
	q: string | null;
	owner: string | null;
	tag: string | null;
	source: string | null;
	duplicates: boolean;
	sort: SortKey;
	dir: 'asc' | 'desc';
};

const PARAMS = ['q', 'owner', 'tag', 'source', 'dup', 'sort', 'dir'] as const;
const schema = z.object({
	q: z.string().max(100).optional(),
	owner: z
		.string()
		.refine((v) => v === 'none' || z.uuid().safeParse(v).success, 'deals.filter.error.owner')
		.optional(),
	tag: z.string().max(40).optional(),
	source: z.string().max(100).optional(),
	dup: z.literal('1', { error: 'deals.filter.error.starred' }).optional(),
	sort: z.enum(sortKeys, { error: 'deals.filter.error.sort' }).optional(),
	dir: z.enum(['asc', 'desc'], { error: 'deals.filter.error.dir' }).optional()
});

export function readCustomerExportQuery(
	params: URLSearchParams
): { ok: true; query: CustomerExportQuery } | { ok: false; issues: FilterIssue[] } {
	const issues: FilterIssue[] = [];
	const raw: Record<string, string> = {};
	for (const param of new Set(params.keys())) {
		const values = params
			.getAll(param)
			.map((v) => v.trim())
			.filter(Boolean);
		if (!(PARAMS as readonly string[]).includes(param)) {
			issues.push({ param, key: 'export.customers.error.unknown' });
		} else if (values.length > 1) {
			issues.push({ param, key: 'deals.filter.error.repeated' });
		} else if (values[0] !== undefined) raw[param] = values[0];
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const param = String(issue.path[0] ?? '');
			if (issues.some((i) => i.param === param)) continue;
			issues.push(
				issue.code === 'too_big'
					? { param, key: 'deals.filter.error.tooLong', params: { max: Number(issue.maximum) } }
					: { param, key: issue.message as FilterIssue['key'] }
			);
		}
	}
	if (issues.length > 0 || !parsed.success) return { ok: false, issues };
	const v = parsed.data;
	const sort = v.sort ?? 'createdAt';
	return {
		ok: true,
		query: {
			q: v.q ?? null,
			owner: v.owner ?? null,
			tag: v.tag ?? null,
			source: v.source ?? null,
			duplicates: v.dup === '1',
			sort,
			dir: v.dir ?? (sort === 'createdAt' || sort === 'deals' ? 'desc' : 'asc')
		}
	};
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

function conditions(orgId: string, q: CustomerExportQuery): SQL {
	const where: (SQL | undefined)[] = [eq(customers.orgId, orgId), isNull(customers.deletedAt)];
	if (q.q) {
		const like = `%${escapeLike(q.q)}%`;
		const digits = q.q.replace(/[\s.\-()+]/g, '');
		const phone = /^\d{3,15}$/.test(digits)
			? `%${digits.startsWith('0') ? digits.slice(1) : digits.startsWith('84') && digits.length >= 11 ? digits.slice(2) : digits}%`
			: null;
		where.push(
			sql`(public.chot_fold(${customers.name}) like public.chot_fold(${like})
				or public.chot_fold(coalesce(${customers.company}, '')) like public.chot_fold(${like})
				or lower(coalesce(${customers.email}, '')) like lower(${like})
				${phone ? sql`or array_to_string(${customers.phones}, ' ') like ${phone}` : sql``})`
		);
	}
	if (q.owner === 'none') where.push(isNull(customers.ownerId));
	else if (q.owner) where.push(eq(customers.ownerId, q.owner));
	if (q.tag) where.push(arrayContains(customers.tags, [q.tag]));
	if (q.source) where.push(eq(customers.source, q.source));
	if (q.duplicates) {
		// Shares a phone or an email with another live customer of the organisation.
		where.push(sql`exists (
			select 1 from ${customers} o
			where o.org_id = ${customers.orgId} and o.id <> ${customers.id} and o.deleted_at is null
				and (o.phones && ${customers.phones}
					or (coalesce(${customers.email}, '') <> '' and lower(o.email) = lower(${customers.email}))))`);
	}
	return and(...where)!;
}

type Viewer = { orgId: string; userId: string; role: Role };

/** Every matching live customer, in pages of `chunk`, in the list's sort order. */
export async function* allCustomers(
	db: Tx,
	{ query, chunk = 1000, ...viewer }: Viewer & { query: CustomerExportQuery; chunk?: number }
): AsyncGenerator<CustomerExportRow[]> {
	const dealCount = sql`(select count(*) from deals where deals.customer_id = ${customers.id} and ${visibleDeals(viewer)})`;
	const keys: Record<SortKey, { expr: SQL; type: string }> = {
		name: { expr: sql`coalesce(public.chot_fold(${customers.name}), '')`, type: 'text' },
		company: { expr: sql`coalesce(public.chot_fold(${customers.company}), '')`, type: 'text' },
		owner: { expr: sql`coalesce(public.chot_fold(${users.name}), '')`, type: 'text' },
		source: { expr: sql`coalesce(public.chot_fold(${customers.source}), '')`, type: 'text' },
		deals: { expr: dealCount, type: 'bigint' },
		createdAt: {
			expr: sql`to_char(${customers.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
			type: 'text'
		}
	};
	const key = keys[query.sort];
	const dir = query.dir === 'asc' ? sql`asc` : sql`desc`;
	let after: { key: string; id: string } | null = null;
	for (;;) {
		const where = [conditions(viewer.orgId, query)];
		if (after) {
			const op = query.dir === 'asc' ? sql`>` : sql`<`;
			where.push(
				sql`(${key.expr}, ${customers.id}) ${op} (${after.key}::${sql.raw(key.type)}, ${after.id}::uuid)`
			);
		}
		const rows = await db
			.select({
				id: customers.id,
				kind: customers.kind,
				name: customers.name,
				phones: customers.phones,
				email: customers.email,
				company: customers.company,
				taxCode: customers.taxCode,
				address: customers.address,
				source: customers.source,
				tags: customers.tags,
				notes: customers.notes,
				ownerName: users.name,
				createdAt: sql<string>`to_char(${customers.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
				sortKey: sql<string>`(${key.expr})::text`
			})
			.from(customers)
			.leftJoin(users, eq(users.id, customers.ownerId))
			.where(and(...where))
			.orderBy(sql`${key.expr} ${dir}`, sql`${customers.id} ${dir}`)
			.limit(chunk);
		if (rows.length === 0) return;
		yield rows.map(({ sortKey: _k, ...r }) => r);
		if (rows.length < chunk) return;
		const last = rows.at(-1)!;
		after = { key: last.sortKey, id: last.id };
	}
}

export function customersExport(
	db: Tx,
	{
		viewer,
		query,
		locale,
		timeZone
	}: { viewer: Viewer; query: CustomerExportQuery; locale: Locale; timeZone: string }
): ExportInput<CustomerExportRow> {
	const t = translator(locale);
	const columns: ExportColumn<CustomerExportRow>[] = [
		{ header: t('export.customers.col.name'), kind: 'text', width: 32, value: (r) => r.name },
		{
			header: t('export.customers.col.kind'),
			kind: 'text',
			width: 14,
			value: (r) => t(`export.customers.kind.${r.kind}`)
		},
		{
			header: t('export.customers.col.phones'),
			kind: 'text',
			width: 18,
			value: (r) => r.phones.map((p) => nationalPhone(p)).join(', ') || null
		},
		{ header: t('export.customers.col.email'), kind: 'text', width: 28, value: (r) => r.email },
		{ header: t('export.customers.col.company'), kind: 'text', width: 28, value: (r) => r.company },
		{ header: t('export.customers.col.taxCode'), kind: 'text', width: 14, value: (r) => r.taxCode },
		{ header: t('export.customers.col.address'), kind: 'text', width: 40, value: (r) => r.address },
		{ header: t('export.customers.col.source'), kind: 'text', width: 16, value: (r) => r.source },
		{
			header: t('export.customers.col.tags'),
			kind: 'text',
			width: 20,
			value: (r) => r.tags.join(', ') || null
		},
		{ header: t('export.customers.col.owner'), kind: 'text', width: 22, value: (r) => r.ownerName },
		{
			header: t('export.customers.col.created'),
			kind: 'datetime',
			width: 18,
			value: (r) => r.createdAt
		},
		{ header: t('export.customers.col.notes'), kind: 'text', width: 40, value: (r) => r.notes }
	];
	return {
		filename: `${t('export.customers.file')}-${localDay(timeZone)}`,
		sheet: t('export.customers.sheet'),
		columns,
		rows: allCustomers(db, { ...viewer, query }),
		timeZone
	};
}
