import type postgres from 'postgres';
import { createDb, type Db } from '$lib/server/db';
import { freePort } from '$lib/server/net';
import type { ReceivableFilters } from '$lib/receivables/filters';
import { report as receivablesReport } from '$lib/server/receivables/receivables.repo';
import { reconcileReceivables } from '$lib/server/receivables/refresh';
import { percentile, progress, type Figure } from './figures';
import { seedMoneyData, type MoneyData } from './money-data';
import { spawnServer, stopServer, tempDir, waitFor200 } from './processes';

// The `receivables` area: the receivables report (issue 5) over 100,000 deals (~40 % won) and
// 300,000 payments of one organisation, on the production build's embedded PostgreSQL in a fresh
// temp data dir. Measured is the repo function exactly as the page calls it: the default grouping
// (by deal), first page, sorted by amount owed, with the totals of every bucket; as a manager
// (the whole organisation) and with an owner filter. Today's report reads the read model
// `deal_receivables`; the bench fills it with the reconcile after loading.
const RUNS = 200;
const WARMUP = 20;

type Report = (figure: Figure) => void;

export async function receivablesBench({ entry, report }: { entry: string; report: Report }) {
	const dataDir = tempDir('chot-bench-receivables-');
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
		try {
			for (const figure of await measureReceivables(db, client)) report(figure);
		} finally {
			await client.end({ timeout: 5 });
		}
	} finally {
		await stopServer(server);
	}
}

/** Seeds the money data set into `db` and times the report; the figures, unprinted. */
export async function measureReceivables(db: Db, client: postgres.Sql): Promise<Figure[]> {
	const started = performance.now();
	const data = await seedMoneyData(client);
	const loadMs = performance.now() - started;
	progress(`money data (${JSON.stringify(data.counts)}) in ${Math.round(loadMs)} ms`);
	// The data was written straight into the tables: the read model is filled the way it is for
	// any data that did not come through the app (the hourly reconcile).
	const reconciling = performance.now();
	const { refreshed } = await reconcileReceivables(db, { orgId: data.orgId });
	const reconcileMs = performance.now() - reconciling;

	const filters: ReceivableFilters = {
		group: 'deal',
		ownerId: null,
		pipelineId: null,
		q: '',
		overdueOnly: false,
		asOf: null,
		sort: 'total',
		page: 1
	};
	const viewer = { orgId: data.orgId, userId: data.managerId, role: 'manager' as const };
	const all = await time(db, data, { viewer, filters });
	const owner = await time(db, data, {
		viewer,
		filters: { ...filters, ownerId: data.userIds[0]! }
	});
	const size = `${data.counts.deals} deals (${data.counts.won} won, ${data.counts.instalments} instalments) and ${data.counts.payments} payments (${data.counts.voids} voided), data loaded in ${Math.round(loadMs / 1000)} s, read model of ${refreshed} won deals filled in ${Math.round(reconcileMs / 1000)} s`;
	return [
		{
			metric: 'money.receivables_p95_ms',
			value: percentile(all.samples, 95),
			unit: 'ms',
			target: '<=100',
			note:
				`receivables.repo report() as the page calls it, today's report reading deal_receivables (R14) (by deal, first page of 50, sorted by amount owed, ` +
				`bucket totals of all ${all.rows} rows) as a manager, ${RUNS} runs after ${WARMUP} warm-up, one at a time, over ${size}; ` +
				`p50 ${percentile(all.samples, 50).toFixed(1)} ms`
		},
		{
			metric: 'money.receivables_owner_p95_ms',
			value: percentile(owner.samples, 95),
			unit: 'ms',
			target: '<=100',
			note: `the same filtered to one of ${data.userIds.length} reps (${owner.rows} rows); p50 ${percentile(owner.samples, 50).toFixed(1)} ms`
		}
	];
}

async function time(
	db: Db,
	data: MoneyData,
	opts: Pick<Parameters<typeof receivablesReport>[1], 'viewer' | 'filters'>
) {
	const samples: number[] = [];
	let rows = 0;
	for (let i = 0; i < WARMUP + RUNS; i++) {
		const t = performance.now();
		const r = await receivablesReport(db, { ...opts, timeZone: data.timeZone });
		if (i >= WARMUP) samples.push(performance.now() - t);
		rows = r.summary.rows;
	}
	return { samples, rows };
}
