import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
	it('starts full and refuses the message after the burst', () => {
		const bucket = new TokenBucket(1000, 200, 0);
		for (let i = 0; i < 1000; i++) expect(bucket.take(1, 0)).toBe(true);
		expect(bucket.take(1, 0)).toBe(false);
	});

	it('refills at its rate: one token every 5 ms at 200/s', () => {
		const bucket = new TokenBucket(1000, 200, 0);
		bucket.take(1000, 0);
		expect(bucket.take(1, 4.9)).toBe(false);
		expect(bucket.take(1, 5)).toBe(true);
		expect(bucket.take(1, 5)).toBe(false);
		// A second refills 200, not more.
		expect(bucket.take(200, 1005)).toBe(true);
		expect(bucket.take(1, 1005)).toBe(false);
	});

	it('passes a sender at exactly the sustained rate forever, and one slightly above it not', () => {
		const steady = new TokenBucket(1000, 200, 0);
		for (let i = 0; i < 10_000; i++) expect(steady.take(1, i * 5)).toBe(true);
		// Each 5 ms refills exactly the token the next message spends.
		expect(steady.tokens).toBe(999);

		// 250/s drains 50 tokens a second: the burst of 1,000 lasts 20 s, then the sender is refused.
		const fast = new TokenBucket(1000, 200, 0);
		let refusedAt = -1;
		for (let i = 0; i < 10_000 && refusedAt < 0; i++) if (!fast.take(1, i * 4)) refusedAt = i * 4;
		expect(refusedAt).toBeGreaterThan(19_900);
		expect(refusedAt).toBeLessThanOrEqual(20_004);
	});

	it('never holds more than its capacity after a long quiet spell', () => {
		const bucket = new TokenBucket(1000, 200, 0);
		bucket.take(500, 0);
		expect(bucket.take(1, 3_600_000)).toBe(true);
		expect(bucket.tokens).toBe(999);
	});

	it('refuses a take larger than what it holds without spending anything', () => {
		const bucket = new TokenBucket(10, 1, 0);
		bucket.take(7, 0);
		expect(bucket.take(5, 0)).toBe(false);
		expect(bucket.take(3, 0)).toBe(true);
		expect(bucket.take(1, 0)).toBe(false);
	});

	it('refills nothing when the clock steps backwards', () => {
		const bucket = new TokenBucket(10, 1000, 100);
		bucket.take(10, 100);
		expect(bucket.take(1, 50)).toBe(false);
		expect(bucket.take(1, 101)).toBe(true);
	});
});
