import { and, eq, inArray, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PipelineSettings } from '$lib/board/doc';
import type { Tx } from '../db';
import { v7 as uuidv7 } from 'uuid';
import {
	customers,
	dealEvents,
	deals,
	pipelineSettings,
	pipelines,
	stages,
	users
} from '../db/schema';
import { sameStage, type DealEventRow, type DealRow, type StageRow } from './rows';

// The SQL side of the projection: verbs over the `stages` and `deals` read models. Only the
// projection (live and rebuild) writes these tables.

/**
 * Serialises the projection of one pipeline against its rebuild. Live flushes take the lock
 * shared (shards of one pipeline project side by side), a rebuild exclusively; both read the
 * documents only once they hold it, so a rebuild never writes a state older than one already
 * projected, and a live flush after a rebuild writes what it holds now.
 */
export async function lockPipeline(tx: Tx, { pipelineId }: { pipelineId: string }) {
	const key = sql`hashtextextended(${`projection:${pipelineId}`}, 0)`;
	await tx.execute(sql`select pg_advisory_xact_lock(${key})`);
}

/**
 * Starts a live flush: the pipeline's shared projection lock, and no wait for the WAL flush at
 * commit (`synchronous_commit = off` for this transaction only). The projection is derived:
 * what a crash loses of its last few hundred milliseconds is rewritten from the documents, which
 * are durable, when each is next loaded (a full reconcile) or by `projections:rebuild`. Waiting
 * for a disk flush on every board's flush, twice a second, cost more than the update log itself.
 */
export async function beginLiveFlush(tx: Tx, { pipelineId }: { pipelineId: string }) {
	const key = sql`hashtextextended(${`projection:${pipelineId}`}, 0)`;
	await tx.execute(
		sql`select set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock_shared(${key})`
	);
}

/** The organisation of a pipeline, or null when the pipeline does not exist (any more). */
export async function orgOf(db: Tx, { pipelineId }: { pipelineId: string }) {
	const [row] = await db
		.select({ orgId: pipelines.orgId })
		.from(pipelines)
		.where(eq(pipelines.id, pipelineId));
	return row?.orgId ?? null;
}

/**
 * The rows with every customer id the organisation does not have replaced by null: a card may
 * name any id, and a row must never point at another organisation's customer.
 */
export async function withKnownCustomers(
	tx: Tx,
	{ orgId, rows }: { orgId: string; rows: DealRow[] }
): Promise<DealRow[]> {
	const ids = [...new Set(rows.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
	if (ids.length === 0) return rows;
	const known = new Set<string>();
	for (const part of chunks(ids, CHUNK)) {
		const found = await tx
			.select({ id: customers.id })
			.from(customers)
			.where(and(eq(customers.orgId, orgId), anyId(customers.id, part)));
		for (const c of found) known.add(c.id);
	}
	return rows.map((r) =>
		r.customerId && !known.has(r.customerId) ? { ...r, customerId: null } : r
	);
}

/** Writes the pipeline's settings row (visibility, editing) from its document. */
export async function writeSettings(
	tx: Tx,
	{
		orgId,
		pipelineId,
		settings
	}: {
		orgId: string;
		pipelineId: string;
		settings: Pick<PipelineSettings, 'visibility' | 'editing'>;
	}
) {
	const { visibility, editing } = settings;
	await tx
		.insert(pipelineSettings)
		.values({ pipelineId, orgId, visibility, editing })
		.onConflictDoUpdate({ target: pipelineSettings.pipelineId, set: { visibility, editing } });
}

export async function stagesOf(tx: Tx, { pipelineId }: { pipelineId: string }) {
	const rows = await tx.select().from(stages).where(eq(stages.pipelineId, pipelineId));
	return rows.map(({ updatedBy: _, ...row }) => row satisfies StageRow);
}

/**
 * Makes a pipeline's stage rows exactly `rows`: inserts, updates what differs, deletes the rest.
 * `updatedBy` names who caused a stage's change; null keeps the row's previous attribution.
 */
export async function writeStages(
	tx: Tx,
	{
		pipelineId,
		rows,
		updatedBy
	}: { pipelineId: string; rows: StageRow[]; updatedBy: (stageId: string) => string | null }
) {
	const existing = new Map((await stagesOf(tx, { pipelineId })).map((r) => [r.id, r]));
	const changed = rows.filter((r) => {
		const old = existing.get(r.id);
		return !old || !sameStage(old, r);
	});
	const keep = new Set(rows.map((r) => r.id));
	const gone = [...existing.keys()].filter((id) => !keep.has(id));
	for (const part of chunks(gone, CHUNK)) {
		await tx.delete(stages).where(and(eq(stages.pipelineId, pipelineId), inArray(stages.id, part)));
	}
	for (const part of chunks(changed, CHUNK)) {
		await tx
			.insert(stages)
			.values(part.map((r) => ({ ...r, updatedBy: updatedBy(r.id) })))
			.onConflictDoUpdate({
				target: [stages.pipelineId, stages.id],
				set: {
					...excludedSet(stageContent),
					updatedBy: sql`coalesce(excluded.updated_by, ${stages.updatedBy})`
				}
			});
	}
	return {
		inserted: changed.filter((r) => !existing.has(r.id)).length,
		updated: changed.filter((r) => existing.has(r.id)).length,
		deleted: gone.length
	};
}

export async function dealsOfShard(
	tx: Tx,
	{ pipelineId, ownerId }: { pipelineId: string; ownerId: string }
): Promise<DealRow[]> {
	const rows = await tx
		.select()
		.from(deals)
		.where(and(eq(deals.pipelineId, pipelineId), eq(deals.ownerId, ownerId)));
	return rows.map(withoutAttribution);
}

export async function dealsOfPipeline(
	tx: Tx,
	{ pipelineId }: { pipelineId: string }
): Promise<DealRow[]> {
	const rows = await tx.select().from(deals).where(eq(deals.pipelineId, pipelineId));
	return rows.map(withoutAttribution);
}

/**
 * Inserts or updates deal rows; returns the ids actually written. A row never moves to another
 * pipeline (a card with a deal id taken elsewhere is not projected). In `live` mode a copy from
 * another shard of the same pipeline replaces the row only when the board would show it instead
 * (SPEC B16: later `updated_at`, then greater owner id, as `prefers` in rows.ts); a `rebuild`
 * writes the copy it already chose among all shards. Rows whose content would not change are
 * left alone, keeping their attribution. `updatedBy` null keeps the row's previous attribution.
 */
export async function upsertDeals(
	tx: Tx,
	{ rows, mode }: { rows: (DealRow & { updatedBy: string | null })[]; mode: 'live' | 'rebuild' }
) {
	const written: string[] = [];
	const samePipeline = sql`${deals.pipelineId} = excluded.pipeline_id`;
	const guard =
		mode === 'live'
			? sql`${samePipeline} and (${deals.ownerId} = excluded.owner_id
				or (excluded.updated_at, excluded.owner_id) > (${deals.updatedAt}, ${deals.ownerId}))`
			: samePipeline;
	const differs = sql`(${sql.join(
		dealContent.map((k) => sql`${deals[k]}`),
		sql`, `
	)}) is distinct from (${sql.join(
		dealContent.map((k) => excluded(k)),
		sql`, `
	)})`;
	const content = sql.join(
		dealContent.map((k) => sql`${sql.raw(snake(k))} = ${excluded(k)}`),
		sql`, `
	);
	// One statement text for any number of rows (unnest over one array per column), so
	// postgres.js prepares it once; drizzle's multi-row `values` was a new statement per row count
	// and took a tenth of the server's CPU to build in the fan-out bench. Every array travels as
	// text (postgres.js serialises text arrays, not timestamp ones) and is cast here.
	for (const part of chunks(rows, CHUNK)) {
		const arrays = sql.join(
			upsertColumns.map(
				([key, type]) =>
					sql`${sql.param(part.map((r) => asText(r[key])))}::text[]::${sql.raw(type)}[]`
			),
			sql`, `
		);
		const done = await tx.execute<{ id: string }>(sql`
			insert into ${deals} (${sql.raw(upsertColumns.map(([key]) => snake(key)).join(', '))})
			select * from unnest(${arrays})
			on conflict (id) do update
				set ${content}, updated_by = coalesce(excluded.updated_by, ${deals.updatedBy})
				-- Also when only the attribution is new: a flush that reconciles a freshly loaded
				-- document can write a change before the flush that knows its user (the change was
				-- logged, then applied, while the load's reconcile ran); the later flush names them.
				where ${guard} and (${differs} or (excluded.updated_by is not null and excluded.updated_by is distinct from ${deals.updatedBy}))
			returning id`);
		for (const d of done) written.push(d.id);
	}
	return written;
}

/** The rows of these deals, wherever they are. */
export async function dealsByIds(tx: Tx, { ids }: { ids: string[] }): Promise<DealRow[]> {
	const out: DealRow[] = [];
	for (const part of chunks(ids, CHUNK)) {
		const rows = await tx.select().from(deals).where(anyId(deals.id, part));
		out.push(...rows.map(withoutAttribution));
	}
	return out;
}

/**
 * Appends history entries (SPEC B20). A `created` entry is written once per deal however often
 * its row is inserted (a deal handed over between shards is inserted again).
 */
export async function insertEvents(
	tx: Tx,
	{ events }: { events: DealEventRow[] }
): Promise<{ createdDealIds: string[] }> {
	const created = events.filter((e) => e.kind === 'created');
	const others = events.filter((e) => e.kind !== 'created');
	// Fixed statement text, as in upsertDeals; ids are made here (uuidv7, in entry order).
	// One array parameter per column of a chunk of entries.
	const columnsOf = (part: DealEventRow[]) => (f: (e: DealEventRow) => string | number | null) =>
		sql.param(part.map((e) => asText(f(e))));
	for (const part of chunks(others, CHUNK)) {
		const col = columnsOf(part);
		await tx.execute(sql`
			insert into ${dealEvents} (id, org_id, deal_id, kind, from_value, to_value, note, amount, owner_id, actor_id)
			select * from unnest(
				${col(() => uuidv7())}::text[]::uuid[], ${col((e) => e.orgId)}::text[]::uuid[],
				${col((e) => e.dealId)}::text[]::uuid[], ${col((e) => e.kind)}::text[],
				${col((e) => e.fromValue)}::text[], ${col((e) => e.toValue)}::text[],
				${col((e) => e.note)}::text[], ${col((e) => e.amount)}::text[]::bigint[],
				${col((e) => e.ownerId)}::text[]::uuid[], ${col((e) => e.actorId)}::text[]::uuid[])`);
	}
	// `created` once per deal, however often its row is inserted: one statement for all of them
	// (a board's first projection, or a sync of cards made offline, creates dozens at once).
	const inserted = new Set<string>();
	for (const part of chunks(created, CHUNK)) {
		const col = columnsOf(part);
		const rows = await tx.execute<{ deal_id: string }>(sql`
			insert into ${dealEvents} (id, org_id, deal_id, kind, to_value, amount, owner_id, actor_id)
			select t.id, t.org_id, t.deal_id, 'created', t.to_value, t.amount, t.owner_id, u.id
			from unnest(
				${col(() => uuidv7())}::text[]::uuid[], ${col((e) => e.orgId)}::text[]::uuid[],
				${col((e) => e.dealId)}::text[]::uuid[], ${col((e) => e.toValue)}::text[],
				${col((e) => e.amount)}::text[]::bigint[], ${col((e) => e.ownerId)}::text[]::uuid[],
				${col((e) => e.actorId)}::text[]::uuid[]
			) with ordinality as t(id, org_id, deal_id, to_value, amount, owner_id, actor_id, i)
			-- The card's creator may be any UUID a client wrote: only a real user is named.
			left join ${users} u on u.id = t.actor_id
			where not exists (select 1 from ${dealEvents} e where e.deal_id = t.deal_id and e.kind = 'created')
			order by t.i
			returning deal_id`);
		for (const r of rows) inserted.add(r.deal_id);
	}
	const createdDealIds = created.map((e) => e.dealId).filter((id) => inserted.has(id));
	return { createdDealIds };
}

/** Marks deals that arrived past the plan's monthly limit (kept, never deleted: issue 4). */
export async function flagOverLimit(tx: Tx, { ids }: { ids: string[] }) {
	for (const part of chunks(ids, CHUNK)) {
		await tx.update(deals).set({ overLimit: true }).where(inArray(deals.id, part));
	}
}

/** Deletes the rows of `ids` held by this pipeline (and shard, when given); returns their ids. */
export async function deleteDeals(
	tx: Tx,
	{ pipelineId, ownerId, ids }: { pipelineId: string; ownerId?: string; ids: string[] }
) {
	const deleted: string[] = [];
	for (const part of chunks(ids, CHUNK)) {
		const done = await tx
			.delete(deals)
			.where(
				and(
					eq(deals.pipelineId, pipelineId),
					ownerId === undefined ? undefined : eq(deals.ownerId, ownerId),
					inArray(deals.id, part)
				)
			)
			.returning({ id: deals.id });
		for (const d of done) deleted.push(d.id);
	}
	return deleted;
}

// The document-derived columns, i.e. all but `updatedBy`.
const stageContent = [
	'orgId',
	'name',
	'position',
	'color',
	'winProbability',
	'rotDays',
	'deletedAt',
	'mergedInto',
	'columnId'
] as const satisfies readonly (keyof StageRow)[];

const dealContent = [
	'orgId',
	'pipelineId',
	'ownerId',
	'title',
	'stageId',
	'position',
	'customerId',
	'customerName',
	'customerPhone',
	'amount',
	'starred',
	'status',
	'lostReason',
	'standbyUntil',
	'expectedCloseDate',
	'source',
	'createdAt',
	'updatedAt',
	'stageEnteredAt',
	'createdBy'
] as const satisfies readonly (keyof DealRow)[];

// Every column upsertDeals writes, with its PostgreSQL type.
const upsertColumns = [
	['id', 'uuid'],
	['orgId', 'uuid'],
	['pipelineId', 'uuid'],
	['ownerId', 'uuid'],
	['title', 'text'],
	['stageId', 'uuid'],
	['position', 'text'],
	['customerId', 'uuid'],
	['customerName', 'text'],
	['customerPhone', 'text'],
	['amount', 'bigint'],
	['starred', 'boolean'],
	['status', 'text'],
	['lostReason', 'text'],
	['standbyUntil', 'date'],
	['expectedCloseDate', 'date'],
	['source', 'text'],
	['createdAt', 'timestamptz'],
	['updatedAt', 'timestamptz'],
	['stageEnteredAt', 'timestamptz'],
	['createdBy', 'uuid'],
	['updatedBy', 'uuid']
] as const satisfies readonly (readonly [keyof DealRow | 'updatedBy', string])[];

function asText(v: string | number | boolean | Date | null): string | null {
	if (v === null) return null;
	return v instanceof Date ? v.toISOString() : String(v);
}

// Column names follow the db's snake_case casing.
function snake(key: string) {
	return `"${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}"`;
}

// `excluded.<column>`: the row an upsert proposed.
function excluded(key: string): SQL {
	return sql.raw(`excluded.${snake(key)}`);
}

function excludedSet<K extends string>(keys: readonly K[]) {
	return Object.fromEntries(keys.map((k) => [k, excluded(k)])) as Record<K, SQL>;
}

function withoutAttribution({
	updatedBy: _,
	overLimit: __,
	...row
}: typeof deals.$inferSelect): DealRow {
	return row;
}

// Rows per statement: the fixed-text statements take one array per column, so this bounds a
// statement's size, not its parameter count; the stage writes and deletes still spell out one
// parameter per value and stay well under PostgreSQL's 65,535.
const CHUNK = 1000;

// `column = any($1::uuid[])`: one statement text for any number of ids, so postgres.js prepares
// it once. `inArray` spells out one parameter per id, a new statement (parse, describe, bind) for
// every count; on the projection's hot path that was a round trip per flush.
function anyId(column: AnyColumn, ids: readonly string[]) {
	return sql`${column} = any(${sql.param(ids)}::uuid[])`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
