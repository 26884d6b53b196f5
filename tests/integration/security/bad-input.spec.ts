import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { users } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { createUser } from '../../support/factories';
import { cookieFor, get, postForm, sessionCookie } from './http';

// Hostile and invalid input through the real forms: stored exactly, shown escaped, and every
// invalid field answered with its own message in the user's language.
const app = await startApp();
afterAll(() => app.stop());

/** The field-level message a form rendered under one input (TextField/PasswordField ids). */
function fieldMessage(html: string, field: string) {
	const m = new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(html);
	return m ? m[1] : null;
}

const HOSTILE_NAMES = {
	html: '<script>alert(1)</script>',
	sql: "'; drop table users; --",
	emoji: 'Chị Hằng 🌸🎉 Nguyễn',
	rtl: 'Nguyễn \u202eVăn An\u202c'
};

describe('hostile names', () => {
	for (const [kind, name] of Object.entries(HOSTILE_NAMES)) {
		it(`stores a ${kind} name exactly and shows it escaped on /account`, async () => {
			const email = `ten-${kind}@example.vn`;
			const res = await postForm(app, '/signup', { name, email, password: 'mot-mat-khau-dai' });
			expect(res.status).toBe(303);
			const [row] = await app.db.select().from(users).where(eq(users.email, email));
			expect(row!.name).toBe(name);

			const html = await (await get(app, '/account', { cookie: sessionCookie(res)! })).text();
			if (kind === 'html') {
				expect(html).not.toContain('<script>alert(1)</script>');
				expect(html).toContain('&lt;script>alert(1)&lt;/script>');
			} else {
				expect(html).toContain(name);
			}
		});
	}

	it('leaves the users table in place after the SQL-looking name', async () => {
		const rows = await app.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
		expect(Number(rows[0]!.n)).toBeGreaterThan(0);
	});

	it('refuses an overlong name with its limit, keeping what was typed', async () => {
		const name = 'Nguyễn '.repeat(20).trim() + ' Văn Anh Tuấn Minh Quang';
		expect(name.length).toBeGreaterThan(100);
		const res = await postForm(app, '/signup', {
			name,
			email: 'ten-dai@example.vn',
			password: 'mot-mat-khau-dai'
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(fieldMessage(html, 'name')).toBe('Tối đa 100 ký tự.');
		expect(html).toContain(`value="${name}"`);
		expect(html).toContain('value="ten-dai@example.vn"');
		expect(await app.db.select().from(users).where(eq(users.email, 'ten-dai@example.vn'))).toEqual(
			[]
		);
	});

	it('refuses control characters in a name', async () => {
		const res = await postForm(app, '/signup', {
			name: 'An\u0007',
			email: 'ten-dieu-khien@example.vn',
			password: 'mot-mat-khau-dai'
		});
		expect(res.status).toBe(400);
		expect(fieldMessage(await res.text(), 'name')).toBe('Có ký tự điều khiển không hợp lệ.');
	});
});

describe('field-level messages', () => {
	const vi = {
		required: 'Vui lòng nhập trường này.',
		email: 'Email không hợp lệ.',
		short: 'Mật khẩu cần ít nhất 8 ký tự.'
	};
	const en = {
		required: 'Please fill in this field.',
		email: 'This is not a valid email address.',
		short: 'The password needs at least 8 characters.'
	};

	for (const [locale, t] of [
		['vi', vi],
		['en', en]
	] as const) {
		const cookie = `chot_locale=${locale}`;

		it(`names every empty or invalid field of the logged-out forms (${locale})`, async () => {
			const empty = await (await postForm(app, '/signup', {}, { cookie })).text();
			expect(fieldMessage(empty, 'name')).toBe(t.required);
			expect(fieldMessage(empty, 'email')).toBe(t.required);
			expect(fieldMessage(empty, 'password')).toBe(t.required);

			const invalid = await postForm(
				app,
				'/signup',
				{ name: 'Lý Thị Mai', email: 'khong-phai-email', password: 'ngan' },
				{ cookie }
			);
			expect(invalid.status).toBe(400);
			const html = await invalid.text();
			expect(fieldMessage(html, 'name')).toBeNull();
			expect(fieldMessage(html, 'email')).toBe(t.email);
			expect(fieldMessage(html, 'password')).toBe(t.short);
			expect(html).toContain('value="Lý Thị Mai"');
			expect(html).toContain('value="khong-phai-email"');
			expect(html).not.toContain('value="ngan"');

			const login = await (await postForm(app, '/login', { email: ' ' }, { cookie })).text();
			expect(fieldMessage(login, 'email')).toBe(t.required);
			expect(fieldMessage(login, 'password')).toBe(t.required);

			const forgot = await (
				await postForm(app, '/forgot-password', { email: 'a@' }, { cookie })
			).text();
			expect(fieldMessage(forgot, 'email')).toBe(t.email);
		});
	}

	it('answers a signed-in user in their account language, whatever the cookie says', async () => {
		for (const [locale, t] of [
			['en', en],
			['vi', vi]
		] as const) {
			const user = await createUser(app.db, { locale });
			const cookie = `${await cookieFor(app, user.id)}; chot_locale=${locale === 'en' ? 'vi' : 'en'}`;
			const profile = await postForm(app, '/account?/profile', { name: '   ' }, { cookie });
			expect(profile.status).toBe(400);
			expect(fieldMessage(await profile.text(), 'name')).toBe(t.required);

			const password = await postForm(
				app,
				'/account?/password',
				{ currentPassword: '', newPassword: 'ngan' },
				{ cookie }
			);
			const html = await password.text();
			expect(fieldMessage(html, 'currentPassword')).toBe(t.required);
			expect(fieldMessage(html, 'newPassword')).toBe(t.short);
		}
	});
});
