import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testDb } from '../../../../tests/support/db';
import { startFakeResend } from '../../../../tests/support/fake-resend';
import { readConfig } from '../config';
import { emails } from '../db/schema';
import { createLogger } from '../log';
import { deliver, isTransient, TransientMailError } from './deliver';
import * as mail from './mail';

// The job body against a real database and the local fake Resend (real HTTP, real SDK).
const { db } = await testDb();
const fake = await startFakeResend();
afterAll(() => fake.close());

const log = createLogger({ level: 'silent' });
function deps(env: Record<string, string> = {}) {
	const config = readConfig({ RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url, ...env });
	return { db, config, log, counters: new Map<string, number>() };
}

async function queued(to = 'lan@example.vn') {
	return mail.queue(db, {
		to,
		template: 'verifyEmail',
		locale: 'vi',
		params: { name: 'Lan', url: 'https://chot.example.vn/verify?token=1' }
	});
}

async function row(id: string) {
	const [r] = await db.select().from(emails).where(eq(emails.id, id));
	return r!;
}

beforeEach(() => {
	fake.reset();
	fake.setLatency(0);
});

describe('deliver', () => {
	it('sends once with the row’s idempotency key and records it as sent', async () => {
		const id = await queued();
		const rt = deps();
		await deliver({ rt, emailId: id });

		const r = await row(id);
		expect(fake.requests).toHaveLength(1);
		expect(fake.requests[0]!.headers['idempotency-key']).toBe(r.idempotencyKey);
		expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
		expect(fake.deliveries).toHaveLength(1);
		expect(fake.deliveries[0]).toMatchObject({ to: ['lan@example.vn'], subject: r.subject });
		expect(r).toMatchObject({ status: 'sent', attempts: 1, error: null });
		expect(r.providerId).toBe(fake.deliveries[0]!.id);
		expect(r.sentAt).toBeInstanceOf(Date);
		expect(rt.counters.get('mail.sent')).toBe(1);
	});

	it('does nothing when run again after the message was sent', async () => {
		const id = await queued();
		await deliver({ rt: deps(), emailId: id });
		await deliver({ rt: deps(), emailId: id });
		expect(fake.requests).toHaveLength(1);
		expect((await row(id)).attempts).toBe(1);
	});

	it('throws on a 5xx so the job is retried, keeps the row queued with the reason, then sends', async () => {
		const id = await queued();
		fake.failNext(1, 500);
		await expect(deliver({ rt: deps(), emailId: id })).rejects.toBeInstanceOf(TransientMailError);
		expect(await row(id)).toMatchObject({ status: 'queued', attempts: 1 });
		expect((await row(id)).error).toMatch(/^internal_server_error/);

		await deliver({ rt: deps(), emailId: id });
		expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, error: null });
		expect(fake.deliveries).toHaveLength(1);
	});

	it('treats a rate limit and a dropped connection as transient', async () => {
		const id = await queued();
		fake.failNext(1, 429);
		fake.failNext(1, 'drop');
		await expect(deliver({ rt: deps(), emailId: id })).rejects.toThrow(/rate_limit_exceeded/);
		await expect(deliver({ rt: deps(), emailId: id })).rejects.toThrow(/application_error/);
		await deliver({ rt: deps(), emailId: id });
		expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3 });
		expect(fake.deliveries).toHaveLength(1);
	});

	it('marks a refused message failed with the reason and does not retry it', async () => {
		const id = await queued();
		fake.failNext(1, 422);
		await deliver({ rt: deps(), emailId: id });
		const r = await row(id);
		expect(r).toMatchObject({ status: 'failed', attempts: 1 });
		expect(r.error).toBe('validation_error: Invalid `to` field.');
		await deliver({ rt: deps(), emailId: id });
		expect(fake.requests).toHaveLength(1);
	});

	it('marks the message failed when a wrong API key is configured', async () => {
		const id = await queued();
		await deliver({ rt: deps({ RESEND_API_KEY: 're_wrong' }), emailId: id });
		expect(await row(id)).toMatchObject({
			status: 'failed',
			error: 'validation_error: API key is invalid'
		});
	});

	it('gives up with status failed when a transient error happens on the last attempt', async () => {
		const id = await queued();
		fake.failNext(1, 503);
		await deliver({ rt: deps(), emailId: id, lastAttempt: true });
		expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1 });
	});

	it('keeps the message in the outbox without calling Resend when no API key is set', async () => {
		const id = await queued();
		const rt = deps({ RESEND_API_KEY: '' });
		await deliver({ rt, emailId: id });
		expect(await row(id)).toMatchObject({ status: 'outbox', attempts: 1 });
		expect(fake.requests).toHaveLength(0);
		expect(rt.counters.get('mail.outbox')).toBe(1);
	});

	it('delivers once when two runs of the same email race past the row check', async () => {
		const id = await queued();
		fake.setLatency(300);
		const results = await Promise.allSettled([
			deliver({ rt: deps(), emailId: id }),
			deliver({ rt: deps(), emailId: id })
		]);
		// One is delivered; Resend refuses the other while the first is in flight (retried later).
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(rejected.reason).toBeInstanceOf(TransientMailError);
		expect(String(rejected.reason)).toMatch(/concurrent_idempotent_requests/);
		expect(fake.deliveries).toHaveLength(1);
		expect((await row(id)).status).toBe('sent');

		// The retry of the refused run finds the row sent and sends nothing.
		await deliver({ rt: deps(), emailId: id });
		expect(fake.requests).toHaveLength(2);
	});

	it('classifies Resend errors by status: network, 429, 5xx and in-flight keys retry', () => {
		expect(isTransient({ name: 'application_error', statusCode: null })).toBe(true);
		expect(isTransient({ name: 'rate_limit_exceeded', statusCode: 429 })).toBe(true);
		expect(isTransient({ name: 'internal_server_error', statusCode: 500 })).toBe(true);
		expect(isTransient({ name: 'concurrent_idempotent_requests', statusCode: 409 })).toBe(true);
		expect(isTransient({ name: 'invalid_idempotent_request', statusCode: 409 })).toBe(false);
		expect(isTransient({ name: 'validation_error', statusCode: 422 })).toBe(false);
		expect(isTransient({ name: 'missing_api_key', statusCode: 401 })).toBe(false);
	});
});
