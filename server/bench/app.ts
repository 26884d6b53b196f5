import autocannon from 'autocannon';
import { median, percentile, progress, type Figure } from './figures';
import { freePort } from '$lib/server/net';
import { spawnServer, stopServer, tempDir, waitFor200 } from './processes';

// The `app` area: boot time, login page latency under load, idle memory of one process.
// Each figure comes from the production build (build/server/index.js) on an embedded PostgreSQL
// in a fresh temp data dir, exactly what `npm start` runs.
const BOOTS = 5;
const IDLE_MS = 10_000;
const LOAD_SECONDS = 10;
const CONNECTIONS = 50;

export async function appBench({
	entry,
	report
}: {
	entry: string;
	report: (figure: Figure) => void;
}) {
	const dataDir = tempDir('chot-bench-app-');
	const port = await freePort();

	// First start initialises the data dir (initdb, migrations, demo seed): not what is measured.
	progress(`initialising a data dir in ${dataDir}`);
	const init = spawnServer({ entry, port, dataDir });
	const initMs = await waitFor200({ server: init, path: '/healthz', since: performance.now() });
	await stopServer(init);
	progress(`first start (initdb + migrations + seed) took ${Math.round(initMs)} ms`);

	const boots: number[] = [];
	let last;
	for (let i = 0; i < BOOTS; i++) {
		const since = performance.now();
		const server = spawnServer({ entry, port, dataDir });
		boots.push(await waitFor200({ server, path: '/healthz', since }));
		progress(`boot ${i + 1}/${BOOTS}: ${Math.round(boots[i]!)} ms`);
		if (i < BOOTS - 1) await stopServer(server);
		else last = server;
	}
	const server = last!;
	report({
		metric: 'app.boot_healthz_ms',
		value: median(boots),
		unit: 'ms',
		target: '<=3000',
		note: `median of ${BOOTS} starts of node build/server/index.js on an existing embedded data dir, spawn until /healthz 200; runs ${boots.map((b) => Math.round(b)).join(', ')} ms`
	});

	try {
		progress(`idle for ${IDLE_MS / 1000} s`);
		await new Promise((r) => setTimeout(r, IDLE_MS));
		const metrics = (await (await fetch(`${server.origin}/metrics`)).json()) as {
			rssBytes: number;
			heapUsedBytes: number;
		};
		report({
			metric: 'app.idle_rss_mb',
			value: metrics.rssBytes / 1024 / 1024,
			unit: 'MB',
			target: '<=200',
			note: `rssBytes from /metrics ${IDLE_MS / 1000} s after boot (heap used ${Math.round(metrics.heapUsedBytes / 1024 / 1024)} MB); the embedded PostgreSQL is a separate process, not counted`
		});

		report(await loginLatency(server.origin));
	} finally {
		await stopServer(server);
	}
}

async function loginLatency(origin: string): Promise<Figure> {
	const url = `${origin}/login`;
	progress('warming up GET /login');
	await autocannon({ url, connections: 10, duration: 3 });
	// One connection shows the cost of one render with no queueing; under 50 connections the
	// difference is time spent waiting for a CPU.
	const alone = await autocannon({ url, connections: 1, duration: 3 });

	progress(`GET /login, ${CONNECTIONS} connections, ${LOAD_SECONDS} s`);
	const samples: number[] = [];
	const run = autocannon({ url, connections: CONNECTIONS, duration: LOAD_SECONDS, timeout: 10 });
	// Every response's latency, so p95 is exact rather than read off autocannon's p90/p97.5.
	run.on('response', (_client, status, _bytes, ms) => {
		if (status === 200) samples.push(ms);
	});
	const result = await run;
	const p95 = percentile(samples, 95);
	const bad = result.non2xx + result.errors + result.timeouts;
	return {
		metric: 'app.login_p95_ms',
		value: samples.length ? p95 : null,
		unit: 'ms',
		target: '<=50',
		note:
			`GET /login (server-rendered, logged out), ${CONNECTIONS} connections for ${LOAD_SECONDS} s after a 3 s warm-up, ` +
			`p95 of ${samples.length} responses (autocannon p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms, ` +
			`${Math.round(result.requests.average)} req/s); alone on 1 connection p50 ${alone.latency.p50} ms, ` +
			`${Math.round(alone.requests.average)} req/s; load generator on the same 2 cores` +
			(bad ? `; ${bad} non-2xx/errors/timeouts` : '')
	};
}
