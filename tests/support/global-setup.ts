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

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject) {
	let url = process.env.DATABASE_URL;
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
	project.provide('databaseUrl', url);
}

export async function teardown() {
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
