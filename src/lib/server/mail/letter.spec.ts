import { describe, expect, it } from 'vitest';
import { fromWithName } from './deliver';
import { render } from './templates';

// Email to a customer: the member's plain text, and the same text as simple, safe HTML.
describe('customer letter', () => {
	const letter = (body: string, subject = 'Báo giá') =>
		render('customerEmail', { locale: 'vi', params: { subject, body } });

	it('keeps the text as written and makes paragraphs and line breaks in the HTML', () => {
		const m = letter('Kính gửi anh An,\r\n\r\nGửi anh báo giá.\nTrân trọng,\nNam');
		expect(m.text).toBe('Kính gửi anh An,\n\nGửi anh báo giá.\nTrân trọng,\nNam');
		expect(m.html).toContain('<html lang="vi">');
		expect(m.html).toMatch(/<p[^>]*>Kính gửi anh An,<\/p>/);
		expect(m.html).toMatch(/<p[^>]*>Gửi anh báo giá\.<br>\nTrân trọng,<br>\nNam<\/p>/);
		expect(m.html).not.toContain('Chốt');
	});

	it('escapes markup and links only http(s) addresses', () => {
		const m = letter(
			'<script>alert(1)</script> xem https://chot.vn/a?b=1&c=2. và javascript:alert(1) "x"'
		);
		expect(m.html).not.toContain('<script>');
		expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(m.html).toContain(
			'<a href="https://chot.vn/a?b=1&amp;c=2">https://chot.vn/a?b=1&amp;c=2</a>.'
		);
		expect(m.html).not.toContain('href="javascript');
		expect(m.html).toContain('&quot;x&quot;');
	});

	it('makes the subject one line', () => {
		expect(letter('x', 'Báo giá\r\nBcc: a@b.c').subject).toBe('Báo giá Bcc: a@b.c');
	});

	it('puts the member’s name on the configured address, safely quoted', () => {
		expect(fromWithName('Lê Văn Nam (Hoà Bình)', 'Chốt <no-reply@chot.vn>')).toBe(
			'"Lê Văn Nam (Hoà Bình)" <no-reply@chot.vn>'
		);
		expect(fromWithName('A "B" <c@d>\r\nBcc: x', 'no-reply@chot.vn')).toBe(
			'"A B c@d Bcc: x" <no-reply@chot.vn>'
		);
	});
});
