import { describe, expect, it } from 'vitest';
import { addMonths, splitEvenly } from './split';

describe('addMonths', () => {
	it('keeps the day, clamps it to the end of shorter months and crosses years', () => {
		expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
		expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
		expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
		expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
		expect(addMonths('2026-12-05', 0)).toBe('2026-12-05');
	});
});

describe('splitEvenly', () => {
	it('splits into whole thousands, monthly, the last taking the remainder', () => {
		expect(splitEvenly(10_000_000, 3, '2026-12-31')).toEqual([
			{ dueOn: '2026-12-31', amount: 3_333_000 },
			{ dueOn: '2027-01-31', amount: 3_333_000 },
			{ dueOn: '2027-02-28', amount: 3_334_000 }
		]);
	});

	it('always adds up to the amount', () => {
		for (const [amount, n] of [
			[8_000_000, 3],
			[1_234_567, 7],
			[999, 4],
			[5, 5],
			[30_000_000, 12]
		] as const) {
			const parts = splitEvenly(amount, n, '2026-03-10');
			expect(parts).toHaveLength(n);
			expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(amount);
			expect(parts.every((p) => p.amount >= 0)).toBe(true);
		}
	});

	it('plans nothing for nothing', () => {
		expect(splitEvenly(0, 3, '2026-03-10')).toEqual([]);
		expect(splitEvenly(1000, 0, '2026-03-10')).toEqual([]);
	});
});
