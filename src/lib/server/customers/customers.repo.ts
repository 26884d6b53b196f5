import {
	aliasedTable,
	and,
	arrayContains,
	asc,
	count,
	desc,
	eq,
	getTableColumns,
	inArray,
	isNotNull,
	isNull,
	ne,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import { dealsDocName } from '$lib/board/doc';
import { followCustomer } from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import { readDeal } from '$lib/board/read';
import type { Contact } from '$lib/customers/contacts';
import { defaultDir, type SortKey } from '$lib/customers/list-query';
import { translate, type Locale } from '$lib/i18n';
import type { Tx } from '../db';
import {
	customers,
	dealActivities,
	deals,
	memberships,
	pipelines,
	stages,
	users,
	type CustomerKind,
	type Role
} from '../db/schema';
import { visibleDeals } from '../deals/visibility';
import * as records from '../orgs/records';
import type { Runtime } from '../runtime';

// Customers (khách hàng): ledger state, visible to every member of their organisation, written
// by everyone but accountants (the routes decide who may call what). Deleting is soft
// (`deleted_at`): deals keep naming the customer and show their own snapshot of the name.

export type CustomerFields = {
	kind: CustomerKind;
	name: string;
	/** E.164, each once. */
	phones: string[];
	email: string | null;
	address: string | null;
	company: string | null;
	taxCode: string | null;
	source: string | null;
	tags: string[];
	notes: string | null;
	ownerId: string | null;
};

export type CustomerErrorCode = 'not_found' | 'record_limit' | 'invalid_owner' | 'same_customer';

export class CustomerError extends Error {
	constructor(
		readonly code: CustomerErrorCode,
		readonly params: Record<string, string | number> = {}
	) {
		super(code);
	}
}

export function isCustomerError(err: unknown): err is CustomerError {
	return err instanceof CustomerError;
}

export type Viewer = { userId: string; role: Role };

export type ListQuery = {
	/** Over name, company, email and phone (any way it is typed), accent-insensitive. */
	q?: string;
	/** A member's id, or `none` for customers nobody looks after. */
	ownerId?: string;
	tag?: string;
	source?: string;
	/** Only customers flagged as possible duplicates. */
	duplicates?: boolean;
	sort?: SortKey;
	dir?: 'asc' | 'desc';
	offset?: number;
	limit?: number;
};

export const PAGE_SIZE = 100;
const MAX_PAGE = 500;

// `%`, `_` and `\` typed into the search box are literal characters.
const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/**
 * The digits a phone-like search term shares with stored E.164 numbers: `0912 345` and
 * `+84 912 345` both look for `912345`. Null when the term is not phone-like.
 */
export function phoneDigits(term: string): string | null {
	const trimmed = term.trim();
	const digits = trimmed.replace(/[\s.\-()+]/g, '');
	if (!/^\d{3,15}$/.test(digits)) return null;
	if (digits.startsWith('0')) return digits.slice(1) || null;
	if (trimmed.startsWith('+84') || (digits.startsWith('84') && digits.length >= 11)) {
		return digits.slice(2) || null;
	}
	return digits;
}

function searchCondition(q: string | undefined): SQL | undefined {
	const term = q?.trim().slice(0, 100);
	if (!term) return undefined;
	const like = `%${escapeLike(term)}%`;
	const parts: SQL[] = [
		// chot_fold = lower(unaccent()), indexed with pg_trgm (migration 0007).
		sql`chot_fold(${customers.name}) like chot_fold(${like})`,
		sql`chot_fold(coalesce(${customers.company}, '')) like chot_fold(${like})`,
		sql`lower(coalesce(${customers.email}, '')) like lower(${like})`
	];
	const digits = phoneDigits(term);
	if (digits) parts.push(sql`array_to_string(${customers.phones}, ' ') like ${`%${digits}%`}`);
	return or(...parts);
}

/**
 * Ids of the organisation's live customers that share a phone or an email (case-insensitive)
 * with another live customer: the "possible duplicates". One pass over the keys, grouped, so
 * thousands of customers cost a sort, not a self-join.
 */
function duplicateIds(orgId: string): SQL {
	return sql`with keys as (${duplicateKeys(orgId)}),
		shared as (select key from keys group by key having count(distinct id) > 1)
		select id from keys where key in (select key from shared)`;
}

function duplicateKeys(orgId: string): SQL {
	return sql`select c.id, 'p:' || p as key
			from ${customers} c cross join lateral unnest(c.phones) p
			where c.org_id = ${orgId} and c.deleted_at is null
		union all
		select c.id, 'e:' || lower(c.email) as key
			from ${customers} c
			where c.org_id = ${orgId} and c.deleted_at is null and coalesce(c.email, '') <> ''`;
}

/**
 * Whether the customer row in scope (`customers`) shares a phone or an email with another live
 * customer: per row, through the phones GIN index and the lower(email) index, so a page of the
 * table costs its own rows whatever the organisation's size.
 */
const isDuplicateRow = sql<boolean>`exists (
	select 1 from ${customers} o
	where o.org_id = ${customers.orgId} and o.id <> ${customers.id} and o.deleted_at is null
		and (o.phones && ${customers.phones}
			or (${customers.email} is not null and o.email is not null
				and lower(o.email) = lower(${customers.email})))
)`;

/** How many live customers are flagged as possible duplicates. */
export async function duplicateCount(db: Tx, { orgId }: { orgId: string }) {
	const [row] = await db.execute<{ n: number }>(
		sql`select count(distinct id)::int as n from (${duplicateIds(orgId)}) d`
	);
	return row?.n ?? 0;
}

export async function isDuplicate(
	db: Tx,
	{ orgId, customerId }: { orgId: string; customerId: string }
) {
	const [row] = await db
		.select({ dup: isDuplicateRow })
		.from(customers)
		.where(and(eq(customers.id, customerId), eq(customers.orgId, orgId)));
	return row?.dup === true;
}

/** Deals per customer that the viewer may see (the `deals` projection, visibleDeals). */
function dealCounts(db: Tx, { orgId, viewer }: { orgId: string; viewer: Viewer }) {
	return db.$with('deal_counts').as(
		db
			.select({ customerId: deals.customerId, n: sql<number>`count(*)::int`.as('n') })
			.from(deals)
			.where(
				and(
					visibleDeals({ orgId, userId: viewer.userId, role: viewer.role }),
					isNotNull(deals.customerId)
				)
			)
			.groupBy(deals.customerId)
	);
}

function filters(orgId: string, query: ListQuery): SQL {
	return and(
		eq(customers.orgId, orgId),
		isNull(customers.deletedAt),
		searchCondition(query.q),
		query.ownerId === 'none'
			? isNull(customers.ownerId)
			: query.ownerId
				? eq(customers.ownerId, query.ownerId)
				: undefined,
		query.tag ? arrayContains(customers.tags, [query.tag]) : undefined,
		query.source ? eq(customers.source, query.source) : undefined,
		query.duplicates ? sql`${customers.id} in (${duplicateIds(orgId)})` : undefined
	)!;
}

export type ListRow = Awaited<ReturnType<typeof list>>['rows'][number];

/**
 * One page of the organisation's live customers, filtered and sorted, with the total that
 * matches (the table scrolls through all of them, fetching pages as they come into view).
 */
export async function list(
	db: Tx,
	{ orgId, viewer, ...query }: ListQuery & { orgId: string; viewer: Viewer }
) {
	const counts = dealCounts(db, { orgId, viewer });
	const where = filters(orgId, query);
	const dealCount = sql<number>`coalesce(${counts.n}, 0)`.mapWith(Number);
	const sortable: Record<SortKey, SQL> = {
		name: sql`chot_fold(${customers.name})`,
		company: sql`chot_fold(${customers.company})`,
		owner: sql`chot_fold(${users.name})`,
		deals: sql`coalesce(${counts.n}, 0)`,
		source: sql`chot_fold(${customers.source})`,
		createdAt: sql`${customers.createdAt}`
	};
	const sort = query.sort ?? 'createdAt';
	const dir = query.dir ?? defaultDir(sort);
	// Empty values last either way: a sort by company lists companies, not blanks.
	const primary = sql`${sortable[sort]} ${dir === 'desc' ? sql`desc` : sql`asc`} nulls last`;
	const limit = Math.min(Math.max(query.limit ?? PAGE_SIZE, 1), MAX_PAGE);
	const offset = Math.max(query.offset ?? 0, 0);

	const [rows, [total]] = await Promise.all([
		db
			.with(counts)
			.select({
				id: customers.id,
				kind: customers.kind,
				name: customers.name,
				phones: customers.phones,
				email: customers.email,
				company: customers.company,
				source: customers.source,
				tags: customers.tags,
				ownerId: customers.ownerId,
				ownerName: users.name,
				createdAt: customers.createdAt,
				dealCount,
				duplicate: isDuplicateRow
			})
			.from(customers)
			.leftJoin(users, eq(users.id, customers.ownerId))
			.leftJoin(counts, eq(counts.customerId, customers.id))
			.where(where)
			.orderBy(primary, asc(customers.name), asc(customers.id))
			.limit(limit)
			.offset(offset),
		db.select({ n: count() }).from(customers).where(where)
	]);
	return { rows, total: total?.n ?? 0, offset };
}

/** Tags and sources in use, for the filters and the form's suggestions. */
export async function filterOptions(db: Tx, { orgId }: { orgId: string }) {
	const live = and(eq(customers.orgId, orgId), isNull(customers.deletedAt));
	const [tags, sources] = await Promise.all([
		db
			.selectDistinct({ tag: sql<string>`unnest(${customers.tags})`.as('tag') })
			.from(customers)
			.where(live)
			.orderBy(sql`1`)
			.limit(300),
		db
			.selectDistinct({ source: customers.source })
			.from(customers)
			.where(and(live, isNotNull(customers.source)))
			.orderBy(customers.source)
			.limit(300)
	]);
	return {
		tags: tags.map((t) => t.tag).sort((a, b) => a.localeCompare(b, 'vi')),
		sources: sources
			.flatMap((s) => (s.source ? [s.source] : []))
			.sort((a, b) => a.localeCompare(b, 'vi'))
	};
}

/** A customer of the organisation, deleted ones included (the caller decides what to show). */
export async function get(db: Tx, { orgId, customerId }: { orgId: string; customerId: string }) {
	const [row] = await db
		.select({ ...getTableColumns(customers), ownerName: users.name })
		.from(customers)
		.leftJoin(users, eq(users.id, customers.ownerId))
		.where(and(eq(customers.id, customerId), eq(customers.orgId, orgId)));
	return row ?? null;
}

export type Customer = NonNullable<Awaited<ReturnType<typeof get>>>;

/**
 * Names and states of the customers that deals name, for showing a deal's customer
 * (`dealCustomer` in $lib/customers/display): deleted ones are returned too, marked.
 */
export async function lookup(db: Tx, { orgId, ids }: { orgId: string; ids: readonly string[] }) {
	const unique = [...new Set(ids)];
	if (unique.length === 0) return new Map<string, { id: string; name: string; deleted: boolean }>();
	const rows = await db
		.select({ id: customers.id, name: customers.name, deletedAt: customers.deletedAt })
		.from(customers)
		.where(and(eq(customers.orgId, orgId), inArray(customers.id, unique)));
	return new Map(
		rows.map((r) => [r.id, { id: r.id, name: r.name, deleted: r.deletedAt !== null }])
	);
}

/** Members who may look after customers (everyone but accountants), by name. */
export async function assignableOwners(db: Tx, { orgId }: { orgId: string }) {
	const rows = await db
		.select({ id: users.id, name: users.name })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.orgId, orgId), ne(memberships.role, 'accountant')));
	return rows.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

// A customer's owner is a member who can own deals (not an accountant).
async function checkOwner(tx: Tx, { orgId, ownerId }: { orgId: string; ownerId: string | null }) {
	if (!ownerId) return;
	const [m] = await tx
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, ownerId)));
	if (!m || m.role === 'accountant') throw new CustomerError('invalid_owner');
}

/**
 * Creates a customer, counted as a new record for the plan's monthly limit: past the limit the
 * create is refused (CustomerError `record_limit`) and nothing is written or counted.
 */
export async function create(
	db: Tx,
	{ orgId, fields, createdBy }: { orgId: string; fields: CustomerFields; createdBy: string }
) {
	return db.transaction(async (tx) => {
		await checkOwner(tx, { orgId, ownerId: fields.ownerId });
		const [row] = await tx
			.insert(customers)
			.values({ orgId, ...fields, createdBy })
			.returning({ id: customers.id });
		const counted = await records.reserve(tx, { orgId });
		// Thrown inside the transaction: the row and the count roll back together.
		if (counted.overLimit) throw new CustomerError('record_limit', { limit: counted.limit ?? 0 });
		return row!.id;
	});
}

/** Saves every field of a live customer; false when there is none (unknown or deleted). */
export async function update(
	db: Tx,
	{ orgId, customerId, fields }: { orgId: string; customerId: string; fields: CustomerFields }
) {
	return db.transaction(async (tx) => {
		await checkOwner(tx, { orgId, ownerId: fields.ownerId });
		const rows = await tx
			.update(customers)
			.set(fields)
			.where(
				and(eq(customers.id, customerId), eq(customers.orgId, orgId), isNull(customers.deletedAt))
			)
			.returning({ id: customers.id });
		return rows.length > 0;
	});
}

/**
 * Soft-deletes a customer. Their deals keep `customerId` and their snapshot of the name, and
 * show "Không còn khách hàng". Deleting twice is fine: `deleted` says whether this call did it.
 */
export async function softDelete(
	db: Tx,
	{ orgId, customerId }: { orgId: string; customerId: string }
): Promise<{ deleted: boolean; name: string } | null> {
	const [row] = await db
		.update(customers)
		.set({ deletedAt: sql`now()` })
		.where(
			and(eq(customers.id, customerId), eq(customers.orgId, orgId), isNull(customers.deletedAt))
		)
		.returning({ name: customers.name });
	if (row) return { deleted: true, name: row.name };
	const existing = await get(db, { orgId, customerId });
	return existing ? { deleted: false, name: existing.name } : null;
}

export type DuplicateGroup = {
	/** Oldest first. */
	customers: (ListRow & { address: string | null; taxCode: string | null })[];
	/** What they share: E.164 phones and lower-cased emails. */
	phones: string[];
	emails: string[];
};

/**
 * Groups of live customers that may be one person or company: linked by a shared normalised
 * phone or a shared email (case-insensitive), transitively (A~B by phone, B~C by email: one
 * group).
 */
export async function duplicates(
	db: Tx,
	{ orgId, viewer }: { orgId: string; viewer: Viewer }
): Promise<DuplicateGroup[]> {
	const keys = await db.execute<{ id: string; key: string }>(
		sql`with keys as (${duplicateKeys(orgId)}),
			shared as (select key from keys group by key having count(distinct id) > 1)
			select distinct id, key from keys where key in (select key from shared)`
	);
	if (keys.length === 0) return [];

	// Union-find over customers joined by a key.
	const parent = new Map<string, string>();
	const find = (x: string): string => {
		let root = x;
		while (parent.get(root)! !== root) root = parent.get(root)!;
		parent.set(x, root);
		return root;
	};
	const firstByKey = new Map<string, string>();
	for (const { id, key } of keys) {
		if (!parent.has(id)) parent.set(id, id);
		const first = firstByKey.get(key);
		if (first === undefined) firstByKey.set(key, id);
		else parent.set(find(id), find(first));
	}

	const ids = [...parent.keys()];
	const counts = dealCounts(db, { orgId, viewer });
	const rows = await db
		.with(counts)
		.select({
			id: customers.id,
			kind: customers.kind,
			name: customers.name,
			phones: customers.phones,
			email: customers.email,
			company: customers.company,
			source: customers.source,
			tags: customers.tags,
			ownerId: customers.ownerId,
			ownerName: users.name,
			createdAt: customers.createdAt,
			dealCount: sql<number>`coalesce(${counts.n}, 0)`.mapWith(Number),
			duplicate: sql<boolean>`true`,
			address: customers.address,
			taxCode: customers.taxCode
		})
		.from(customers)
		.leftJoin(users, eq(users.id, customers.ownerId))
		.leftJoin(counts, eq(counts.customerId, customers.id))
		.where(and(eq(customers.orgId, orgId), inArray(customers.id, ids)))
		.orderBy(asc(customers.createdAt), asc(customers.id));

	const groups = new Map<string, DuplicateGroup>();
	for (const row of rows) {
		const root = find(row.id);
		let g = groups.get(root);
		if (!g) groups.set(root, (g = { customers: [], phones: [], emails: [] }));
		g.customers.push(row);
	}
	for (const [key, first] of firstByKey) {
		const g = groups.get(find(first));
		if (!g) continue;
		if (key.startsWith('p:')) g.phones.push(key.slice(2));
		else g.emails.push(key.slice(2));
	}
	// Newest activity first: the group whose latest member arrived last.
	return [...groups.values()].sort((a, b) => latest(b).getTime() - latest(a).getTime());
}

const latest = (g: DuplicateGroup) =>
	g.customers.reduce((m, c) => (c.createdAt > m ? c.createdAt : m), new Date(0));

/** The deals of a customer the viewer may see (visibleDeals), newest change first. */
export async function dealsOf(
	db: Tx,
	{ orgId, customerId, viewer }: { orgId: string; customerId: string; viewer: Viewer }
) {
	const named = aliasedTable(stages, 'named_stage');
	const column = aliasedTable(stages, 'column_stage');
	const owner = aliasedTable(users, 'owner');
	return (
		db
			.select({
				id: deals.id,
				title: deals.title,
				pipelineId: deals.pipelineId,
				pipelineName: pipelines.name,
				stageName: column.name,
				status: deals.status,
				amount: deals.amount,
				ownerName: owner.name,
				updatedAt: deals.updatedAt
			})
			.from(deals)
			.innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
			.leftJoin(named, and(eq(named.pipelineId, deals.pipelineId), eq(named.id, deals.stageId)))
			// Where the card shows: a deleted stage's deals show in the column it merged into (B12).
			.leftJoin(column, and(eq(column.pipelineId, deals.pipelineId), eq(column.id, named.columnId)))
			.leftJoin(owner, eq(owner.id, deals.ownerId))
			.where(
				and(
					visibleDeals({ orgId, userId: viewer.userId, role: viewer.role }),
					eq(deals.customerId, customerId)
				)
			)
			.orderBy(desc(deals.updatedAt), asc(deals.id))
	);
}

type MergeRow = typeof customers.$inferSelect;

const uniq = (xs: readonly string[]) => [...new Set(xs)];
function uniqTags(xs: readonly string[]) {
	const seen = new Set<string>();
	return xs.filter((t) => {
		const k = t.toLocaleLowerCase('vi');
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}
const blank = (s: string | null) => s === null || s.trim() === '';

/** The survivor's fields after taking in `other`: unions, empty fields filled, nothing dropped. */
export function mergeFields(survivor: MergeRow, other: MergeRow, locale: Locale) {
	const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
		translate(locale, key, params);
	const fill = (a: string | null, b: string | null) => (blank(a) ? b : a);
	// What has no field of its own on the survivor goes into its notes, with where it came from.
	const carried: string[] = [t('customers.merge.notesFrom', { name: other.name })];
	const otherEmail = other.email?.trim();
	if (
		otherEmail &&
		!blank(survivor.email) &&
		survivor.email!.trim().toLowerCase() !== otherEmail.toLowerCase()
	) {
		carried.push(t('customers.merge.otherEmail', { email: otherEmail }));
	}
	for (const [field, key] of [
		['address', 'customers.merge.otherAddress'],
		['company', 'customers.merge.otherCompany'],
		['taxCode', 'customers.merge.otherTaxCode']
	] as const) {
		const a = survivor[field]?.trim();
		const b = other[field]?.trim();
		if (a && b && a !== b) carried.push(t(key, { value: b }));
	}
	if (!blank(other.notes) && other.notes !== survivor.notes) carried.push(other.notes!.trim());
	return {
		phones: uniq([...survivor.phones, ...other.phones]),
		tags: uniqTags([...survivor.tags, ...other.tags]),
		email: fill(survivor.email, other.email),
		address: fill(survivor.address, other.address),
		company: fill(survivor.company, other.company),
		taxCode: fill(survivor.taxCode, other.taxCode),
		source: fill(survivor.source, other.source),
		ownerId: survivor.ownerId ?? other.ownerId,
		notes: [survivor.notes?.trim(), carried.join('\n')].filter(Boolean).join('\n\n')
	};
}

/**
 * Points every card naming customer `fromId` at `toId` and gives it `toId`'s name (SPEC B24),
 * through the collab server (named op, logged before it is live). Cards are found through the
 * `deals` projection; each is checked in its document, so a card already changed, or the
 * projection lagging, changes nothing. `fromId` = `toId` brings the cards of a renamed customer
 * up to date. Returns the number of cards changed.
 */
async function repointCards(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{ orgId, fromId, toId, origin }: { orgId: string; fromId: string; toId: string; origin: Origin }
) {
	const [target] = await rt.db
		.select({ name: customers.name })
		.from(customers)
		.where(and(eq(customers.id, toId), eq(customers.orgId, orgId)));
	if (!target) return 0;
	const rows = await rt.db
		.select({ id: deals.id, pipelineId: deals.pipelineId, ownerId: deals.ownerId })
		.from(deals)
		.where(
			and(
				eq(deals.orgId, orgId),
				eq(deals.customerId, fromId),
				fromId === toId ? sql`${deals.customerName} is distinct from ${target.name}` : undefined
			)
		);
	const byDoc = new Map<string, string[]>();
	for (const r of rows) {
		const name = dealsDocName(r.pipelineId, r.ownerId);
		byDoc.set(name, [...(byDoc.get(name) ?? []), r.id]);
	}
	let changed = 0;
	for (const [docName, ids] of byDoc) {
		changed += await rt.changeDoc(docName, (doc) => {
			let n = 0;
			for (const dealId of ids) {
				if (readDeal(doc, dealId)?.customerId !== fromId) continue;
				const card = { dealId, customerId: toId, customerName: target.name };
				if (followCustomer(doc, card, origin)) n++;
			}
			return n;
		});
	}
	return changed;
}

/**
 * After a customer is saved: their cards show their name now (SPEC B24), changed by `by` (the
 * deals' history says who renamed them). Returns the number of cards changed.
 */
export async function renameOnCards(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{ orgId, customerId, by }: { orgId: string; customerId: string; by: { userId: string } }
) {
	const origin: Origin = { kind: 'user', userId: by.userId };
	return repointCards(rt, { orgId, fromId: customerId, toId: customerId, origin });
}

/**
 * Merges customer `mergedId` into `survivorId`: phones, tags unioned, empty fields filled,
 * what does not fit (another email, the other's notes) kept in the notes; every deal card
 * naming the merged customer then names the survivor and shows its name; the merged customer
 * is soft-deleted with `merged_into`. Cards are repointed before the rows change and again after
 * (a card linked in between), so a crash part-way leaves nothing pointing at a deleted customer
 * that running the merge again would not fix; running it again after success changes nothing.
 */
export async function merge(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{
		orgId,
		survivorId,
		mergedId,
		by,
		locale
	}: { orgId: string; survivorId: string; mergedId: string; by: { userId: string }; locale: Locale }
): Promise<{ merged: boolean; repointed: number }> {
	if (survivorId === mergedId) throw new CustomerError('same_customer');
	const pair = await rt.db
		.select()
		.from(customers)
		.where(and(eq(customers.orgId, orgId), inArray(customers.id, [survivorId, mergedId])));
	const survivor = pair.find((c) => c.id === survivorId);
	const merged = pair.find((c) => c.id === mergedId);
	if (!survivor || !merged || survivor.deletedAt) throw new CustomerError('not_found');
	// Deleted, or merged into someone else: not this merge's to redo.
	if (merged.deletedAt && merged.mergedInto !== survivorId) throw new CustomerError('not_found');

	const origin: Origin = { kind: 'user', userId: by.userId };
	let repointed = await repointCards(rt, { orgId, fromId: mergedId, toId: survivorId, origin });
	const done = await rt.db.transaction(async (tx) => {
		// Both rows locked in id order, so two merges of one pair cannot deadlock or both apply.
		const locked = await tx
			.select()
			.from(customers)
			.where(and(eq(customers.orgId, orgId), inArray(customers.id, [survivorId, mergedId])))
			.orderBy(asc(customers.id))
			.for('update');
		const s = locked.find((c) => c.id === survivorId);
		const m = locked.find((c) => c.id === mergedId);
		if (!s || !m || s.deletedAt) throw new CustomerError('not_found');
		if (m.deletedAt) {
			if (m.mergedInto !== survivorId) throw new CustomerError('not_found');
			return false;
		}
		await tx
			.update(customers)
			.set(mergeFields(s, m, locale))
			.where(eq(customers.id, survivorId));
		await tx
			.update(customers)
			.set({ deletedAt: sql`now()`, mergedInto: survivorId })
			.where(and(eq(customers.id, mergedId), ne(customers.id, survivorId)));
		return true;
	});
	repointed += await repointCards(rt, { orgId, fromId: mergedId, toId: survivorId, origin });
	return { merged: done, repointed };
}

/**
 * The contact log of a customer: every entry logged on their deals that the viewer may see,
 * newest contact first (the `deal_activities` projection of the deals' documents).
 */
export async function contactsOf(
	db: Tx,
	{
		orgId,
		customerId,
		viewer,
		limit = 200
	}: { orgId: string; customerId: string; viewer: Viewer; limit?: number }
): Promise<Contact[]> {
	const author = aliasedTable(users, 'author');
	const rows = await db
		.select({
			id: dealActivities.id,
			dealId: dealActivities.dealId,
			pipelineId: deals.pipelineId,
			dealTitle: deals.title,
			kind: dealActivities.kind,
			at: dealActivities.at,
			summary: dealActivities.summary,
			needs: dealActivities.needs,
			nextStep: dealActivities.nextStep,
			createdByName: author.name
		})
		.from(dealActivities)
		.innerJoin(deals, eq(deals.id, dealActivities.dealId))
		.leftJoin(author, eq(author.id, dealActivities.createdBy))
		.where(
			and(
				eq(dealActivities.orgId, orgId),
				eq(deals.customerId, customerId),
				visibleDeals({ orgId, userId: viewer.userId, role: viewer.role })
			)
		)
		.orderBy(desc(dealActivities.at))
		.limit(limit);
	return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
