import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwarenessThrottle } from './awareness-throttle';

describe('AwarenessThrottle', () => {
	let delivered: { at: number; key: string; item: string }[];
	let throttle: AwarenessThrottle<string>;
	const t0 = Date.UTC(2026, 0, 5);
	// Moves the fake clock to `ms` after the start, firing the timers due on the way.
	const at = (ms: number) => vi.advanceTimersByTime(t0 + ms - Date.now());

	beforeEach(() => {
		vi.useFakeTimers({ now: t0 });
		delivered = [];
		throttle = new AwarenessThrottle(
			100,
			(key, item) => delivered.push({ at: Date.now() - t0, key, item }),
			() => Date.now()
		);
	});
	afterEach(() => vi.useRealTimers());

	it('delivers the first update at once and then at most one per interval, the latest', () => {
		expect(throttle.push('doc', 'a')).toBe('delivered');
		at(10);
		expect(throttle.push('doc', 'b')).toBe('held');
		at(30);
		expect(throttle.push('doc', 'c')).toBe('replaced');
		at(99);
		expect(throttle.push('doc', 'd')).toBe('replaced');
		expect(delivered).toEqual([{ at: 0, key: 'doc', item: 'a' }]);
		vi.advanceTimersByTime(1);
		// b and c were dropped: awareness is last-state-wins.
		expect(delivered).toEqual([
			{ at: 0, key: 'doc', item: 'a' },
			{ at: 100, key: 'doc', item: 'd' }
		]);
		// The trailing delivery starts a new interval.
		at(150);
		expect(throttle.push('doc', 'e')).toBe('held');
		vi.advanceTimersByTime(49);
		expect(delivered).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(delivered.at(-1)).toEqual({ at: 200, key: 'doc', item: 'e' });
	});

	it('delivers at once again after a quiet interval', () => {
		throttle.push('doc', 'a');
		at(100);
		expect(throttle.push('doc', 'b')).toBe('delivered');
		at(350);
		expect(throttle.push('doc', 'c')).toBe('delivered');
		expect(delivered.map((d) => [d.at, d.item])).toEqual([
			[0, 'a'],
			[100, 'b'],
			[350, 'c']
		]);
	});

	it('throttles each document on its own', () => {
		throttle.push('pipeline', 'p1');
		throttle.push('deals', 'd1');
		at(10);
		throttle.push('pipeline', 'p2');
		expect(delivered.map((d) => d.item)).toEqual(['p1', 'd1']);
		vi.advanceTimersByTime(90);
		expect(delivered.map((d) => d.item)).toEqual(['p1', 'd1', 'p2']);
	});

	it('passes 60 updates a second on as 10, ending with the last one', () => {
		for (let i = 0; i < 60; i++) {
			at(Math.round((i * 1000) / 60));
			throttle.push('doc', `s${i}`);
		}
		vi.runAllTimers();
		// At 0, 100, …, 900 ms, and s59 when the last interval ends at 1,000 ms.
		expect(delivered.map((d) => d.at)).toEqual([
			0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000
		]);
		expect(delivered.at(-1)!.item).toBe('s59');
		for (let i = 1; i < delivered.length; i++)
			expect(delivered[i]!.at - delivered[i - 1]!.at).toBeGreaterThanOrEqual(100);
	});

	it('drops what it holds and stops its timers when cleared (the socket closed)', () => {
		throttle.push('doc', 'a');
		at(10);
		throttle.push('doc', 'b');
		throttle.clear();
		vi.runAllTimers();
		expect(delivered.map((d) => d.item)).toEqual(['a']);
		expect(throttle.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});
});
