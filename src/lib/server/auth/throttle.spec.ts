import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDb } from '../../../../tests/support/db';
import { rateLimits } from '../db/schema';
import * as throttle from './throttle';

const { db } = await testDb();

const perMinute = { capacity: 5, refillPerSecond: 1 / 60 };
const t0 = new Date('2026-03-01T08:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
let n = 0;
const freshKey = () => `test:${++n}`;

async function takeN(key: string, times: number, now: Date) {
	const results = [];
	for (let i = 0; i < times; i++)
		results.push(await throttle.take(db, { key, bucket: perMinute, now }));
	return results;
}

describe('token bucket', () => {
	it('starts full: allows `capacity` takes at once, then refuses', async () => {
		const key = freshKey();
		const results = await takeN(key, 7, t0);
		expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false]);
	});

	it('refills at its rate from the last take and says how long to wait', async () => {
		const key = freshKey();
		await takeN(key, 5, t0);
		expect(await throttle.take(db, { key, bucket: perMinute, now: at(30) })).toEqual({
			ok: false,
			retryAfterSeconds: 30
		});
		expect((await throttle.take(db, { key, bucket: perMinute, now: at(60) })).ok).toBe(true);
		expect(await throttle.take(db, { key, bucket: perMinute, now: at(61) })).toEqual({
			ok: false,
			retryAfterSeconds: 59
		});
	});

	it('refused attempts cost nothing: the refill is not reset by them', async () => {
		const key = freshKey();
		await takeN(key, 5, t0);
		for (let s = 1; s < 60; s += 5) {
			expect((await throttle.take(db, { key, bucket: perMinute, now: at(s) })).ok).toBe(false);
		}
		expect((await throttle.take(db, { key, bucket: perMinute, now: at(60) })).ok).toBe(true);
	});

	it('never holds more than its capacity, however long it rests', async () => {
		const key = freshKey();
		await takeN(key, 5, t0);
		const results = await takeN(key, 6, at(24 * 3600));
		expect(results.filter((r) => r.ok)).toHaveLength(5);
		const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key));
		expect(row!.tokens).toBeCloseTo(0, 5);
	});

	it('hands out exactly `capacity` tokens to concurrent takers', async () => {
		const key = freshKey();
		const results = await Promise.all(
			Array.from({ length: 20 }, () => throttle.take(db, { key, bucket: perMinute, now: t0 }))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(5);
	});

	it('uses the database clock when no time is given', async () => {
		const key = freshKey();
		const results = [];
		for (let i = 0; i < 6; i++) results.push(await throttle.take(db, { key, bucket: perMinute }));
		expect(results.filter((r) => r.ok)).toHaveLength(5);
		expect(results[5]).toMatchObject({ ok: false });
		expect((results[5] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(55);
	});

	it('takeAll stops at the first empty bucket without taking from the next', async () => {
		const empty = freshKey();
		const other = freshKey();
		await takeN(empty, 5, t0);
		const result = await throttle.takeAll(
			db,
			[
				{ key: empty, bucket: perMinute },
				{ key: other, bucket: perMinute }
			],
			{ now: t0 }
		);
		expect(result.ok).toBe(false);
		expect(await db.select().from(rateLimits).where(eq(rateLimits.key, other))).toHaveLength(0);
	});

	it('reset makes a bucket full again', async () => {
		const key = freshKey();
		await takeN(key, 5, t0);
		await throttle.reset(db, { key });
		expect((await takeN(key, 5, t0)).every((r) => r.ok)).toBe(true);
	});

	it('prune forgets only buckets idle for a day (they are full anyway)', async () => {
		const idle = freshKey();
		const recent = freshKey();
		await throttle.take(db, { key: idle, bucket: perMinute, now: at(-2 * 86_400) });
		await throttle.take(db, { key: recent, bucket: perMinute, now: t0 });
		await throttle.prune(db, { now: t0 });
		const keys = (await db.select().from(rateLimits)).map((r) => r.key);
		expect(keys).toContain(recent);
		expect(keys).not.toContain(idle);
	});
});

describe('client keys', () => {
	it('keys IPv4 whole and unwraps IPv4-mapped IPv6', () => {
		expect(throttle.clientKey('203.0.113.9')).toBe('203.0.113.9');
		expect(throttle.clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
	});

	it('keys IPv6 by its /64, so rotating inside one subscriber prefix gains nothing', () => {
		const a = throttle.clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
		expect(a).toBe('2001:db8:1:2::/64');
		expect(throttle.clientKey('2001:0db8:0001:0002::1')).toBe(a);
		expect(throttle.clientKey('2001:db8:1:3::1')).not.toBe(a);
		expect(throttle.clientKey('::1')).toBe('0:0:0:0::/64');
	});

	it('keys accounts case-insensitively, like logins match them', () => {
		expect(throttle.keys.loginAccount(' An@Example.VN ')).toBe(
			throttle.keys.loginAccount('an@example.vn')
		);
	});
});
