import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { progress } from './figures';

// Everything a bench starts is registered here and torn down by `cleanup()`, which the entry
// calls on success, on failure and on Ctrl-C: servers get SIGTERM (then SIGKILL), an embedded
// PostgreSQL left behind by a killed server is shut down from its postmaster.pid, and temp data
// dirs are removed.
const servers = new Set<Server>();
const tempDirs = new Set<string>();

export function tempDir(prefix: string) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

export type Server = { child: ChildProcess; origin: string; logs: string[]; dataDir: string };

/** Spawns `node <entry>` (the production server) with the given environment. */
export function spawnServer({
	entry,
	port,
	dataDir,
	env = {}
}: {
	entry: string;
	port: number;
	dataDir: string;
	env?: Record<string, string>;
}): Server {
	const origin = `http://127.0.0.1:${port}`;
	// Extra node flags for the servers only, to profile them under load (NODE_OPTIONS refuses
	// some, e.g. CHOT_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof").
	const nodeArgs = (process.env.CHOT_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(process.execPath, [...nodeArgs, entry], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			CHOT_DATA_DIR: dataDir,
			CHOT_PG_PORT: '0',
			// Always the embedded PostgreSQL in the temp dir, whatever the caller's shell has.
			DATABASE_URL: '',
			RESEND_API_KEY: '',
			LOG_LEVEL: 'warn',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const logs: string[] = [];
	child.stdout!.on('data', (d) => logs.push(String(d)));
	child.stderr!.on('data', (d) => logs.push(String(d)));
	const server = { child, origin, logs, dataDir };
	servers.add(server);
	child.once('exit', () => servers.delete(server));
	return server;
}

/** Polls `url` until it answers 200; resolves with the time it took from `since`. */
export async function waitFor200({
	server,
	path: p,
	since,
	timeoutMs = 60_000,
	intervalMs = 10
}: {
	server: Server;
	path: string;
	since: number;
	timeoutMs?: number;
	intervalMs?: number;
}) {
	const deadline = since + timeoutMs;
	while (performance.now() < deadline) {
		if (server.child.exitCode !== null)
			throw new Error(`server exited early:\n${server.logs.join('').slice(-2000)}`);
		try {
			const r = await fetch(server.origin + p, { signal: AbortSignal.timeout(2000) });
			await r.arrayBuffer();
			if (r.status === 200) return performance.now() - since;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
	throw new Error(`no 200 from ${p} in ${timeoutMs} ms:\n${server.logs.join('').slice(-2000)}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; then makes sure its embedded PostgreSQL is down. */
export async function stopServer(server: Server, graceMs = 15_000) {
	const { child } = server;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise<void>((r) => child.once('exit', () => r()));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}
	await stopOrphanPostgres(server.dataDir);
}

async function stopOrphanPostgres(dataDir: string) {
	const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
	if (!fs.existsSync(pidFile)) return;
	const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
	progress(`stopping PostgreSQL ${pid} left by a stopped server`);
	process.kill(pid, 'SIGINT'); // fast shutdown
	for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
	if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function alive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export async function cleanup() {
	for (const server of [...servers]) await stopServer(server).catch(() => {});
	for (const dir of tempDirs) {
		await stopOrphanPostgres(dir).catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
	}
	tempDirs.clear();
}
