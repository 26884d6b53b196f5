import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { users } from '../../../src/lib/server/db/schema';
import { startApp, type AppServer } from '../../support/app-server';
import { createUser } from '../../support/factories';
import { postForm } from './http';

// An online guessing attack against one account from 1,000 different X-Forwarded-For values.
// The number of Argon2 verifications the server computed (its /metrics counter) is the proof:
// at most the account bucket's 5, plus one per minute of refill, plus one of slack.
// Run against two servers: one that ignores X-Forwarded-For (the default, so every request is
// the same client) and one with TRUSTED_PROXIES=1, where every request is a new client address
// and only the per-account bucket stands in the way.
const ATTEMPTS = 1000;

async function verifications(app: AppServer) {
	const res = await fetch(`${app.origin}/metrics`);
	const body = (await res.json()) as { counters: Record<string, number> };
	return body.counters['auth.password_verifications'] ?? 0;
}

const ip = (i: number) => `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`;

async function attack(app: AppServer) {
	const victim = await createUser(app.db, { email: `nan-nhan-${Date.now()}@example.vn` });
	const before = await verifications(app);
	const started = Date.now();
	const answers: { status: number; retryAfter: string | null; body: string }[] = [];
	// Ten at a time: faster, and concurrent takes from one bucket must not overdraw it.
	for (let batch = 0; batch < ATTEMPTS; batch += 10) {
		const results = await Promise.all(
			Array.from({ length: 10 }, async (_, j) => {
				const i = batch + j;
				const res = await postForm(
					app,
					'/login',
					{ email: i % 2 ? victim.email.toUpperCase() : victim.email, password: `doan-sai-${i}` },
					{ headers: { 'x-forwarded-for': ip(i) } }
				);
				return {
					status: res.status,
					retryAfter: res.headers.get('retry-after'),
					body: await res.text()
				};
			})
		);
		answers.push(...results);
	}
	const hashes = (await verifications(app)) - before;
	const minutes = Math.floor((Date.now() - started) / 60_000);
	return { victim, answers, hashes, minutes };
}

async function provesTheBound(app: AppServer) {
	const { victim, answers, hashes, minutes } = await attack(app);
	expect(hashes).toBeLessThanOrEqual(5 + minutes + 1);

	// Every attempt either had its password checked (wrong: 400) or was refused with 429.
	const wrong = answers.filter((a) => a.status === 400);
	const refused = answers.filter((a) => a.status === 429);
	expect(wrong.length + refused.length).toBe(ATTEMPTS);
	expect(wrong.length).toBeLessThanOrEqual(hashes);
	expect(refused.length).toBeGreaterThanOrEqual(ATTEMPTS - 5 - minutes - 1);
	for (const a of refused) {
		expect(Number(a.retryAfter)).toBeGreaterThan(0);
		expect(a.body).toContain('Bạn đã thử quá nhiều lần. Vui lòng thử lại sau');
	}

	// No permanent lockout: after one refill the owner logs in with the right password. The
	// buckets refill from the time since their `updated_at`, so moving that back a minute and a
	// second is a minute passing, without the test sleeping through it.
	await app.db.execute(
		sql`update rate_limits set updated_at = updated_at - interval '61 seconds' where key like 'login:%'`
	);
	const res = await postForm(
		app,
		'/login',
		{ email: victim.email, password: victim.password },
		{ headers: { 'x-forwarded-for': '203.0.113.50' } }
	);
	expect(res.status).toBe(303);
	expect(res.headers.get('location')).toBe('/');
}

async function ipBuckets(app: AppServer) {
	const rows = await app.db.execute<{ n: number }>(
		sql`select count(*)::int as n from rate_limits where key like 'login:ip:%'`
	);
	return Number(rows[0]!.n);
}

const apps: AppServer[] = [];
afterAll(() => Promise.all(apps.map((a) => a.stop())));

describe.concurrent('login throttling', () => {
	it('bounds password hashes for one account under 1,000 guesses from rotating X-Forwarded-For', async () => {
		const app = await startApp();
		apps.push(app);
		await provesTheBound(app);
		// X-Forwarded-For is not trusted by default: all of it was one client, one bucket.
		expect(await ipBuckets(app)).toBe(1);
	}, 120_000);

	it('bounds them by the account bucket alone when X-Forwarded-For is trusted (TRUSTED_PROXIES=1)', async () => {
		const app = await startApp({ env: { TRUSTED_PROXIES: '1' } });
		apps.push(app);
		await provesTheBound(app);
		// Each guess really did come from a new client address.
		expect(await ipBuckets(app)).toBeGreaterThan(ATTEMPTS / 2);
	}, 120_000);

	it('allows 10 sign-ups an hour from one address, then answers 429 without creating the account', async () => {
		const app = await startApp();
		apps.push(app);
		const signUp = (i: number) =>
			postForm(app, '/signup', {
				name: `Người Dùng ${i}`,
				email: `dang-ky-${i}@example.vn`,
				password: 'mot-mat-khau-dai'
			});
		for (let i = 0; i < 10; i++) expect((await signUp(i)).status).toBe(303);
		const refused = await signUp(10);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
		const html = await refused.text();
		expect(html).toContain('Bạn đã thử quá nhiều lần. Vui lòng thử lại sau');
		expect(html).toContain('value="dang-ky-10@example.vn"');
		expect(
			await app.db
				.select()
				.from(users)
				.where(sql`${users.email} = 'dang-ky-10@example.vn'`)
		).toEqual([]);
	}, 60_000);

	it('answers an unknown email with the same work as a wrong password', async () => {
		const app = await startApp();
		apps.push(app);
		const before = await verifications(app);
		const res = await postForm(app, '/login', {
			email: 'khong-ai-ca@example.vn',
			password: 'bat-ky-mat-khau'
		});
		expect(res.status).toBe(400);
		expect((await verifications(app)) - before).toBe(1);
		expect(
			await app.db
				.select()
				.from(users)
				.where(sql`lower(${users.email}) = 'khong-ai-ca@example.vn'`)
		).toEqual([]);
	});
});
