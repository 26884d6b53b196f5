import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { runMigrations } from '../../src/lib/server/db/migrate';

// One PostgreSQL for the whole run (DATABASE_URL if set, else an embedded server in a temp dir),
// one migrated template database; each test file clones the template (tests/support/db.ts), so
// files run in parallel without seeing each other's rows.
export const TEMPLATE_DB = 'chot_test_template';

// Vitest calls setup once for the root and once for each project (vitest.config.ts), in one
// process: the first call starts the server and builds the template, the others share it, and
// the last teardown stops it.
type Shared = { ready: Promise<{ url: string; embedded?: EmbeddedPostgres; dataDir?: string }> };
const key = Symbol.for('chot.test.postgres');
const store = globalThis as { [key]?: Shared & { users: number } };

export async function setup(project: TestProject) {
	store[key] ??= { ready: start(), users: 0 };
	store[key].users += 1;
	project.provide('databaseUrl', (await store[key].ready).url);
}

async function start() {
	let url = process.env.DATABASE_URL;
	let embedded: EmbeddedPostgres | undefined;
	let dataDir: string | undefined;
	if (!url) {
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chot-test-pg-'));
		embedded = await startEmbeddedPostgres({ dataDir });
		url = embedded.url;
	}
	const admin = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
		await admin.unsafe(`create database ${TEMPLATE_DB}`);
	} finally {
		await admin.end();
	}
	await runMigrations({ url: withDatabase(url, TEMPLATE_DB) });
	return { url, embedded, dataDir };
}

export async function teardown() {
	const shared = store[key];
	if (!shared || --shared.users > 0) return;
	delete store[key];
	const { embedded, dataDir } = await shared.ready;
	await embedded?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string) {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}
