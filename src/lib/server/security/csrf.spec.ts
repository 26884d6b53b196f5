import { describe, expect, it } from 'vitest';
import { isCrossSite } from './csrf';

const origin = 'https://chot.example.vn';
const check = (method: string, headers: Record<string, string>) =>
	isCrossSite({ method, headers: new Headers(headers), origin });

describe('cross-site request check', () => {
	it('lets reads through whatever their origin', () => {
		expect(check('GET', { origin: 'https://evil.example' })).toBe(false);
	});
	it('accepts same-origin writes by Origin or Sec-Fetch-Site', () => {
		expect(check('POST', { origin })).toBe(false);
		expect(check('POST', { 'sec-fetch-site': 'same-origin' })).toBe(false);
	});
	it('refuses foreign origins, cross-site fetch metadata and a missing Origin', () => {
		expect(check('POST', { origin: 'https://evil.example' })).toBe(true);
		expect(check('delete', { origin: 'null' })).toBe(true);
		expect(check('POST', { 'sec-fetch-site': 'cross-site', origin })).toBe(true);
		expect(check('POST', { 'sec-fetch-site': 'same-site' })).toBe(true);
		expect(check('PUT', {})).toBe(true);
	});
});
