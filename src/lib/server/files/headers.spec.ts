import { describe, expect, it } from 'vitest';
import { contentDisposition, fileHeaders } from './headers';

describe('contentDisposition', () => {
	it('sends the UTF-8 name percent-encoded and an ASCII fallback', () => {
		expect(contentDisposition('attachment', 'Hợp đồng (bản 2).pdf')).toBe(
			`attachment; filename="Hop dong (ban 2).pdf"; filename*=UTF-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng%20%28b%E1%BA%A3n%202%29.pdf`
		);
	});

	it('never lets a name carry a path, a quote, a line break or a bidi override', () => {
		for (const name of [
			'../../etc/passwd.pdf',
			'a"; filename="evil.exe',
			'a\r\nSet-Cookie: x',
			'x\u202Efdp.exe'
		]) {
			const header = contentDisposition('attachment', name);
			const fallback = /filename="([^"]*)"/.exec(header)![1]!;
			const utf8 = decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(header)![1]!);
			for (const shown of [fallback, utf8]) {
				expect(shown, name).not.toMatch(/[/\\"\r\n\u202e]|\.\./);
			}
			// One quoted fallback, one RFC 5987 value of attr-chars: nothing can break out of either.
			expect(header, name).toMatch(
				/^attachment; filename="[\x20-\x21\x23-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]+$/
			);
		}
	});
});

describe('fileHeaders', () => {
	it('sends everything but previews as an attachment, never sniffed', () => {
		const h = fileHeaders({ name: 'a.txt', mime: 'text/plain', size: 3, preview: false });
		expect(h.get('content-disposition')).toMatch(/^attachment;/);
		expect(h.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(h.get('x-content-type-options')).toBe('nosniff');
		expect(h.get('content-security-policy')).toContain('sandbox');
	});

	it('shows previews inline in a sandbox that runs no script of the file’s own', () => {
		const h = fileHeaders({ name: 'a.png', mime: 'image/png', size: 3, preview: true });
		expect(h.get('content-disposition')).toMatch(/^inline;/);
		expect(h.get('content-security-policy')).toMatch(/sandbox(;|$)/);
		expect(h.get('content-security-policy')).toContain("frame-ancestors 'self'");
	});
});
