import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

describe('linkify', () => {
	it('turns http(s) URLs into links and keeps the rest as text', () => {
		expect(linkify('Xác nhận email: http://localhost:3000/verify?token=a.b&x=1\n\n— Chốt')).toEqual(
			[
				{ text: 'Xác nhận email: ' },
				{
					text: 'http://localhost:3000/verify?token=a.b&x=1',
					href: 'http://localhost:3000/verify?token=a.b&x=1'
				},
				{ text: '\n\n— Chốt' }
			]
		);
	});

	it('leaves sentence punctuation after a link out of it', () => {
		expect(linkify('Xem https://chot.vn/a).')).toEqual([
			{ text: 'Xem ' },
			{ text: 'https://chot.vn/a', href: 'https://chot.vn/a' },
			{ text: ').' }
		]);
	});

	it('never makes a link of another scheme or of markup', () => {
		const hostile = 'javascript:alert(1) <a href="x">y</a> data:text/html,hi';
		expect(linkify(hostile)).toEqual([{ text: hostile }]);
		expect(linkify('"><script>https://x.vn/"onmouseover=1')).toEqual([
			{ text: '"><script>' },
			{ text: 'https://x.vn/', href: 'https://x.vn/' },
			{ text: '"onmouseover=1' }
		]);
	});

	it('returns the text unchanged when there is no link', () => {
		expect(linkify('Xin chào 🎉')).toEqual([{ text: 'Xin chào 🎉' }]);
		expect(linkify('')).toEqual([]);
	});
});
