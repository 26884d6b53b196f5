import { and, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { dealColumns, type DealColumn, type SortDir, type SortKey } from '$lib/deals/columns';
import { isIsoDate, type DealFilters, type DealStatus } from '$lib/deals/filters';
import type { DealListRow } from '$lib/deals/row';
import type { Tx } from '../db';
import {
	dealBalances,
	deals,
	organisations,
	pipelines,
	stages,
	users,
	type Role
} from '../db/schema';
import { visibleDeals } from './visibility';

// The deals list over the `deals` projection: filters from $lib/deals/filters, the viewer's
// permission from visibleDeals (one rule for lists, exports and search), keyset paging so rows
// inserted by the live projection while someone scrolls neither repeat nor vanish.

export type Viewer = { orgId: string; userId: string; role: Role };

export type { DealListRow };

export const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 100;

/** A cursor that does not belong to the list's sort, or was tampered with. */
export class CursorError extends Error {
	constructor() {
		super('invalid cursor');
	}
}

// The stage a card names, and the column that shows it.
const named = alias(stages, 'named_stage');
const column = alias(stages, 'column_stage');
const owner = alias(users, 'owner');

type KeyType = 'timestamptz' | 'bigint' | 'text' | 'int' | 'date';
type SortSpec = { exprs: SQL[]; types: KeyType[] };

// Text sorts accent-insensitively (chot_fold = lower(unaccent)), so "Đức" sits with "Duc" rather
// than after "Z" under the C collation. Nullable keys are coalesced: row comparisons (keyset
// paging) cannot step over NULLs. Ties are broken by the deal id.
const fold = (e: SQL | typeof deals.title) => sql`coalesce(public.chot_fold(${e}), '')`;
const sorts: Record<SortKey, SortSpec> = {
	created: { exprs: [sql`${deals.createdAt}`], types: ['timestamptz'] },
	updated: { exprs: [sql`${deals.updatedAt}`], types: ['timestamptz'] },
	amount: { exprs: [sql`${deals.amount}`], types: ['bigint'] },
	title: { exprs: [fold(deals.title)], types: ['text'] },
	customer: { exprs: [fold(sql`${deals.customerName}`)], types: ['text'] },
	owner: { exprs: [fold(sql`${owner.name}`)], types: ['text'] },
	pipeline: { exprs: [fold(sql`${pipelines.name}`)], types: ['text'] },
	// The pipeline's order, then the stage's order within it (fractional keys: code-unit order).
	stage: {
		exprs: [
			sql`${pipelines.position} collate "C"`,
			sql`coalesce(${column.position}, '') collate "C"`
		],
		types: ['text', 'text']
	},
	status: {
		exprs: [
			sql`(case ${deals.status} when 'open' then 0 when 'standby' then 1 when 'won' then 2 else 3 end)`
		],
		types: ['int']
	},
	expectedClose: {
		exprs: [sql`coalesce(${deals.expectedCloseDate}, 'infinity'::date)`],
		types: ['date']
	},
	// Standby deals by reopen date, soonest first; deals without one last.
	standby: { exprs: [sql`coalesce(${deals.standbyUntil}, 'infinity'::date)`], types: ['date'] }
};

// A timestamp's key as text with microseconds, so a page boundary never falls between two
// deals created in the same millisecond.
function keyText(e: SQL, type: KeyType): SQL {
	return type === 'timestamptz'
		? sql`to_char((${e}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
		: sql`(${e})::text`;
}

const keyChecks: Record<KeyType, (v: string) => boolean> = {
	timestamptz: (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v),
	bigint: (v) => /^\d{1,16}$/.test(v),
	int: (v) => /^[0-3]$/.test(v),
	date: (v) => v === 'infinity' || isIsoDate(v),
	text: (v) => v.length <= 2000
};

const cursorShape = z.tuple([z.string(), z.string(), z.array(z.string()).max(2), z.uuid()]);

export function encodeCursor(c: { sort: SortKey; dir: SortDir; keys: string[]; id: string }) {
	return Buffer.from(JSON.stringify([c.sort, c.dir, c.keys, c.id])).toString('base64url');
}

/** Reads a cursor made by `list` for the same sort; anything else throws CursorError. */
export function decodeCursor(cursor: string, { sort, dir }: { sort: SortKey; dir: SortDir }) {
	let raw: unknown;
	try {
		raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
	} catch {
		throw new CursorError();
	}
	const parsed = cursorShape.safeParse(raw);
	if (!parsed.success) throw new CursorError();
	const [s, d, keys, id] = parsed.data;
	const spec = sorts[sort];
	if (s !== sort || d !== dir || keys.length !== spec.types.length) throw new CursorError();
	if (!keys.every((k, i) => keyChecks[spec.types[i]!](k))) throw new CursorError();
	return { keys, id };
}

function conditions(viewer: Viewer, f: DealFilters): SQL[] {
	const where: SQL[] = [visibleDeals(viewer)];
	if (f.owners.length > 0) {
		where.push(
			inArray(
				deals.ownerId,
				f.owners.map((o) => (o === 'me' ? viewer.userId : o))
			)
		);
	}
	if (f.statuses.length > 0) where.push(inArray(deals.status, f.statuses));
	if (f.pipelines.length > 0) where.push(inArray(deals.pipelineId, f.pipelines));
	if (f.stages.length > 0) where.push(inArray(column.id, f.stages));
	if (f.starred) where.push(eq(deals.starred, true));
	if (f.overdue) {
		where.push(
			sql`exists (select 1 from ${dealBalances} where ${dealBalances.dealId} = ${deals.id} and ${dealBalances.overdue} > 0)`
		);
	}
	// Calendar days in the organisation's time zone: [from 00:00, to+1 00:00).
	const tz = sql`(select ${organisations.timeZone} from ${organisations} where ${organisations.id} = ${viewer.orgId})`;
	if (f.createdFrom) {
		where.push(sql`${deals.createdAt} >= ((${f.createdFrom}::date)::timestamp at time zone ${tz})`);
	}
	if (f.createdTo) {
		where.push(
			sql`${deals.createdAt} < (((${f.createdTo}::date) + 1)::timestamp at time zone ${tz})`
		);
	}
	if (f.closeFrom) where.push(gte(deals.expectedCloseDate, f.closeFrom));
	if (f.closeTo) where.push(lte(deals.expectedCloseDate, f.closeTo));
	if (f.standbyFrom) where.push(gte(deals.standbyUntil, f.standbyFrom));
	if (f.standbyTo) where.push(lte(deals.standbyUntil, f.standbyTo));
	if (f.amountMin !== null) where.push(gte(deals.amount, f.amountMin));
	if (f.amountMax !== null) where.push(lte(deals.amount, f.amountMax));
	return where;
}

function fields(columns: ReadonlySet<DealColumn>) {
	// Columns not asked for select NULL, so PostgreSQL drops the joins nobody reads.
	const pick = <T>(col: DealColumn, expr: SQL<T>) => (columns.has(col) ? expr : sql<null>`null`);
	const iso = (e: typeof deals.createdAt | typeof deals.updatedAt) =>
		sql<string>`to_char(${e} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
	return {
		id: deals.id,
		pipelineId: deals.pipelineId,
		title: deals.title,
		starred: deals.starred,
		status: sql<DealStatus>`${deals.status}`,
		ownerId: deals.ownerId,
		overLimit: deals.overLimit,
		customerId: pick('customer', sql<string | null>`${deals.customerId}`),
		customerName: pick('customer', sql<string | null>`${deals.customerName}`),
		customerPhone: pick('phone', sql<string | null>`${deals.customerPhone}`),
		// The paid column shows what remains of the amount.
		amount:
			columns.has('amount') || columns.has('paid')
				? sql<number>`${deals.amount}`.mapWith(Number)
				: sql<null>`null`,
		paid: pick(
			'paid',
			sql<number>`(select ${dealBalances.paid} from ${dealBalances} where ${dealBalances.dealId} = ${deals.id})`.mapWith(
				Number
			)
		),
		// Always read: the title cell flags a deal with money overdue whatever the columns.
		overdue:
			sql<number>`(select ${dealBalances.overdue} from ${dealBalances} where ${dealBalances.dealId} = ${deals.id})`.mapWith(
				Number
			),
		stageId: pick('stage', sql<string | null>`${column.id}`),
		stageName: pick('stage', sql<string | null>`${column.name}`),
		stageColor: pick('stage', sql<string | null>`${column.color}`),
		pipelineName: pick('pipeline', sql<string>`${pipelines.name}`),
		ownerName: pick('owner', sql<string | null>`${owner.name}`),
		lostReason: pick('lostReason', sql<string | null>`${deals.lostReason}`),
		expectedCloseDate: pick('expectedClose', sql<string | null>`${deals.expectedCloseDate}::text`),
		source: pick('source', sql<string | null>`${deals.source}`),
		standbyUntil: pick('standby', sql<string | null>`${deals.standbyUntil}::text`),
		createdAt: pick('created', iso(deals.createdAt)),
		updatedAt: pick('updated', iso(deals.updatedAt))
	};
}

export type ListInput = Viewer & {
	filters: DealFilters;
	/** From the previous page's `next`; null or absent for the first page. */
	cursor?: string | null;
	limit?: number;
	/** Which columns to fill; every one when absent. */
	columns?: readonly DealColumn[];
};

/**
 * One page of the deals the viewer may see, filtered and sorted, and the cursor of the next page
 * (null after the last). Throws CursorError for a cursor of another sort or a forged one.
 */
export async function list(
	db: Tx,
	{ filters, cursor, limit = DEFAULT_LIMIT, columns = dealColumns, ...viewer }: ListInput
): Promise<{ rows: DealListRow[]; next: string | null }> {
	const n = Math.max(1, Math.min(MAX_LIMIT, Math.trunc(limit)));
	const { sort, dir } = filters;
	const spec = sorts[sort];
	const where = conditions(viewer, filters);
	if (cursor) {
		const { keys, id } = decodeCursor(cursor, { sort, dir });
		const left = sql.join([...spec.exprs, sql`${deals.id}`], sql`, `);
		const right = sql.join(
			[...keys.map((k, i) => sql`${k}::${sql.raw(spec.types[i]!)}`), sql`${id}::uuid`],
			sql`, `
		);
		where.push(dir === 'asc' ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`);
	}
	const order = [...spec.exprs, sql`${deals.id}`].map((e) =>
		dir === 'asc' ? sql`${e} asc` : sql`${e} desc`
	);
	const keyCols = sql<string[]>`array[${sql.join(
		spec.exprs.map((e, i) => keyText(e, spec.types[i]!)),
		sql`, `
	)}]`;
	const rows = await db
		.select({ ...fields(new Set(columns)), sortKeys: keyCols })
		.from(deals)
		.innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
		.leftJoin(named, and(eq(named.pipelineId, deals.pipelineId), eq(named.id, deals.stageId)))
		.leftJoin(column, and(eq(column.pipelineId, named.pipelineId), eq(column.id, named.columnId)))
		.leftJoin(owner, eq(owner.id, deals.ownerId))
		.where(and(...where))
		.orderBy(...order)
		.limit(n + 1);
	const more = rows.length > n;
	const page = more ? rows.slice(0, n) : rows;
	const last = page.at(-1);
	return {
		rows: page.map(({ sortKeys: _keys, ...row }) => row),
		next: more && last ? encodeCursor({ sort, dir, keys: last.sortKeys, id: last.id }) : null
	};
}

/** How many deals the filters match for this viewer, and their total amount in đồng. */
export async function summary(
	db: Tx,
	{ filters, ...viewer }: Viewer & { filters: DealFilters }
): Promise<{ count: number; total: number }> {
	// Only the stage filter reads a joined table here; owner and pipeline names are not needed.
	const [row] = await db
		.select({
			count: sql<number>`count(*)`.mapWith(Number),
			total: sql<number>`coalesce(sum(${deals.amount}), 0)`.mapWith(Number)
		})
		.from(deals)
		.leftJoin(named, and(eq(named.pipelineId, deals.pipelineId), eq(named.id, deals.stageId)))
		.leftJoin(column, and(eq(column.pipelineId, named.pipelineId), eq(column.id, named.columnId)))
		.where(and(...conditions(viewer, filters)));
	return row ?? { count: 0, total: 0 };
}

/** Every matching deal, in pages of `chunk`: exports stream them without holding them all. */
export async function* all(
	db: Tx,
	{ chunk = 1000, ...input }: Omit<ListInput, 'cursor' | 'limit'> & { chunk?: number }
): AsyncGenerator<DealListRow[]> {
	let cursor: string | null = null;
	do {
		const page: { rows: DealListRow[]; next: string | null } = await list(db, {
			...input,
			cursor,
			limit: chunk
		});
		if (page.rows.length > 0) yield page.rows;
		cursor = page.next;
	} while (cursor);
}

export type FilterOptions = {
	pipelines: {
		id: string;
		name: string;
		archived: boolean;
		stages: { id: string; name: string; color: string }[];
	}[];
};

/** The pipelines and their shown stages, in board order, for the filter bar. */
export async function filterOptions(db: Tx, { orgId }: { orgId: string }): Promise<FilterOptions> {
	const [ps, ss] = await Promise.all([
		db
			.select({
				id: pipelines.id,
				name: pipelines.name,
				position: pipelines.position,
				archivedAt: pipelines.archivedAt
			})
			.from(pipelines)
			.where(eq(pipelines.orgId, orgId)),
		db
			.select({
				pipelineId: stages.pipelineId,
				id: stages.id,
				name: stages.name,
				color: stages.color,
				position: stages.position
			})
			.from(stages)
			.where(and(eq(stages.orgId, orgId), isNull(stages.deletedAt)))
	]);
	// Fractional keys compare as code units, never by the database's collation.
	const byKey = (a: { position: string; id: string }, b: { position: string; id: string }) =>
		a.position < b.position ? -1 : a.position > b.position ? 1 : a.id < b.id ? -1 : 1;
	return {
		pipelines: ps.sort(byKey).map((p) => ({
			id: p.id,
			name: p.name,
			archived: p.archivedAt !== null,
			stages: ss
				.filter((s) => s.pipelineId === p.id)
				.sort(byKey)
				.map(({ id, name, color }) => ({ id, name, color }))
		}))
	};
}
