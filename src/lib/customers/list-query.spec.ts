import { describe, expect, it } from 'vitest';
import { listQueryString, readListQuery } from './list-query';

describe('the customers table URL', () => {
	it('reads filters and sort, defaulting the direction per column', () => {
		const q = readListQuery(new URLSearchParams('q=nguyen&tag=VIP&dup=1&sort=name'));
		expect(q).toEqual({
			q: 'nguyen',
			owner: '',
			tag: 'VIP',
			source: '',
			duplicates: true,
			sort: 'name',
			dir: 'asc'
		});
		expect(readListQuery(new URLSearchParams('')).dir).toBe('desc');
	});

	it('ignores a malformed value without dropping the others', () => {
		const q = readListQuery(new URLSearchParams('owner=nobody&sort=drop%20table&q=hoa'));
		expect(q).toMatchObject({ owner: '', sort: 'createdAt', q: 'hoa' });
	});

	it('writes back only what differs from the defaults', () => {
		const q = readListQuery(new URLSearchParams('sort=deals&dir=desc&source=Zalo'));
		expect(listQueryString(q)).toBe('?source=Zalo&sort=deals');
		expect(listQueryString(q, { offset: '100' })).toBe('?source=Zalo&sort=deals&offset=100');
		expect(listQueryString(readListQuery(new URLSearchParams()))).toBe('');
	});
});
