import { sql, type SQL } from 'drizzle-orm';
import { agingBuckets } from '$lib/money/schedule';
import {
	PAGE_SIZE,
	type ReceivableFilters,
	type ReceivableGroup,
	type ReceivableSort
} from '$lib/receivables/filters';
import type { Tx } from '../db';
import { dealReceivables, deals, pipelineSettings, type Role } from '../db/schema';
import { localDay } from '../deals/export';
import { visibleDeals } from '../deals/visibility';
import type { Buckets } from './aging';

// The receivables report (SPEC.md R1–R12) in one statement: the viewer's won deals, their paid
// totals, the schedule laid end to end by a running sum (window function) so each instalment's
// unpaid part is min(cum, value) − max(paid, cum − amount), the unscheduled rest due on the won
// day, every part aged against the as-of day, then grouped, summed for the cards, sorted and
// cut to a page. aging.ts is the same in TypeScript; a test checks they agree.

export type Viewer = { orgId: string; userId: string; role: Role };

export type ReceivableRow = {
	/** Deal, customer, owner or contract id (a customer named only on cards: `name:<name>`). */
	key: string;
	label: string;
	dealId: string | null;
	/** The deal's pipeline (its link opens the deal on that board). */
	pipelineId: string | null;
	customerId: string | null;
	customerName: string | null;
	ownerId: string | null;
	ownerName: string | null;
	/** Deal rows: its won day; contract rows: the contract's number. */
	detail: string | null;
	deals: number;
	value: number;
	paid: number;
	buckets: Buckets;
	total: number;
	overdue: number;
};

export type ReceivableSummary = { rows: number; deals: number; buckets: Buckets; total: number };

export type ReceivableReport = {
	rows: ReceivableRow[];
	summary: ReceivableSummary;
	asOf: string;
	page: number;
	pageSize: number;
};

type Options = {
	viewer: Viewer;
	timeZone: string;
	filters: Omit<ReceivableFilters, 'page'> & { page?: number };
	/** One customer's deals only (the customer page). */
	customerId?: string;
	/** Age from payments, schedules and history even as of today (tests compare the two). */
	recompute?: boolean;
	/** Rows per page; the export asks for larger pages. */
	limit?: number;
	offset?: number;
};

export { localDay };

const sumCols = sql`sum(not_due)::bigint as not_due, sum(d1_30)::bigint as d1_30,
	sum(d31_60)::bigint as d31_60, sum(d61_90)::bigint as d61_90, sum(d90plus)::bigint as d90plus`;

const overdueExpr = sql`(d1_30 + d31_60 + d61_90 + d90plus)`;
const totalExpr = sql`(not_due + d1_30 + d31_60 + d61_90 + d90plus)`;

const orderBy: Record<ReceivableSort, SQL> = {
	total: sql`${totalExpr} desc, key`,
	overdue: sql`${overdueExpr} desc, ${totalExpr} desc, key`,
	oldest: sql`d90plus desc, d61_90 desc, d31_60 desc, d1_30 desc, ${totalExpr} desc, key`,
	name: sql`coalesce(public.chot_fold(label), ''), key`
};

function likeText(q: string) {
	return '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** The viewer's deals matching the filters, as a condition over `deals`. */
function dealConditions({
	viewer,
	filters,
	customerId
}: Pick<Options, 'viewer' | 'filters' | 'customerId'>): SQL {
	const parts: SQL[] = [visibleDeals(viewer), sql`${deals.status} = 'won'`];
	if (customerId) parts.push(sql`${deals.customerId} = ${customerId}`);
	if (filters.ownerId) parts.push(sql`${deals.ownerId} = ${filters.ownerId}`);
	if (filters.pipelineId) parts.push(sql`${deals.pipelineId} = ${filters.pipelineId}`);
	if (filters.q)
		parts.push(
			sql`public.chot_fold(coalesce(${deals.customerName}, '')) like public.chot_fold(${likeText(filters.q)})`
		);
	return sql.join(parts, sql` and `);
}

/** Each unpaid part's amount added to the bucket of its due day (R6), as five columns. */
const bucketSums = (amount: SQL, due: SQL, asOf: SQL) => sql`
	sum(${amount}) filter (where ${asOf} - ${due} <= 0) as s_not_due,
	sum(${amount}) filter (where ${asOf} - ${due} between 1 and 30) as s_d1_30,
	sum(${amount}) filter (where ${asOf} - ${due} between 31 and 60) as s_d31_60,
	sum(${amount}) filter (where ${asOf} - ${due} between 61 and 90) as s_d61_90,
	sum(${amount}) filter (where ${asOf} - ${due} > 90) as s_d90plus`;

/** The scheduled parts' buckets plus the unscheduled rest in the bucket of `restDue`. */
function withRest(rest: SQL, restDue: SQL, asOf: SQL) {
	const add = (bucket: string, cond: SQL) =>
		sql`(coalesce(s.${sql.raw('s_' + bucket)}, 0) + case when ${cond} then ${rest} else 0 end)::bigint as ${sql.raw(bucket)}`;
	const late = sql`(${asOf} - ${restDue})`;
	return sql.join(
		[
			add('not_due', sql`${late} <= 0`),
			add('d1_30', sql`${late} between 1 and 30`),
			add('d31_60', sql`${late} between 31 and 60`),
			add('d61_90', sql`${late} between 61 and 90`),
			add('d90plus', sql`${late} > 90`)
		],
		sql`, `
	);
}

/**
 * The aged deals (R2–R7), CTE `aged`: one row per won deal with its buckets. Instalments are laid
 * end to end by a running sum; a part from `cum − amount` to `cum` (cut at the value) is unpaid
 * beyond `paid`: min(cum, value) − max(paid, cum − amount), when positive. The rest of the value
 * after the schedule is due on the won day.
 */
function agedDeals(opts: Options, asOf: string, today: string): SQL {
	const { viewer, timeZone } = opts;
	const asOfDate = sql`${asOf}::date`;
	const paid =
		asOf >= today
			? sql`coalesce(b.paid, 0)`
			: sql`coalesce((select sum(p.amount) from payments p
				where p.org_id = ${viewer.orgId} and p.deal_id = ${deals.id} and p.paid_on <= ${asOfDate}
					and not exists (select 1 from payment_voids v where v.payment_id = p.id)), 0)`;
	return sql`
	base as materialized (
		select ${deals.id} as id, ${deals.title} as title, ${deals.ownerId} as owner_id,
			${deals.pipelineId} as pipeline_id,
			${deals.customerId} as customer_id, ${deals.customerName} as customer_name,
			${deals.amount}::bigint as value, ${paid}::bigint as paid,
			(coalesce(w.won_at, ${deals.updatedAt}) at time zone ${timeZone})::date as won_on
		from ${deals}
			left join deal_balances b on b.deal_id = ${deals.id}
			left join (select e.deal_id, max(e.created_at) as won_at from deal_events e
				where e.org_id = ${viewer.orgId} and e.kind = 'status' and e.to_value = 'won'
				group by e.deal_id) w on w.deal_id = ${deals.id}
		where ${dealConditions(opts)}
			and (coalesce(w.won_at, ${deals.updatedAt}) at time zone ${timeZone})::date <= ${asOfDate}
	),
	sched as (
		select i.deal_id, max(i.cum) as total,
			${bucketSums(sql`greatest(0, least(i.cum, base.value) - greatest(base.paid, least(i.cum - i.amount, base.value)))`, sql`i.due_on`, asOfDate)}
		from (select deal_id, due_on, amount,
				sum(amount) over (partition by deal_id order by due_on, id) as cum
			from payment_instalments
			where org_id = ${viewer.orgId} and cancelled_at is null
				and deal_id in (select id from base)) i
			join base on base.id = i.deal_id
		group by i.deal_id
	),
	aged as (
		select base.*, ${withRest(sql`greatest(0, base.value - greatest(base.paid, least(coalesce(s.total, 0), base.value)))`, sql`base.won_on`, asOfDate)}
		from base left join sched s on s.deal_id = base.id
	)`;
}

/** The viewer's rows of the read model matching the filters (R10, R14), as a condition. */
function modelConditions(opts: Options, asOf: string): SQL {
	const { viewer, filters, customerId } = opts;
	const r = dealReceivables;
	const cond: SQL[] = [
		sql`${r.orgId} = ${viewer.orgId}`,
		sql`${r.total} > 0`,
		sql`${r.wonOn} <= ${asOf}::date`
	];
	// visibleDeals, over the read model's copy of the owner and pipeline.
	if (viewer.role === 'sales')
		cond.push(
			sql`(${r.ownerId} = ${viewer.userId} or exists (select 1 from ${pipelineSettings} ps where ps.pipeline_id = ${r.pipelineId} and ps.visibility = 'all'))`
		);
	if (customerId) cond.push(sql`${r.customerId} = ${customerId}`);
	if (filters.ownerId) cond.push(sql`${r.ownerId} = ${filters.ownerId}`);
	if (filters.pipelineId) cond.push(sql`${r.pipelineId} = ${filters.pipelineId}`);
	if (filters.q)
		cond.push(
			sql`public.chot_fold(coalesce(${r.customerName}, '')) like public.chot_fold(${likeText(filters.q)})`
		);
	return sql.join(cond, sql` and `);
}

/** The five bucket sums of unpaid parts `p(d, u)` seen on `asOf` (R6), as columns. */
function partBuckets(asOf: string): SQL {
	const day = sql`${asOf}::date`;
	return sql`coalesce(sum(p.u) filter (where ${day} - p.d <= 0), 0)::bigint as not_due,
		coalesce(sum(p.u) filter (where ${day} - p.d between 1 and 30), 0)::bigint as d1_30,
		coalesce(sum(p.u) filter (where ${day} - p.d between 31 and 60), 0)::bigint as d31_60,
		coalesce(sum(p.u) filter (where ${day} - p.d between 61 and 90), 0)::bigint as d61_90,
		coalesce(sum(p.u) filter (where ${day} - p.d > 90), 0)::bigint as d90plus`;
}

const modelColumns = (r: string) =>
	sql.raw(`${r}.deal_id as id, ${r}.title, ${r}.owner_id, ${r}.pipeline_id, ${r}.customer_id,
		${r}.customer_name, ${r}.value, ${r}.paid, ${r}.won_on`);

/**
 * `aged` as of today from the read model (R14): each won deal's unpaid parts are already laid
 * out, so aging them is a scan of `deal_receivables`, not a recomputation from payments,
 * schedules and history. Same columns and rows as `agedDeals` (a test checks both).
 */
function agedFromReadModel(opts: Options, asOf: string): SQL {
	// Parts unnested in the select list (zipped: one row per part) and summed per deal, then
	// joined back to the rows: a third of the cost of a function scan per deal.
	return sql`
	parts as (
		select p.deal_id, ${partBuckets(asOf)}
		from (select deal_id, unnest(due_on) as d, unnest(unpaid) as u
			from ${dealReceivables} where ${modelConditions(opts, asOf)}) p
		group by p.deal_id
	),
	aged as materialized (
		select ${modelColumns('deal_receivables')}, parts.not_due, parts.d1_30, parts.d31_60,
			parts.d61_90, parts.d90plus
		from parts join ${dealReceivables} on deal_receivables.deal_id = parts.deal_id
	)`;
}

/**
 * The default view (by deal, most owed first) as of today, without aging every deal: the page
 * is the top of the `total` index, aged alone, and the cards are one pass over every matching
 * deal's parts. Same answer as the general statement (a test compares them).
 */
function defaultViewQuery(opts: Options, asOf: string, limit: number, offset: number): SQL {
	const where = modelConditions(opts, asOf);
	return sql`
		with top as (
			select * from ${dealReceivables} where ${where}
			-- The total index read backwards; a UUID sorts as its text does (the rows' key).
			order by total desc, deal_id limit ${limit} offset ${offset}
		),
		pg as (
			select top.deal_id::text as key, top.title as label, top.deal_id, top.pipeline_id,
				top.customer_id, top.customer_name, top.owner_id, u.name as owner_name,
				top.won_on::text as detail, 1 as deals, top.value, top.paid, b.*
			from top left join users u on u.id = top.owner_id
				cross join lateral (select ${partBuckets(asOf)}
					from unnest(top.due_on, top.unpaid) as p(d, u)) b
		),
		b as (
			-- Unnested in the select list (zipped, one row per part): much cheaper than a
			-- function scan per deal. A deal's first part counts the deal.
			select count(*) filter (where p.i = 1) as n, ${partBuckets(asOf)}
			from (select unnest(due_on) as d, unnest(unpaid) as u, generate_subscripts(unpaid, 1) as i
				from ${dealReceivables} where ${where}) p
		)
		select
			(select coalesce(json_agg(pg order by ${orderBy.total}), '[]'::json) from pg) as rows,
			(select json_build_object('rows', b.n, 'deals', b.n, 'not_due', b.not_due,
				'd1_30', b.d1_30, 'd31_60', b.d31_60, 'd61_90', b.d61_90, 'd90plus', b.d90plus)
			from b) as summary`;
}

function grouped(group: Exclude<ReceivableGroup, 'contract'>): SQL {
	if (group === 'deal')
		return sql`
		select aged.id::text as key, aged.title as label, aged.id as deal_id, aged.pipeline_id,
			aged.customer_id,
			aged.customer_name, aged.owner_id, u.name as owner_name, aged.won_on::text as detail,
			1 as deals, aged.value, aged.paid, aged.not_due, aged.d1_30, aged.d31_60, aged.d61_90,
			aged.d90plus
		from aged left join users u on u.id = aged.owner_id`;
	if (group === 'customer')
		return sql`
		select coalesce(customer_id::text, 'name:' || coalesce(customer_name, '')) as key,
			max(customer_name) as label, null::uuid as deal_id, null::uuid as pipeline_id, customer_id,
			max(customer_name) as customer_name, null::uuid as owner_id, null::text as owner_name,
			null::text as detail, count(*)::int as deals, sum(value)::bigint as value,
			sum(paid)::bigint as paid, ${sumCols}
		from aged
		where ${totalExpr} > 0
		group by 1, customer_id`;
	return sql`
		select a.owner_id::text as key, max(u.name) as label, null::uuid as deal_id,
			null::uuid as pipeline_id,
			null::uuid as customer_id, null::text as customer_name, a.owner_id,
			max(u.name) as owner_name, null::text as detail, count(*)::int as deals,
			sum(a.value)::bigint as value, sum(a.paid)::bigint as paid, ${sumCols}
		from aged a left join users u on u.id = a.owner_id
		where ${totalExpr} > 0
		group by a.owner_id`;
}

/** Contracts of visible won-or-not deals (R9): value − payments against them, aged. */
function agedContracts(opts: Options, asOf: string): SQL {
	const { viewer } = opts;
	const asOfDate = sql`${asOf}::date`;
	const cond: SQL[] = [visibleDeals(viewer)];
	if (opts.filters.ownerId) cond.push(sql`${deals.ownerId} = ${opts.filters.ownerId}`);
	if (opts.filters.pipelineId) cond.push(sql`${deals.pipelineId} = ${opts.filters.pipelineId}`);
	if (opts.filters.q)
		cond.push(
			sql`public.chot_fold(coalesce(${deals.customerName}, '')) like public.chot_fold(${likeText(opts.filters.q)})`
		);
	return sql`
	base as materialized (
		select c.id, c.number, c.title, c.value::bigint as value,
			coalesce(c.signed_on, c.starts_on) as due_on, ${deals.id} as deal_id,
			${deals.pipelineId} as pipeline_id,
			${deals.ownerId} as owner_id, ${deals.customerId} as customer_id,
			${deals.customerName} as customer_name,
			coalesce((select sum(p.amount) from payments p
				where p.contract_id = c.id and p.paid_on <= ${asOfDate}
					and not exists (select 1 from payment_voids v where v.payment_id = p.id)), 0)::bigint
				as paid
		from contracts c join ${deals} on ${deals.id} = c.deal_id
		where c.org_id = ${viewer.orgId} and c.status <> 'cancelled'
			and coalesce(c.signed_on, c.starts_on) <= ${asOfDate}
			and ${sql.join(cond, sql` and `)}
	),
	sched as (
		select i.contract_id, max(i.cum) as total,
			${bucketSums(sql`greatest(0, least(i.cum, base.value) - greatest(base.paid, least(i.cum - i.amount, base.value)))`, sql`i.due_on`, asOfDate)}
		from (select contract_id, due_on, amount,
				sum(amount) over (partition by contract_id order by due_on, id) as cum
			from payment_instalments
			where org_id = ${viewer.orgId} and cancelled_at is null
				and contract_id in (select id from base)) i
			join base on base.id = i.contract_id
		group by i.contract_id
	),
	g as (
		select base.id::text as key, base.number || ' · ' || base.title as label, base.deal_id,
			base.pipeline_id,
			base.customer_id, base.customer_name, base.owner_id, u.name as owner_name,
			base.number as detail, 1 as deals, base.value, base.paid,
			${withRest(sql`greatest(0, base.value - greatest(base.paid, least(coalesce(s.total, 0), base.value)))`, sql`base.due_on`, asOfDate)}
		from base left join sched s on s.contract_id = base.id
			left join users u on u.id = base.owner_id
	)`;
}

type RawRow = {
	key: string;
	label: string | null;
	deal_id: string | null;
	pipeline_id: string | null;
	customer_id: string | null;
	customer_name: string | null;
	owner_id: string | null;
	owner_name: string | null;
	detail: string | null;
	deals: number;
	value: number;
	paid: number;
	not_due: number;
	d1_30: number;
	d31_60: number;
	d61_90: number;
	d90plus: number;
};

function toRow(r: RawRow): ReceivableRow {
	const buckets: Buckets = {
		notDue: Number(r.not_due),
		d1_30: Number(r.d1_30),
		d31_60: Number(r.d31_60),
		d61_90: Number(r.d61_90),
		d90plus: Number(r.d90plus)
	};
	const total = agingBuckets.reduce((s, k) => s + buckets[k], 0);
	return {
		key: r.key,
		label: r.label ?? '',
		dealId: r.deal_id,
		pipelineId: r.pipeline_id,
		customerId: r.customer_id,
		customerName: r.customer_name,
		ownerId: r.owner_id,
		ownerName: r.owner_name,
		detail: r.detail,
		deals: Number(r.deals),
		value: Number(r.value),
		paid: Number(r.paid),
		buckets,
		total,
		overdue: total - buckets.notDue
	};
}

/** The report's statement (exported for EXPLAIN in the bench and tests). */
export function reportQuery(opts: Options) {
	const today = localDay(opts.timeZone);
	const asOf = opts.filters.asOf ?? today;
	const limit = opts.limit ?? PAGE_SIZE;
	const page = opts.filters.page ?? 1;
	const offset = opts.offset ?? (page - 1) * limit;
	const { group } = opts.filters;
	const fromModel = asOf === today && !opts.recompute;
	if (fromModel && group === 'deal' && opts.filters.sort === 'total' && !opts.filters.overdueOnly)
		return { query: defaultViewQuery(opts, asOf, limit, offset), asOf, page, limit, light: true };
	const ctes =
		group === 'contract'
			? agedContracts(opts, asOf)
			: sql`${fromModel ? agedFromReadModel(opts, asOf) : agedDeals(opts, asOf, today)}, g as (${grouped(group)})`;
	// Rows owing nothing are not listed (a paid-up deal is not a receivable).
	const keep = opts.filters.overdueOnly ? sql`${overdueExpr} > 0` : sql`${totalExpr} > 0`;
	const query = sql`
		with ${ctes},
		r as (select * from g where ${keep}),
		pg as (select * from r order by ${orderBy[opts.filters.sort]} limit ${limit} offset ${offset})
		select
			(select coalesce(json_agg(pg order by ${orderBy[opts.filters.sort]}), '[]'::json) from pg) as rows,
			(select json_build_object('rows', count(*), 'deals', coalesce(sum(deals), 0),
				'not_due', coalesce(sum(not_due), 0), 'd1_30', coalesce(sum(d1_30), 0),
				'd31_60', coalesce(sum(d31_60), 0), 'd61_90', coalesce(sum(d61_90), 0),
				'd90plus', coalesce(sum(d90plus), 0)) from r) as summary`;
	return { query, asOf, page, limit, light: false };
}

/** The report: a page of rows in the chosen grouping and the totals of every matching row. */
export async function report(db: Tx, opts: Options): Promise<ReceivableReport> {
	const { query, asOf, page, limit, light } = reportQuery(opts);
	// JIT compiling the general statement costs more than running it (seconds against tens of
	// ms), and its hash aggregates over every won deal spill to disk within the default
	// work_mem. The default view's statement is small: one round trip, no settings.
	const result = (light
		? await db.execute(query)
		: await db.transaction(async (tx) => {
				await tx.execute(
					sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`
				);
				return tx.execute(query);
			})) as unknown as {
		rows: RawRow[];
		summary: Record<string, number>;
	}[];
	const { rows, summary: s } = result[0]!;
	const buckets: Buckets = {
		notDue: Number(s.not_due),
		d1_30: Number(s.d1_30),
		d31_60: Number(s.d31_60),
		d61_90: Number(s.d61_90),
		d90plus: Number(s.d90plus)
	};
	return {
		rows: rows.map(toRow),
		summary: {
			rows: Number(s.rows),
			deals: Number(s.deals),
			buckets,
			total: agingBuckets.reduce((sum, k) => sum + buckets[k], 0)
		},
		asOf,
		page,
		pageSize: limit
	};
}

/** Every row of the report in the filters' order, page after page (exports). */
export async function* allRows(db: Tx, opts: Omit<Options, 'limit' | 'offset'>) {
	const batch = 2000;
	for (let offset = 0; ; offset += batch) {
		const { rows } = await report(db, { ...opts, limit: batch, offset });
		if (rows.length) yield rows;
		if (rows.length < batch) return;
	}
}

/** One customer's receivable (R8) over the deals the viewer may see, with buckets. */
export async function customerReceivable(
	db: Tx,
	{ viewer, timeZone, customerId }: { viewer: Viewer; timeZone: string; customerId: string }
) {
	const today = localDay(timeZone);
	const opts: Options = {
		viewer,
		timeZone,
		customerId,
		filters: {
			group: 'customer',
			ownerId: null,
			pipelineId: null,
			q: '',
			overdueOnly: false,
			asOf: null,
			sort: 'total'
		}
	};
	const result = (await db.execute(sql`
		with ${agedDeals(opts, today, today)}
		select count(*)::int as deals, ${sumCols}, coalesce(sum(value), 0)::bigint as value,
			coalesce(sum(paid), 0)::bigint as paid
		from aged`)) as unknown as RawRow[];
	const r = toRow({
		...result[0]!,
		key: customerId,
		label: null,
		deal_id: null,
		pipeline_id: null,
		customer_id: customerId,
		customer_name: null,
		owner_id: null,
		owner_name: null,
		detail: null
	});
	// Money received from the customer counts on every visible deal, won or not (R1).
	const [received] = (await db.execute(sql`
		select coalesce(sum(b.paid), 0)::bigint as paid
		from deal_balances b join ${deals} on ${deals.id} = b.deal_id
		where ${visibleDeals(viewer)} and ${deals.customerId} = ${customerId}`)) as unknown as {
		paid: number;
	}[];
	return {
		buckets: r.buckets,
		total: r.total,
		overdue: r.overdue,
		value: r.value,
		paid: Number(received?.paid ?? 0)
	};
}

export type CustomerPayment = {
	id: string;
	paidOn: string;
	amount: number;
	method: string;
	reference: string;
	dealId: string;
	pipelineId: string;
	dealTitle: string;
	voided: boolean;
	voidReason: string | null;
};

/** The payments on a customer's deals the viewer may see, newest first (voided ones too). */
export async function customerPayments(
	db: Tx,
	{ viewer, customerId, limit = 200 }: { viewer: Viewer; customerId: string; limit?: number }
): Promise<CustomerPayment[]> {
	const rows = (await db.execute(sql`
		select p.id, p.paid_on::text as paid_on, p.amount::bigint as amount, p.method, p.reference,
			p.deal_id, ${deals.pipelineId} as pipeline_id, ${deals.title} as deal_title, v.reason as void_reason, v.id is not null as voided
		from payments p
			join ${deals} on ${deals.id} = p.deal_id
			left join payment_voids v on v.payment_id = p.id
		where p.org_id = ${viewer.orgId} and ${deals.customerId} = ${customerId}
			and ${visibleDeals(viewer)}
		order by p.paid_on desc, p.created_at desc
		limit ${limit}`)) as unknown as {
		id: string;
		paid_on: string;
		amount: number;
		method: string;
		reference: string;
		deal_id: string;
		pipeline_id: string;
		deal_title: string;
		void_reason: string | null;
		voided: boolean;
	}[];
	return rows.map((r) => ({
		id: r.id,
		paidOn: r.paid_on,
		amount: Number(r.amount),
		method: r.method,
		reference: r.reference,
		dealId: r.deal_id,
		pipelineId: r.pipeline_id,
		dealTitle: r.deal_title,
		voided: r.voided,
		voidReason: r.void_reason
	}));
}
