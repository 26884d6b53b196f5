import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phone';

describe('normalisePhone', () => {
	it('gives one form for the ways Vietnamese write a mobile number', () => {
		for (const typed of [
			'0912 345 678',
			'+84 912345678',
			'912345678',
			'0912.345.678',
			'+84912345678'
		])
			expect(normalisePhone(typed)).toBe('+84912345678');
	});
	it('refuses what is not a phone number', () => {
		for (const typed of ['', 'abc', '123', '0912']) expect(normalisePhone(typed)).toBeNull();
	});
});
