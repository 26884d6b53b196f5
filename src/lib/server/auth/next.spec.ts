import { describe, expect, it } from 'vitest';
import { safeNext } from './next';

describe('safeNext', () => {
	it('keeps paths on this site, with their query', () => {
		expect(safeNext('/o/123/boards?view=mine')).toBe('/o/123/boards?view=mine');
		expect(safeNext('/')).toBe('/');
	});

	it('refuses other hosts, schemes and browser-normalised tricks', () => {
		for (const bad of [
			'//evil.example',
			'https://evil.example',
			'/\\evil.example',
			'\\\\evil.example',
			'javascript:alert(1)',
			'/\t/evil.example',
			'evil.example',
			'',
			null,
			undefined
		]) {
			expect(safeNext(bad), String(bad)).toBeNull();
		}
	});
});
