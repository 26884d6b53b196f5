import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emails } from '../../../src/lib/server/db/schema';
import * as mail from '../../../src/lib/server/mail/mail';
import * as sendMailJob from '../../../server/workers/jobs/send-mail.job';
import { startApp, type AppServer } from '../../support/app-server';
import { startFakeResend, type FakeResend } from '../../support/fake-resend';

// The whole pipeline in the production build: a row inserted with mail.send, a pg-boss job, the
// app's worker, the official SDK, and the local fake Resend over real HTTP.
// Needs `npx vite build && node scripts/build-server.js` first.

let fake: FakeResend;
let app: AppServer;
let boss: PgBoss;

beforeAll(async () => {
	fake = await startFakeResend();
	app = await startApp({ env: { RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url } });
	boss = new PgBoss({
		connectionString: app.databaseUrl,
		schema: 'pgboss',
		max: 2,
		supervise: false,
		schedule: false,
		migrate: false
	});
	await boss.start();
	// Retry at once instead of after 10 s+ of backoff; everything else as in production.
	await boss.updateQueue(sendMailJob.name, {
		name: sendMailJob.name,
		...sendMailJob.queueOptions,
		retryDelay: 0,
		retryBackoff: false
	});
});

afterAll(async () => {
	await boss?.stop({ graceful: false, wait: true });
	await app?.stop();
	await fake?.close();
});

beforeEach(() => {
	fake.reset();
	fake.setLatency(0);
});

function send(to = `khach-${Math.random().toString(36).slice(2)}@example.vn`) {
	return mail.send(
		{ db: app.db, boss },
		{
			to,
			template: 'resetPassword',
			locale: 'vi',
			params: { name: 'Trần Minh', url: `${app.origin}/reset?token=abc` }
		}
	);
}

async function row(id: string) {
	const [r] = await app.db.select().from(emails).where(eq(emails.id, id));
	return r!;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const v = await read();
		if (ok(v) || Date.now() > deadline) return v;
		await new Promise((r) => setTimeout(r, 100));
	}
}

async function jobsFor(emailId: string) {
	const rows = await app.db.execute<{ state: string; retry_count: number }>(
		`select state, retry_count from pgboss.job where name = 'send-mail' and data->>'emailId' = '${emailId}'`
	);
	return [...rows];
}

describe('mail pipeline (running app, fake Resend)', () => {
	it('delivers a queued email once, with its idempotency key, and marks it sent', async () => {
		const id = await send('lan@example.vn');
		const r = await until(
			() => row(id),
			(r) => r.status !== 'queued'
		);
		expect(r).toMatchObject({ status: 'sent', attempts: 1, error: null });
		expect(fake.requests).toHaveLength(1);
		expect(fake.requests[0]!.headers['idempotency-key']).toBe(r.idempotencyKey);
		expect(fake.deliveries).toEqual([
			expect.objectContaining({
				id: r.providerId,
				to: ['lan@example.vn'],
				subject: 'Đặt lại mật khẩu Chốt',
				text: r.text,
				html: r.html
			})
		]);
	});

	it('retries after two 500s and delivers exactly once', async () => {
		fake.failNext(2, 500);
		const id = await send();
		const r = await until(
			() => row(id),
			(r) => r.status !== 'queued'
		);
		expect(r).toMatchObject({ status: 'sent', attempts: 3, error: null });
		expect(fake.requests.map((q) => q.status)).toEqual([500, 500, 200]);
		expect(new Set(fake.requests.map((q) => q.headers['idempotency-key']))).toEqual(
			new Set([r.idempotencyKey])
		);
		expect(fake.deliveries).toHaveLength(1);
		const jobs = await until(
			() => jobsFor(id),
			(j) => j[0]?.state === 'completed'
		);
		expect(jobs).toEqual([{ state: 'completed', retry_count: 2 }]);
	});

	it('delivers once when the same email is dispatched twice at the same moment', async () => {
		// Slow enough that both jobs are in flight together (same worker batch).
		fake.setLatency(400);
		const id = await mail.queue(app.db, {
			to: 'hai-lan@example.vn',
			template: 'verifyEmail',
			locale: 'en',
			params: { name: 'Hai', url: `${app.origin}/verify?token=x` }
		});
		await Promise.all([mail.dispatch(boss, id), mail.dispatch(boss, id)]);
		await until(
			() => row(id),
			(r) => r.status === 'sent'
		);
		const jobs = await until(
			() => jobsFor(id),
			(j) => j.length === 2 && j.every((x) => x.state === 'completed')
		);
		expect(jobs.map((j) => j.state)).toEqual(['completed', 'completed']);
		// Usually both reach Resend: the second is refused as in flight (409) and its retry finds the
		// row sent; if the worker picked them up one after the other, the row check stops the second.
		expect(fake.requests.every((q) => q.status === 200 || q.status === 409)).toBe(true);
		expect(fake.deliveries).toHaveLength(1);
		expect((await row(id)).status).toBe('sent');
	});

	it('does not call Resend again when a job for an already sent email runs', async () => {
		const id = await send();
		await until(
			() => row(id),
			(r) => r.status === 'sent'
		);
		await mail.dispatch(boss, id);
		await until(
			() => jobsFor(id),
			(j) => j.length === 2 && j.every((x) => x.state === 'completed')
		);
		expect(fake.requests).toHaveLength(1);
		expect((await row(id)).attempts).toBe(1);
	});

	it('marks a message Resend refuses as failed with the reason, without retrying', async () => {
		fake.failNext(1, 422);
		const id = await send();
		const r = await until(
			() => row(id),
			(r) => r.status !== 'queued'
		);
		expect(r).toMatchObject({ status: 'failed', attempts: 1 });
		expect(r.error).toContain('validation_error');
		await new Promise((res) => setTimeout(res, 1200)); // two polling rounds: no retry comes
		expect(fake.requests).toHaveLength(1);
	});
});

describe('mail pipeline without RESEND_API_KEY', () => {
	it('keeps the message in the outbox and sends nothing', async () => {
		const local = await startApp({ env: { RESEND_BASE_URL: fake.url } });
		const localBoss = new PgBoss({
			connectionString: local.databaseUrl,
			schema: 'pgboss',
			max: 1,
			supervise: false,
			schedule: false,
			migrate: false
		});
		try {
			await localBoss.start();
			const id = await mail.send(
				{ db: local.db, boss: localBoss },
				{
					to: 'noi-bo@example.vn',
					template: 'verifyEmail',
					locale: 'vi',
					params: { name: 'Nội Bộ', url: `${local.origin}/verify?token=1` }
				}
			);
			const [r] = await until(
				() => local.db.select().from(emails).where(eq(emails.id, id)),
				([r]) => r?.status !== 'queued'
			);
			expect(r).toMatchObject({ status: 'outbox', attempts: 1 });
			expect(fake.requests).toHaveLength(0);
		} finally {
			await localBoss.stop({ graceful: false, wait: true });
			await local.stop();
		}
	});
});
