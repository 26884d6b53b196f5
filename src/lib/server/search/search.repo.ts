import { sql, type SQL } from 'drizzle-orm';
import { parseQuery, typoBudget } from '$lib/search/fold';
import type { CustomerHit, DealHit, SearchResults } from '$lib/search/types';
import type { Tx } from '../db';
import { customers, deals, pipelines, searchWords, type Role } from '../db/schema';
import { visibleDeals } from '../deals/visibility';

// One box over customers and deals (issue 4, item 7). Three tiers; each runs only when the
// ones before found fewer than `limit`, so a usual query costs a few btree range scans that stop
// at the limit, however many Nguyễns there are, and only a rare or mistyped one pays for more:
//   1. starts: the query starts the folded name, or its 2nd, 3rd or 4th word, or "surname +
//      given name" (`nguyen an` → Nguyễn Văn An); a deal's title from its 1st–3rd word; the
//      deals of the customers found so; a phone holding the query's digits (any 4+ of them);
//   2. words: every query word starts some word, in any order (full-text prefix query, GIN);
//      deals also by the customer name and phone written on the card (no customer record yet);
//   3. typos: each word that is no known word is replaced by the nearest words of the
//      organisation's dictionary (search_words: `vna` → `van`), and tier 1 runs with them.
// SQL functions and indexes: drizzle/0009_search.sql, 0013_search_triggers.sql. Customers are
// visible to every member; deals only as visibleDeals allows (the boards' rule), in every tier.

export type { CustomerHit, DealHit, SearchResults };

/** Rows tier 2 reads before ranking: a bound on work for words that match half the table. */
const CANDIDATES = 200;
/** Customers whose deals tier 1 looks up. */
const CUSTOMERS_FOR_DEALS = 50;
/** Dictionary words tried for one mistyped word, and corrected queries tried. */
const ALTERNATIVES = 3;

export async function search(
	db: Tx,
	{
		orgId,
		userId,
		role,
		q,
		limit = 8
	}: { orgId: string; userId: string; role: Role; q: string; limit?: number }
): Promise<SearchResults> {
	const query = parseQuery(q);
	const visible = visibleDeals({ orgId, userId, role });
	// One letter would start a word in most rows: it gets tier 1 only.
	const words = query.text.length >= 2 ? tsWords(query.words) : [];
	const input = {
		orgId,
		texts: query.text ? [query.text] : [],
		digits: query.digits,
		words,
		limit
	};
	const [found, foundDeals] = await Promise.all([
		findCustomers(db, input),
		findDeals(db, { ...input, visible })
	]);
	if ((found.length < limit || foundDeals.length < limit) && words.length > 0 && !query.digits) {
		const more = await searchTypos(db, { orgId, visible, words, limit, found, foundDeals });
		return {
			customers: [...found, ...more.customers].slice(0, limit),
			deals: [...foundDeals, ...more.deals].slice(0, limit),
			corrected: more.corrected
		};
	}
	return { customers: found, deals: foundDeals, corrected: null };
}

/**
 * Tier 3: corrects the mistyped words, then runs tier 1 with the corrected queries for what was
 * not `found` already. Nothing (and no `corrected`) when no word needed correcting or nothing
 * more was found.
 */
export async function searchTypos(
	db: Tx,
	{
		orgId,
		visible,
		words,
		limit,
		found = [],
		foundDeals = []
	}: {
		orgId: string;
		visible: SQL;
		words: string[];
		limit: number;
		found?: CustomerHit[];
		foundDeals?: DealHit[];
	}
): Promise<SearchResults> {
	const none: SearchResults = { customers: [], deals: [], corrected: null };
	const fixed = await correct(db, { orgId, words });
	if (!fixed) return none;
	const input = { orgId, texts: fixed.texts, digits: null, words: [], limit };
	const [more, moreDeals] = await Promise.all([
		found.length < limit ? findCustomers(db, { ...input, exclude: found }) : [],
		foundDeals.length < limit ? findDeals(db, { ...input, visible, exclude: foundDeals }) : []
	]);
	if (more.length + moreDeals.length === 0) return none;
	return { customers: more, deals: moreDeals, corrected: fixed.texts[0]! };
}

/** Query words usable in a tsquery: [a-z0-9] only (what folded words are made of), no syntax. */
export function tsWords(words: string[]): string[] {
	return words.filter((w) => /^[a-z0-9]+$/.test(w));
}
const tsQuery = (words: string[]) => words.map((w) => `${w}:*`).join(' & ');

// A prefix range in byte order (the indexes collate "C"): every string starting with the
// prefix sorts below prefix || U+10FFFF.
const upper = (prefix: string) => sql`${prefix} || chr(1114111)`;

type Key = { expr: SQL; rank: number };
// Customers' keys, as indexed (0009_search.sql), best first.
const customerKeys: Key[] = [
	{ expr: sql`(public.chot_words_from(${customers.name}, 1) collate "C")`, rank: 0 },
	{ expr: sql`(public.chot_first_last(${customers.name}) collate "C")`, rank: 1 },
	{ expr: sql`(public.chot_words_from(${customers.name}, 2) collate "C")`, rank: 2 },
	{ expr: sql`(public.chot_words_from(${customers.name}, 3) collate "C")`, rank: 3 },
	{ expr: sql`(public.chot_words_from(${customers.name}, 4) collate "C")`, rank: 4 }
];
const dealKeys: Key[] = [
	{ expr: sql`(public.chot_words_from(${deals.title}, 1) collate "C")`, rank: 0 },
	{ expr: sql`(public.chot_words_from(${deals.title}, 2) collate "C")`, rank: 2 },
	{ expr: sql`(public.chot_words_from(${deals.title}, 3) collate "C")`, rank: 3 }
];

/**
 * Tier 1 as union branches `(id, r, key)`: one index range scan per query text and key, each
 * stopping at `limit`; a later text (a less likely correction) ranks after an earlier one.
 */
function startBranches({
	texts,
	keys,
	id,
	table,
	where,
	limit
}: {
	texts: string[];
	keys: Key[];
	id: SQL;
	table: SQL;
	where: SQL;
	limit: number;
}): SQL[] {
	return texts.flatMap((text, t) =>
		keys.map(
			({ expr, rank }) => sql`(select ${id} as id, ${rank + t * 10}::int as r, ${expr} as key
				from ${table} where ${where} and ${expr} >= ${text} and ${expr} < ${upper(text)}
				order by ${expr} limit ${limit})`
		)
	);
}

function customerStarts({
	orgId,
	texts,
	digits,
	limit
}: {
	orgId: string;
	texts: string[];
	digits: string | null;
	limit: number;
}): SQL[] {
	const where = sql`${customers.orgId} = ${orgId} and ${customers.deletedAt} is null`;
	const branches = startBranches({
		texts,
		keys: customerKeys,
		id: sql`${customers.id}`,
		table: sql`${customers}`,
		where,
		limit
	});
	if (digits) {
		branches.push(sql`(select ${customers.id} as id, 1 as r, ''::text collate "C" as key
			from ${customers}
			where ${where} and public.chot_phones_digits(${customers.phones}) like ${'%' + digits + '%'}
			limit ${limit})`);
	}
	return branches;
}

/**
 * Whether every query word starts some word of the organisation's dictionary: only then can
 * tier 2 find anything, and a mistyped word (left to tier 3) does not cost it a full-text scan.
 */
function allKnown(orgId: string, words: string[]): SQL {
	return sql`not exists (
		select 1 from unnest(${pgTexts(words)}) as q(w)
		where not exists (
			select 1 from ${searchWords} s
			where s.org_id = ${orgId} and s.word >= q.w and left(s.word, length(q.w)) = q.w))`;
}

type Find = {
	orgId: string;
	texts: string[];
	digits: string | null;
	words: string[];
	limit: number;
	exclude?: { id: string }[];
};

/** Tier 1, then tier 2 if tier 1 falls short, over customers. */
export async function findCustomers(
	db: Tx,
	{ orgId, texts, digits, words, limit, exclude = [] }: Find
): Promise<CustomerHit[]> {
	const starts = customerStarts({ orgId, texts, digits, limit });
	if (starts.length === 0) return [];
	const first = await db.execute<CustomerRow>(sql`
		select c.id, c.name, c.phones, c.company
		from (
			select distinct on (id) id, r, key
			from (${sql.join(starts, sql` union all `)}) as m
			where id <> all(${pgUuids(exclude.map((c) => c.id))})
			order by id, r, key
		) as f join ${customers} c on c.id = f.id
		order by f.r, f.key, c.name collate "C"
		limit ${limit}`);
	const hits = first.map((r) => customerHit(r, digits));
	// Names hold no digits worth a word search: a phone query is tier 1's.
	if (hits.length >= limit || words.length === 0 || digits) return hits;
	const skip = [...exclude, ...hits].map((c) => c.id);
	const tsv = sql`to_tsvector('simple'::regconfig, public.chot_fold(${customers.name}))`;
	const more = await db.execute<CustomerRow>(sql`
		select c.id, c.name, c.phones, c.company
		from (
			select ${customers.id} as id from ${customers}
			where ${customers.orgId} = ${orgId} and ${customers.deletedAt} is null
				and ${tsv} @@ to_tsquery('simple', ${tsQuery(words)})
				and ${customers.id} <> all(${pgUuids(skip)})
				and ${allKnown(orgId, words)}
			limit ${CANDIDATES}
		) as w join ${customers} c on c.id = w.id
		-- The shorter the name, the more of it the query matched.
		order by length(c.name), c.name collate "C"
		limit ${limit - hits.length}`);
	return [...hits, ...more.map((r) => customerHit(r, null))];
}

type CustomerRow = { id: string; name: string; phones: string[]; company: string | null };
const customerHit = (r: CustomerRow, digits: string | null): CustomerHit => ({
	id: r.id,
	name: r.name,
	phone: matchingPhone(r.phones, digits),
	company: r.company
});

type DealRow = {
	id: string;
	title: string;
	customer_name: string | null;
	customer_phone: string | null;
	amount: string | number;
	status: string;
	pipeline_id: string;
	pipeline_name: string;
};
const dealHit = (r: DealRow): DealHit => ({
	id: r.id,
	title: r.title,
	customerName: r.customer_name,
	customerPhone: r.customer_phone,
	amount: Number(r.amount),
	status: r.status,
	pipelineId: r.pipeline_id,
	pipelineName: r.pipeline_name
});

/** Tier 1, then tier 2 if tier 1 falls short, over the deals `visible` allows. */
export async function findDeals(
	db: Tx,
	{ orgId, visible, texts, digits, words, limit, exclude = [] }: Find & { visible: SQL }
): Promise<DealHit[]> {
	const starts = startBranches({
		texts,
		keys: dealKeys,
		id: sql`${deals.id}`,
		table: sql`${deals}`,
		where: visible,
		limit
	});
	const customerBranches = customerStarts({ orgId, texts, digits, limit: CUSTOMERS_FOR_DEALS });
	if (customerBranches.length > 0) {
		// The deals of the customers tier 1 finds: a deal is found by its customer's name or phone.
		starts.push(sql`(select ${deals.id} as id, 1 as r, ''::text collate "C" as key
			from ${deals}
			where ${visible} and ${deals.customerId} in (
				select id from (${sql.join(customerBranches, sql` union all `)}) as c
				limit ${CUSTOMERS_FOR_DEALS})
			order by ${deals.updatedAt} desc
			limit ${limit})`);
	}
	const columns = sql`d.id, d.title, d.customer_name, d.customer_phone, d.amount, d.status,
		d.pipeline_id, p.name as pipeline_name`;
	const first =
		starts.length === 0
			? []
			: await db.execute<DealRow>(sql`
				select ${columns}
				from (
					select distinct on (id) id, r, key
					from (${sql.join(starts, sql` union all `)}) as m
					where id <> all(${pgUuids(exclude.map((d) => d.id))})
					order by id, r, key
				) as f
					join ${deals} d on d.id = f.id
					join ${pipelines} p on p.id = d.pipeline_id
				order by f.r, f.key, d.updated_at desc
				limit ${limit}`);
	const hits = first.map(dealHit);
	// Tier 2 also reads the name and phone written on the card: a quick-add's customer is on the
	// card a moment before the server links it to a customer record.
	const tier2 = [
		words.length > 0
			? sql`(to_tsvector('simple'::regconfig, public.chot_deal_text(${deals.title}, ${deals.customerName}))
					@@ to_tsquery('simple', ${tsQuery(words)})
				and ${allKnown(orgId, words)})`
			: null,
		digits
			? sql`(${deals.customerPhone} is not null
				and public.chot_phone_digits(${deals.customerPhone}) like ${'%' + digits + '%'})`
			: null
	].filter((x): x is SQL => x !== null);
	if (hits.length >= limit || tier2.length === 0) return hits;
	const skip = [...exclude, ...hits].map((d) => d.id);
	const more = await db.execute<DealRow>(sql`
		select ${columns}
		from (
			select ${deals.id} as id from ${deals}
			where (${sql.join(tier2, sql` or `)}) and ${visible}
				and ${deals.id} <> all(${pgUuids(skip)})
			limit ${CANDIDATES}
		) as w
			join ${deals} d on d.id = w.id
			join ${pipelines} p on p.id = d.pipeline_id
		order by d.updated_at desc
		limit ${limit - hits.length}`);
	return [...hits, ...more.map(dealHit)];
}

/**
 * Typo correction against the organisation's dictionary: every word that is not a known word
 * (the last one: not the start of one, it may still be being typed) gets its nearest words —
 * within typoBudget edits, a swap of neighbours counting as one (`vna` → `van`), same length
 * and first letter preferred. Gives the corrected queries, most likely first; null when every
 * word is known (the other tiers said all there is) or a mistyped word has no near word.
 */
async function correct(
	db: Tx,
	{ orgId, words: list }: { orgId: string; words: string[] }
): Promise<{ texts: string[] } | null> {
	const budgets = list.map(typoBudget);
	const rows = await db.execute<{ i: number; known: boolean; alternatives: string[] }>(sql`
		select q.i::int as i, k.known,
			case when k.known then '{}'::text[] else array(
				select s.word from ${searchWords} s
				where s.org_id = ${orgId}
					and length(s.word) between length(q.w) - q.budget and length(q.w) + q.budget
					and (public.levenshtein_less_equal(s.word, q.w, q.budget) <= q.budget
						or s.word = any(sw.swaps))
				-- Nearest first; people seldom mistype a word's first letter, and fast typing drops
				-- letters more than it adds them ('trn' → 'tran' rather than 'tri').
				order by public.levenshtein(s.word, q.w) - (s.word = any(sw.swaps))::int,
					(left(s.word, 1) = left(q.w, 1)) desc,
					(s.word ~ sw.dropped) desc,
					(length(s.word) = length(q.w)) desc,
					s.word
				limit ${ALTERNATIVES}
			) end as alternatives
		from unnest(${pgTexts(list)}, ${pgInts(budgets)}) with ordinality as q(w, budget, i),
			-- Swaps of neighbouring letters, one edit each (levenshtein alone counts two).
			lateral (select array(
				select left(q.w, n - 1) || substr(q.w, n + 1, 1) || substr(q.w, n, 1) || substr(q.w, n + 2)
				from generate_series(1, length(q.w) - 1) as n) as swaps,
				-- The word with letters left out: 'trn' → ^t.*r.*n ([a-z0-9] only: no regex syntax).
				'^' || regexp_replace(q.w, '(.)', '\\1.*', 'g') as dropped) as sw,
			lateral (select exists (
				select 1 from ${searchWords} s
				where s.org_id = ${orgId}
					and (s.word = q.w
						-- The last word may still be being typed: the start of a known word is known.
						or (q.i = ${list.length} and s.word >= q.w and left(s.word, length(q.w)) = q.w))
			) as known) as k
		order by q.i`);
	let changed = false;
	const options: string[][] = [];
	for (const row of rows) {
		const word = list[row.i - 1]!;
		if (row.known) {
			options.push([word]);
		} else if (row.alternatives.length > 0) {
			options.push(row.alternatives);
			changed = true;
		} else {
			return null;
		}
	}
	if (!changed) return null;
	// Combinations, best first (the first alternative of every word), a few only.
	let texts = [''];
	for (const choices of options) {
		texts = texts.flatMap((t) => choices.map((c) => (t ? `${t} ${c}` : c))).slice(0, ALTERNATIVES);
	}
	return { texts };
}

// Arrays as one parameter each, written as array literals: drizzle expands a JS array into a
// list of parameters. Their items (uuids, [a-z0-9] words, integers) need no quoting.
const literal = (items: readonly (string | number)[]) => `{${items.join(',')}}`;
const pgUuids = (ids: readonly string[]) => sql`${literal(ids)}::uuid[]`;
const pgTexts = (items: string[]) => sql`${literal(items)}::text[]`;
const pgInts = (items: number[]) => sql`${literal(items)}::int[]`;

/** The phone to show: the one the digits matched, else the first. */
function matchingPhone(phones: string[], digits: string | null): string | null {
	if (digits) {
		const hit = phones.find((p) =>
			(p.startsWith('+84') ? '0' + p.slice(3) : p.replace(/\D/g, '')).includes(digits)
		);
		if (hit) return hit;
	}
	return phones[0] ?? null;
}
