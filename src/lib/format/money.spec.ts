import { describe, expect, it } from 'vitest';
import { formatVndShort, parseVnd } from './money';

describe('parseVnd', () => {
	it.each([
		['1.500.000', 1_500_000],
		['1,500,000', 1_500_000],
		['1 500 000', 1_500_000],
		['1500000', 1_500_000],
		['1,5tr', 1_500_000],
		['1.5tr', 1_500_000],
		['1,5 triệu', 1_500_000],
		['1,5 TRIỆU', 1_500_000],
		['2 tỷ', 2_000_000_000],
		['2,25 tỷ', 2_250_000_000],
		['500k', 500_000],
		['500 nghìn', 500_000],
		['1.500.000 đ', 1_500_000],
		['1.500.000₫', 1_500_000],
		['0', 0],
		['1.500', 1_500]
	])('reads %s as %i đồng', (typed, expected) => {
		expect(parseVnd(typed)).toBe(expected);
	});

	it.each([
		'',
		'abc',
		'-500',
		'1.50.000',
		'1.500,000',
		'1,5 cái',
		'1,5',
		'1,2345k',
		'1e6',
		'10^16'
	])('refuses %s', (typed) => {
		expect(parseVnd(typed)).toBeNull();
	});
});

describe('formatVndShort', () => {
	it('shortens large amounts the Vietnamese way', () => {
		expect(formatVndShort(1_500_000)).toBe('1,5 tr');
		expect(formatVndShort(2_300_000_000)).toBe('2,3 tỷ');
		expect(formatVndShort(850_000)).toBe('850 k');
		expect(formatVndShort(120_000_000)).toBe('120 tr');
	});
});
