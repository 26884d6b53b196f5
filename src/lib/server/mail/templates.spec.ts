import { describe, expect, it } from 'vitest';
import { escapeHtml, render } from './templates';

const url = 'https://chot.example.vn/verify?token=abc.def&x=1';

describe('mail templates', () => {
	it('renders the verification mail in Vietnamese with the name, the link and a plain-text twin', () => {
		const m = render('verifyEmail', { locale: 'vi', params: { name: 'Nguyễn Thị Hà', url } });
		expect(m.subject).toBe('Xác nhận email của bạn trên Chốt');
		expect(m.text).toContain('Xin chào Nguyễn Thị Hà,');
		expect(m.text).toContain(`Xác nhận email: ${url}`);
		expect(m.html).toContain('<html lang="vi">');
		expect(m.html).toContain('Xin chào Nguyễn Thị Hà,');
		// The link is escaped once inside the attribute (& → &amp;), never left raw.
		expect(m.html).toContain('href="https://chot.example.vn/verify?token=abc.def&amp;x=1"');
	});

	it('renders every template in English when the locale is en', () => {
		const verify = render('verifyEmail', { locale: 'en', params: { name: 'Hà', url } });
		expect(verify.subject).toBe('Confirm your email for Chốt');
		expect(verify.text).toContain('Hello Hà,');
		expect(verify.html).toContain('<html lang="en">');

		const reset = render('resetPassword', { locale: 'en', params: { name: 'Hà', url } });
		expect(reset.subject).toBe('Reset your Chốt password');
		expect(reset.text).toContain(`Choose a new password: ${url}`);

		const invite = render('invitation', {
			locale: 'en',
			params: { orgName: 'Ánh Dương', inviterName: 'An', role: 'Sales', url }
		});
		expect(invite.subject).toBe('An invites you to Ánh Dương on Chốt');
		expect(invite.text).toContain('An invites you to join Ánh Dương on Chốt as Sales.');
	});

	it('renders the reset and invitation mails in Vietnamese', () => {
		const reset = render('resetPassword', { locale: 'vi', params: { name: 'Hà', url } });
		expect(reset.subject).toBe('Đặt lại mật khẩu Chốt');
		expect(reset.text).toContain(`Đặt mật khẩu mới: ${url}`);
		const invite = render('invitation', {
			locale: 'vi',
			params: { orgName: 'Ánh Dương', inviterName: 'An', role: 'Kinh doanh', url }
		});
		expect(invite.subject).toBe('An mời bạn tham gia Ánh Dương trên Chốt');
		expect(invite.text).toContain('với vai trò Kinh doanh.');
	});

	it('escapes hostile parameters in the HTML and keeps them as typed in the text', () => {
		const orgName = `<script>alert("x")</script> & 'Co' <img src=x onerror=alert(1)>`;
		const inviterName = '"><a href="javascript:alert(1)">bấm</a> 🎉 \u202Egnp.exe';
		const m = render('invitation', {
			locale: 'vi',
			params: { orgName, inviterName, role: "'; drop table users; --", url }
		});
		expect(m.html).not.toContain('<script>');
		expect(m.html).not.toContain('<img');
		expect(m.html).not.toContain('href="javascript:');
		expect(m.html).toContain(escapeHtml(orgName));
		expect(m.html).toContain(escapeHtml(inviterName));
		expect(m.text).toContain(orgName);
		expect(m.text).toContain(inviterName);
		expect(m.text).toContain("'; drop table users; --");
	});

	it('confines bidi controls in a name to the name, so it cannot reverse the sentence', () => {
		const inviterName = 'An\u202Emoc.live';
		const m = render('invitation', {
			locale: 'vi',
			params: { orgName: 'Ánh Dương', inviterName, role: 'Sales', url }
		});
		expect(m.subject).toBe(`\u2068${inviterName}\u2069 mời bạn tham gia Ánh Dương trên Chốt`);
		expect(m.text).toContain(`\u2068${inviterName}\u2069 mời bạn`);
		// Plain names are left alone.
		expect(m.subject).not.toContain('\u2068Ánh');
	});

	it('keeps the subject on one line when a name contains line breaks', () => {
		const m = render('invitation', {
			locale: 'vi',
			params: { orgName: 'Ánh\r\nDương\nBcc: x@evil.test', inviterName: 'An', role: 'Sales', url }
		});
		expect(m.subject).not.toMatch(/[\r\n]/);
		expect(m.subject).toBe('An mời bạn tham gia Ánh Dương Bcc: x@evil.test trên Chốt');
	});

	it('refuses an action link that is not an absolute http(s) URL', () => {
		for (const bad of ['javascript:alert(1)', '/verify?token=1', 'data:text/html,hi', '']) {
			expect(() =>
				render('resetPassword', { locale: 'vi', params: { name: 'Hà', url: bad } })
			).toThrow(/http/);
		}
	});
});
