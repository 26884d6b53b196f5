import { describe, expect, it } from 'vitest';
import {
	addMonths,
	commissionOf,
	distribute,
	divRound,
	monthOf,
	parseRatePercent,
	reachedTier
} from './calc';

describe('calc', () => {
	it('[C6] rounds half up, and half away from zero below it', () => {
		expect(divRound(5n, 10n)).toBe(1n);
		expect(divRound(4n, 10n)).toBe(0n);
		expect(divRound(15n, 10n)).toBe(2n);
		expect(divRound(-15n, 10n)).toBe(-2n);
		expect(divRound(-14n, 10n)).toBe(-1n);
	});

	it('[C5] step takes the highest tier reached; progressive sums slices then rounds once', () => {
		const tiers = [
			{ from: 0, rateBp: 100 },
			{ from: 1_000, rateBp: 300 }
		];
		expect(reachedTier(tiers, 999).rateBp).toBe(100);
		expect(reachedTier(tiers, 1_000).rateBp).toBe(300);
		expect(commissionOf({ tiering: 'step', tiers, basis: 1_000 }).amount).toBe(30);
		// 1.000 × 1 % + 50 × 3 % = 10 + 1,5 = 11,5 → 12
		expect(commissionOf({ tiering: 'progressive', tiers, basis: 1_050 }).amount).toBe(12);
		expect(commissionOf({ tiering: 'flat', tiers, basis: 1_050 }).amount).toBe(11);
	});

	it('[C7] distributes exactly, remainder to the largest part', () => {
		expect(distribute(10, [1, 1, 1])).toEqual([4, 3, 3]);
		expect(distribute(10, [1, 5, 1])).toEqual([1, 8, 1]);
		expect(distribute(-10, [1, 1, 1])).toEqual([-2, -4, -4]);
		expect(distribute(7, [0, 0])).toEqual([7, 0]);
		const parts = distribute(1_234_567, [3, 7, 11, 13]);
		expect(parts.reduce((a, b) => a + b, 0)).toBe(1_234_567);
	});

	it('reads rates typed with a comma or a point', () => {
		expect(parseRatePercent('2,5')).toBe(250);
		expect(parseRatePercent('2.5')).toBe(250);
		expect(parseRatePercent(' 10 % ')).toBe(1000);
		expect(parseRatePercent('0,05')).toBe(5);
		expect(parseRatePercent('100')).toBe(10000);
		expect(parseRatePercent('100,01')).toBeNull();
		expect(parseRatePercent('2,555')).toBeNull();
		expect(parseRatePercent('-1')).toBeNull();
		expect(parseRatePercent('abc')).toBeNull();
	});

	it('[C1] months in the organisation calendar', () => {
		expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
		expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
		expect(monthOf(new Date('2026-01-31T17:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-02-01');
		expect(monthOf(new Date('2026-01-31T16:59:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-01-01');
	});
});
