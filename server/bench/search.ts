import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { fold, parseQuery } from '$lib/search/fold';
import { createDb, type Db } from '$lib/server/db';
import { visibleDeals } from '$lib/server/deals/visibility';
import { freePort } from '$lib/server/net';
import { findCustomers, findDeals, searchTypos, tsWords } from '$lib/server/search/search.repo';
import { createPipeline, createTeam } from './board-setup';
import { percentile, progress, type Figure } from './figures';
import { spawnServer, stopServer, tempDir, waitFor200 } from './processes';
import { seedCustomers, seedDeals } from './search-data';

// The `search` area: the search SQL and endpoint over 1M customers + 1M deals of one
// organisation (CHOT_BENCH_SEARCH_ROWS to change the size), on the production build's embedded
// PostgreSQL in a fresh temp data dir. Queries are drawn from the seeded rows the way people type
// them: whole names without accents, surname + given name, a given name and a middle name, deal
// titles, phones in every format and any 4+ of their digits; the typo set swaps, drops or
// doubles a letter in one word of a name.
const ROWS = Number(process.env.CHOT_BENCH_SEARCH_ROWS ?? 1_000_000);
const QUERIES_PER_KIND = 25;
const CONNECTIONS = 50;
const LOAD_SECONDS = 10;
const LIMIT = 8;

type Report = (figure: Figure) => void;

export async function searchBench({ entry, report }: { entry: string; report: Report }) {
	const dataDir = tempDir('chot-bench-search-');
	const port = await freePort();
	const pgPort = await freePort();
	const env = { CHOT_PG_PORT: String(pgPort), CHOT_SEED_DEMO: 'false' };
	progress(`starting the server on a fresh data dir in ${dataDir}`);
	const server = spawnServer({ entry, port, dataDir, env });
	try {
		await waitFor200({ server, path: '/healthz', since: performance.now(), timeoutMs: 120_000 });
		const { db, client } = createDb({
			url: `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`,
			max: 4
		});
		let token: string;
		let orgId: string;
		let queries: Queries;
		try {
			const team = await createTeam(db, { name: 'Công ty TNHH Tìm Kiếm', managers: 1 });
			orgId = team.orgId;
			const manager = team.managers[0]!;
			token = manager.token;
			const pipelineIds: string[] = [];
			let position: string | null = null;
			for (const name of ['Bán hàng dự án', 'Bán lẻ']) {
				const p = await createPipeline(db, { orgId, createdBy: manager.id, name, position });
				pipelineIds.push(p.id);
				position = 'a0';
			}
			let started = performance.now();
			await seedCustomers(db, { orgId, count: ROWS });
			progress(`${ROWS} customers in ${Math.round(performance.now() - started)} ms`);
			started = performance.now();
			await seedDeals(db, {
				orgId,
				pipelineIds,
				ownerIds: [manager.id, team.owner.id],
				count: ROWS
			});
			progress(`${ROWS} deals in ${Math.round(performance.now() - started)} ms`);
			queries = await sampleQueries(db, orgId);

			const visible = visibleDeals({ orgId, userId: manager.id, role: 'manager' });
			// Two passes; the second is measured (the first brings the indexes into memory).
			for (const measured of [false, true]) {
				const substring: number[] = [];
				for (const q of queries.plain) {
					const query = parseQuery(q);
					const input = {
						orgId,
						texts: [query.text],
						digits: query.digits,
						words: tsWords(query.words),
						limit: LIMIT
					};
					let t = performance.now();
					await findCustomers(db, input);
					substring.push(performance.now() - t);
					t = performance.now();
					await findDeals(db, { ...input, visible });
					substring.push(performance.now() - t);
				}
				const fuzzy: number[] = [];
				let corrected = 0;
				for (const q of queries.typos) {
					const words = tsWords(parseQuery(q).words);
					const t = performance.now();
					const r = await searchTypos(db, { orgId, visible, words, limit: LIMIT });
					fuzzy.push(performance.now() - t);
					if (r.corrected) corrected += 1;
				}
				if (!measured) continue;
				report({
					metric: 'search.sql_substring_p95_ms',
					value: percentile(substring, 95),
					unit: 'ms',
					target: '<=3',
					note:
						`${substring.length} statements (customers and deals, tiers 1–2) for ${queries.plain.length} queries ` +
						`(names, name words, titles, phones in 4 formats and 4–6 digit fragments) over ${ROWS} customers + ${ROWS} deals, ` +
						`one at a time; p50 ${percentile(substring, 50).toFixed(2)} ms, max ${Math.max(...substring).toFixed(1)} ms`
				});
				report({
					metric: 'search.sql_fuzzy_p95_ms',
					value: percentile(fuzzy, 95),
					unit: 'ms',
					target: '<=20',
					note:
						`tier 3 (dictionary correction + the corrected customers and deals statements) for ${queries.typos.length} ` +
						`mistyped names, ${corrected} corrected to something found; p50 ${percentile(fuzzy, 50).toFixed(2)} ms`
				});
			}
		} finally {
			await client.end({ timeout: 5 });
		}
		report(await apiLatency({ origin: server.origin, orgId, token, queries }));
	} finally {
		await stopServer(server);
	}
}

type Queries = { plain: string[]; typos: string[] };

/** Queries drawn from the data (so most find something), in the forms people type. */
async function sampleQueries(db: Db, orgId: string): Promise<Queries> {
	const rows = (await db.execute<{ name: string; phone: string; title: string }>(sql`
		select c.name, c.phones[1] as phone, d.title
		from (select *, row_number() over () as n from (select name, phones from customers
				where org_id = ${orgId} order by random() limit ${QUERIES_PER_KIND}) as x) as c
			join (select *, row_number() over () as n from (select title from deals
				where org_id = ${orgId} order by random() limit ${QUERIES_PER_KIND}) as y) as d
			using (n)`)) as {
		name: string;
		phone: string;
		title: string;
	}[];
	if (rows.length === 0) throw new Error('no rows to draw queries from');
	const plain: string[] = [];
	const typos: string[] = [];
	rows.forEach((r, i) => {
		const words = fold(r.name).split(' ');
		const national = '0' + r.phone.slice(3);
		plain.push(
			fold(r.name),
			`${words[0]} ${words.at(-1)}`,
			words.slice(1).join(' '),
			fold(r.title).split(' ').slice(0, 3).join(' '),
			[
				national,
				`+84 ${national.slice(1, 4)} ${national.slice(4, 7)} ${national.slice(7)}`,
				national.slice(1),
				national.slice(4)
			][i % 4]!,
			national.slice(3 + (i % 3), 7 + (i % 3) + (i % 3))
		);
		typos.push(typo(words, i));
	});
	return { plain, typos };
}

/** One word of a name with one typo: two letters swapped, one dropped, or one doubled. */
function typo(words: string[], i: number) {
	const k = words.findIndex((w) => w.length >= 3);
	const w = words[k] ?? words[0]!;
	const at = 1 + (i % Math.max(1, w.length - 2));
	const changed =
		i % 3 === 0
			? w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2)
			: i % 3 === 1
				? w.slice(0, at) + w.slice(at + 1)
				: w.slice(0, at) + w[at] + w.slice(at);
	return words.map((x, j) => (j === Math.max(0, k) ? changed : x)).join(' ');
}

async function apiLatency({
	origin,
	orgId,
	token,
	queries
}: {
	origin: string;
	orgId: string;
	token: string;
	queries: Queries;
}): Promise<Figure> {
	const all = [...queries.plain, ...queries.typos];
	const requests = all.map((q) => ({ path: `/o/${orgId}/search?q=${encodeURIComponent(q)}` }));
	const headers = { cookie: `__Host-chot_session=${token}; chot_session=${token}` };
	progress('warming up GET /search');
	await autocannon({ url: origin, requests, headers, connections: 10, duration: 3 });
	progress(`GET /search, ${CONNECTIONS} connections, ${LOAD_SECONDS} s`);
	const samples: number[] = [];
	const run = autocannon({
		url: origin,
		requests,
		headers,
		connections: CONNECTIONS,
		duration: LOAD_SECONDS,
		timeout: 10
	});
	run.on('response', (_client, status, _bytes, ms) => {
		if (status === 200) samples.push(ms);
	});
	const result = await run;
	const bad = result.non2xx + result.errors + result.timeouts;
	return {
		metric: 'search.api_p95_ms',
		value: samples.length ? percentile(samples, 95) : null,
		unit: 'ms',
		target: '<=30',
		note:
			`GET /o/<org>/search as a manager, ${all.length} queries in turn (the SQL sets above), ${CONNECTIONS} connections ` +
			`for ${LOAD_SECONDS} s after a 3 s warm-up, ${ROWS} customers + ${ROWS} deals; p95 of ${samples.length} responses ` +
			`(p50 ${percentile(samples, 50)} ms, ${Math.round(result.requests.average)} req/s); load generator on the same 2 cores` +
			(bad ? `; ${bad} non-2xx/errors/timeouts` : '')
	};
}
