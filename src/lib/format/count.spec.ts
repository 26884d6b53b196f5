import { expect, it } from 'vitest';
import { formatCount } from './count';

it('groups thousands the way each language writes them', () => {
	expect(formatCount(5012)).toBe('5.012');
	expect(formatCount(5012, 'en')).toBe('5,012');
	expect(formatCount(830)).toBe('830');
	expect(formatCount(1_234_567)).toBe('1.234.567');
});
