import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb } from '../../src/lib/server/db';
import { TEMPLATE_DB, withDatabase } from './global-setup';
import { freePort } from '../../src/lib/server/net';

const ENTRY = path.resolve('build/server/index.js');

export type AppServer = Awaited<ReturnType<typeof startApp>>;

/**
 * Runs the production build (`node build/server/index.js`) on a free port against a fresh copy
 * of the migrated test database. `npm test` builds first; run `npm run build` before running
 * a single HTTP spec by hand.
 */
export async function startApp({
	env = {},
	databaseUrl: sharedUrl,
	entry = ENTRY
}: {
	env?: Record<string, string>;
	/** Run against another instance's database (several instances, one PostgreSQL). */
	databaseUrl?: string;
	/** Another build's server entry (e.g. a deliberately broken copy, to prove a test can fail). */
	entry?: string;
} = {}) {
	if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
	const serverUrl = inject('databaseUrl');
	const dbName = `chot_app_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	if (!sharedUrl) await admin.unsafe(`create database ${dbName} template ${TEMPLATE_DB}`);
	const databaseUrl = sharedUrl ?? withDatabase(serverUrl, dbName);
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chot-app-'));
	const logs: string[] = [];

	let child: ChildProcess;
	function launch() {
		child = spawn(process.execPath, [entry], {
			env: {
				...process.env,
				NODE_ENV: 'production',
				PORT: String(port),
				HOST: '127.0.0.1',
				ORIGIN: origin,
				DATABASE_URL: databaseUrl,
				CHOT_DATA_DIR: dataDir,
				CHOT_SEED_DEMO: 'false',
				LOG_LEVEL: 'warn',
				RESEND_API_KEY: '',
				...env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout!.on('data', (d) => logs.push(String(d)));
		child.stderr!.on('data', (d) => logs.push(String(d)));
		return waitHealthy();
	}

	async function waitHealthy(timeoutMs = 30_000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null)
				throw new Error(`server exited early:\n${logs.join('')}`);
			try {
				const r = await fetch(`${origin}/healthz`);
				if (r.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`server not healthy in ${timeoutMs} ms:\n${logs.join('')}`);
	}

	await launch();
	const { db, client } = createDb({ url: databaseUrl, max: 3 });

	async function kill(signal: NodeJS.Signals = 'SIGTERM') {
		// A child killed by a signal has signalCode set and exitCode null.
		if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
		const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
		child.kill(signal);
		return exited;
	}

	return {
		origin,
		port,
		db,
		dataDir,
		databaseUrl,
		logs,
		/** fetch relative to the app, with a same-origin Origin header unless one is given. */
		fetch: (p: string, init: RequestInit = {}) => {
			const headers = new Headers(init.headers);
			if (!headers.has('origin') && init.method && init.method !== 'GET')
				headers.set('origin', origin);
			return fetch(origin + p, { redirect: 'manual', ...init, headers });
		},
		kill,
		/** Stops the process (SIGTERM, or SIGKILL to simulate a crash) and starts it again. */
		restart: async (signal: NodeJS.Signals = 'SIGTERM') => {
			await kill(signal);
			await launch();
		},
		stop: async () => {
			await kill();
			await client.end({ timeout: 5 });
			if (!sharedUrl) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
			await admin.end();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
