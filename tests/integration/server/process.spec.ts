import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../support/app-server';

// DATABASE_URL empty: the app starts its own PostgreSQL in the harness's temp data dir.
const app = await startApp({
	env: { DATABASE_URL: '', CHOT_PG_PORT: '0', CHOT_SEED_DEMO: 'true', LOG_LEVEL: 'info' }
});
afterAll(() => app.stop());

describe('one process on the embedded PostgreSQL', () => {
	it('reports database, jobs and collab at /healthz', async () => {
		const res = await app.fetch('/healthz');
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const body = await res.json();
		expect(body).toMatchObject({
			ok: true,
			checks: { database: true, jobs: true, collab: { connections: 0 } }
		});
	});

	it('seeds the demo organisation into an empty embedded database and logs in with it', async () => {
		const page = await app.fetch('/login');
		expect(page.status).toBe(200);
		expect(app.logs.join('')).toContain('lan@demo.chot.vn');
	});

	it('gives every response a request id, echoing a sane one it was sent', async () => {
		const own = await app.fetch('/login', { headers: { 'x-request-id': 'req-abc-123' } });
		expect(own.headers.get('x-request-id')).toBe('req-abc-123');
		const fresh = await app.fetch('/login');
		expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('survives a SIGKILL: the next start stops the orphan PostgreSQL and serves again', async () => {
		await app.kill('SIGKILL');
		await app.restart();
		expect((await app.fetch('/healthz')).status).toBe(200);
	});

	it('stops cleanly on SIGINT and on SIGTERM, closing its PostgreSQL', async () => {
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			app.logs.length = 0;
			const code = await app.kill(signal);
			expect(code).toBe(0);
			expect(app.logs.join('')).toContain(`"signal":"${signal}","msg":"shutting down"`);
			expect(app.logs.join('')).toContain('"msg":"stopped"');
			// The embedded server removes postmaster.pid when it shuts down.
			expect(fs.existsSync(`${app.dataDir}/pg/postmaster.pid`)).toBe(false);
			await app.restart();
		}
	});
});
