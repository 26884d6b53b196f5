import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { authTokens, emails, sessions, users } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { createUser, DEFAULT_PASSWORD } from '../../support/factories';
import {
	cookieFor,
	get,
	linkIn,
	location,
	postForm,
	SESSION_COOKIE,
	sessionCookie
} from '../security/http';

// The account flows end to end against the production build: sign-up, verification, login,
// password reset, the account page and logging out. Emails are read from the `emails` table.
const app = await startApp();
afterAll(() => app.stop());

async function lastEmail(to: string) {
	const [row] = await app.db
		.select()
		.from(emails)
		.where(eq(emails.to, to))
		.orderBy(desc(emails.createdAt))
		.limit(1);
	return row ?? null;
}

async function userByEmail(email: string) {
	const [row] = await app.db
		.select()
		.from(users)
		.where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
	return row ?? null;
}

async function sessionCount(userId: string) {
	return (await app.db.select().from(sessions).where(eq(sessions.userId, userId))).length;
}

describe('sign-up and email verification', () => {
	it('creates the account, signs in, goes on to /orgs/new and queues a verification email', async () => {
		const res = await postForm(app, '/signup', {
			name: 'Trần Thị Lan',
			email: '  Lan.Tran@Example.VN ',
			password: 'mot-mat-khau-dai'
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/orgs/new');
		const cookie = sessionCookie(res);
		expect(cookie).not.toBeNull();

		const user = await userByEmail('lan.tran@example.vn');
		// Stored as typed, trimmed; unverified but able to use the app.
		expect(user).toMatchObject({ email: 'Lan.Tran@Example.VN', name: 'Trần Thị Lan' });
		expect(user!.emailVerifiedAt).toBeNull();
		const account = await get(app, '/account', { cookie: cookie! });
		expect(account.status).toBe(200);
		expect(await account.text()).toContain('Gửi lại email xác nhận');

		const mail = await lastEmail('Lan.Tran@Example.VN');
		expect(mail).toMatchObject({ template: 'verifyEmail' });
		expect(mail!.subject).toBe('Xác nhận email của bạn trên Chốt');
		const link = linkIn(mail!.text, '/verify-email');
		expect(link.startsWith('/verify-email?token=')).toBe(true);

		const verified = await get(app, link);
		expect(verified.status).toBe(200);
		expect(await verified.text()).toContain('Email của bạn đã được xác nhận');
		expect((await userByEmail('lan.tran@example.vn'))!.emailVerifiedAt).not.toBeNull();

		// Single use: the same link now only reports what already happened.
		const again = await get(app, link);
		expect(await again.text()).toContain('Email này đã được xác nhận trước đó');
		const [token] = await app.db.select().from(authTokens).where(eq(authTokens.userId, user!.id));
		expect(token!.usedAt).not.toBeNull();
		expect(token!.expiresAt.getTime() - token!.createdAt.getTime()).toBe(48 * 3600_000);
	});

	it('refuses an expired or forged verification link', async () => {
		const user = await createUser(app.db, { verified: false });
		const cookie = await cookieFor(app, user.id);
		await postForm(app, '/account?/resend', {}, { cookie });
		const link = linkIn((await lastEmail(user.email))!.text, '/verify-email');
		await app.db
			.update(authTokens)
			.set({ expiresAt: sql`now() - interval '1 minute'` })
			.where(eq(authTokens.userId, user.id));
		expect(await (await get(app, link)).text()).toContain('Liên kết xác nhận đã hết hạn');
		expect(await (await get(app, link.slice(0, -3) + 'aaa')).text()).toContain(
			'Liên kết xác nhận không hợp lệ'
		);
		expect((await userByEmail(user.email))!.emailVerifiedAt).toBeNull();
	});

	it('goes to a safe `next` after sign-up and ignores one pointing elsewhere', async () => {
		const ok = await postForm(app, '/signup?next=%2Finvite%2Fabc', {
			name: 'Lê Văn Bình',
			email: 'binh@example.vn',
			password: 'mot-mat-khau-dai'
		});
		expect(ok.headers.get('location')).toBe('/invite/abc');
		const evil = await postForm(app, '/signup?next=%2F%2Fevil.example', {
			name: 'Lê Văn Cường',
			email: 'cuong@example.vn',
			password: 'mot-mat-khau-dai'
		});
		expect(evil.headers.get('location')).toBe('/orgs/new');
	});

	it('refuses an email that already has an account, whatever its case, keeping what was typed', async () => {
		const res = await postForm(app, '/signup', {
			name: 'Người Trùng Email',
			email: 'LAN.TRAN@example.vn',
			password: 'mot-mat-khau-dai'
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Email này đã có tài khoản');
		expect(html).toContain('value="Người Trùng Email"');
		expect(html).toContain('value="LAN.TRAN@example.vn"');
		expect(html).not.toContain('mot-mat-khau-dai');
		expect(sessionCookie(res)).toBeNull();
	});
});

describe('logging in and out', () => {
	it('matches the email case-insensitively and goes to a safe `next`', async () => {
		const user = await createUser(app.db, { email: 'Hoa.Pham@Example.VN' });
		const res = await postForm(app, '/login?next=%2Faccount', {
			email: 'hoa.pham@example.vn',
			password: user.password
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/account');
		expect(sessionCookie(res)).not.toBeNull();

		const unsafe = await postForm(app, '/login?next=%2F%5Cevil.example', {
			email: user.email,
			password: user.password
		});
		expect(unsafe.headers.get('location')).toBe('/');
	});

	it('answers a wrong password and an unknown email alike, keeping the email but not the password', async () => {
		const user = await createUser(app.db);
		const wrong = await postForm(app, '/login', { email: user.email, password: 'sai-mat-khau' });
		const unknown = await postForm(app, '/login', {
			email: 'khong-ton-tai@example.vn',
			password: 'sai-mat-khau'
		});
		expect(wrong.status).toBe(400);
		expect(unknown.status).toBe(400);
		const [a, b] = [await wrong.text(), await unknown.text()];
		expect(a).toContain('Email hoặc mật khẩu không đúng.');
		expect(sameExcept(a, user.email)).toBe(sameExcept(b, 'khong-ton-tai@example.vn'));
		expect(a).toContain(`value="${user.email}"`);
		expect(a).not.toContain('sai-mat-khau');
	});

	it('sends a signed-in visitor of /login or /signup on to the app', async () => {
		const user = await createUser(app.db);
		const cookie = await cookieFor(app, user.id);
		for (const path of ['/login', '/signup']) {
			const res = await get(app, path, { cookie });
			expect(res.status).toBe(303);
			expect(res.headers.get('location')).toBe('/');
		}
	});

	it('logs out on POST only, ending the session in the database', async () => {
		const user = await createUser(app.db);
		const cookie = await cookieFor(app, user.id);
		expect((await get(app, '/logout', { cookie })).status).toBe(303);
		expect(await sessionCount(user.id)).toBe(1);

		const res = await postForm(app, '/logout', {}, { cookie });
		expect(res.status).toBe(303);
		expect(location(res)).toBe('/login');
		expect(await sessionCount(user.id)).toBe(0);
		const cleared = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=;`));
		expect(cleared).toMatch(/Max-Age=0/i);
		expect(cleared).toMatch(/Secure/);
	});
});

describe('password reset', () => {
	it('answers the same whether or not the email has an account, and mails only real accounts', async () => {
		const user = await createUser(app.db);
		const known = await postForm(app, '/forgot-password', { email: user.email });
		const unknown = await postForm(app, '/forgot-password', { email: 'ai-do@example.vn' });
		expect(known.status).toBe(200);
		expect(unknown.status).toBe(200);
		const [a, b] = [await known.text(), await unknown.text()];
		expect(a).toContain('chúng tôi đã gửi một liên kết đặt lại mật khẩu');
		expect(sameExcept(a, user.email)).toBe(sameExcept(b, 'ai-do@example.vn'));
		expect((await lastEmail(user.email))?.template).toBe('resetPassword');
		expect(await lastEmail('ai-do@example.vn')).toBeNull();
	});

	it('sets the new password once, ends every old session and signs in fresh', async () => {
		const user = await createUser(app.db, { verified: false });
		const oldCookie = await cookieFor(app, user.id);
		await postForm(app, '/forgot-password', { email: user.email.toUpperCase() });
		const link = linkIn((await lastEmail(user.email))!.text, '/reset-password');

		const page = await get(app, link);
		expect(page.status).toBe(200);
		expect(page.headers.get('referrer-policy')).toBe('no-referrer');
		expect(await page.text()).toContain('Đặt mật khẩu mới');

		const token = new URL(link, app.origin).searchParams.get('token')!;
		const short = await postForm(app, link, { token, password: 'ngan' });
		expect(short.status).toBe(400);
		expect(await short.text()).toContain('Mật khẩu cần ít nhất 8 ký tự.');

		const res = await postForm(app, link, { token, password: 'mat-khau-moi-2026' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/');
		const fresh = sessionCookie(res)!;
		expect(fresh).not.toBeNull();

		expect(location(await get(app, '/account', { cookie: oldCookie }))).toBe('/login');
		expect((await get(app, '/account', { cookie: fresh })).status).toBe(200);
		expect(await sessionCount(user.id)).toBe(1);
		// The link proved the mailbox.
		expect((await userByEmail(user.email))!.emailVerifiedAt).not.toBeNull();

		const oldLogin = await postForm(app, '/login', {
			email: user.email,
			password: DEFAULT_PASSWORD
		});
		expect(oldLogin.status).toBe(400);
		const newLogin = await postForm(app, '/login', {
			email: user.email,
			password: 'mat-khau-moi-2026'
		});
		expect(newLogin.status).toBe(303);

		const reused = await postForm(app, link, { token, password: 'mat-khau-thu-ba-2026' });
		expect(reused.status).toBe(400);
		expect(await reused.text()).toContain('không hợp lệ hoặc đã được dùng');
		expect(await (await get(app, link)).text()).toContain('không hợp lệ hoặc đã được dùng');
	});

	it('refuses a reset link after its hour, leaving the password as it was', async () => {
		const user = await createUser(app.db);
		await postForm(app, '/forgot-password', { email: user.email });
		const link = linkIn((await lastEmail(user.email))!.text, '/reset-password');
		const [row] = await app.db
			.select()
			.from(authTokens)
			.where(and(eq(authTokens.userId, user.id), eq(authTokens.kind, 'reset_password')));
		expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(3600_000);
		await app.db
			.update(authTokens)
			.set({ expiresAt: sql`now() - interval '1 second'` })
			.where(eq(authTokens.id, row!.id));

		expect(await (await get(app, link)).text()).toContain('Liên kết đặt lại mật khẩu đã hết hạn');
		const token = new URL(link, app.origin).searchParams.get('token')!;
		const res = await postForm(app, link, { token, password: 'mat-khau-moi-2026' });
		expect(res.status).toBe(400);
		expect(sessionCookie(res)).toBeNull();
		const login = await postForm(app, '/login', { email: user.email, password: user.password });
		expect(login.status).toBe(303);
	});

	it('sends at most 3 reset emails an hour per address, then answers 429 with Retry-After', async () => {
		const user = await createUser(app.db);
		for (let i = 0; i < 3; i++) {
			expect((await postForm(app, '/forgot-password', { email: user.email })).status).toBe(200);
		}
		const res = await postForm(app, '/forgot-password', { email: user.email });
		expect(res.status).toBe(429);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
		expect(await res.text()).toContain('Bạn đã thử quá nhiều lần');
		const sent = await app.db.select().from(emails).where(eq(emails.to, user.email));
		expect(sent).toHaveLength(3);
	});
});

describe('the account page', () => {
	it('renames the user and switches their language, stored on the account', async () => {
		const user = await createUser(app.db);
		const cookie = await cookieFor(app, user.id);
		expect(
			(await postForm(app, '/account?/profile', { name: '  Phạm Minh Đức ' }, { cookie })).status
		).toBe(200);
		expect((await userByEmail(user.email))!.name).toBe('Phạm Minh Đức');

		const res = await postForm(app, '/account?/locale', { locale: 'en' }, { cookie });
		expect(res.status).toBe(200);
		expect((await userByEmail(user.email))!.locale).toBe('en');
		const page = await (await get(app, '/account', { cookie })).text();
		expect(page).toContain('<html lang="en">');
		expect(page).toContain('Change password');
	});

	it('changes the password only with the current one, ending the other sessions', async () => {
		const user = await createUser(app.db);
		const current = await cookieFor(app, user.id);
		const other = await cookieFor(app, user.id);

		const wrong = await postForm(
			app,
			'/account?/password',
			{ currentPassword: 'khong-dung', newPassword: 'mat-khau-moi-2026' },
			{ cookie: current }
		);
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain('Mật khẩu hiện tại không đúng.');

		const ok = await postForm(
			app,
			'/account?/password',
			{ currentPassword: user.password, newPassword: 'mat-khau-moi-2026' },
			{ cookie: current }
		);
		expect(ok.status).toBe(200);
		expect((await get(app, '/account', { cookie: current })).status).toBe(200);
		expect(location(await get(app, '/account', { cookie: other }))).toBe('/login');
		const login = await postForm(app, '/login', {
			email: user.email,
			password: 'mat-khau-moi-2026'
		});
		expect(login.status).toBe(303);
	});

	it('logs out everywhere, this session included', async () => {
		const user = await createUser(app.db);
		const a = await cookieFor(app, user.id);
		const b = await cookieFor(app, user.id);
		const res = await postForm(app, '/account?/logoutEverywhere', {}, { cookie: a });
		expect(res.status).toBe(303);
		expect(location(res)).toBe('/login');
		expect(await sessionCount(user.id)).toBe(0);
		expect(location(await get(app, '/account', { cookie: b }))).toBe('/login');
	});

	it('resends the verification email to an unverified user only', async () => {
		const unverified = await createUser(app.db, { verified: false, locale: 'en' });
		const cookie = await cookieFor(app, unverified.id);
		const res = await postForm(app, '/account?/resend', {}, { cookie });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(
			`We sent the confirmation email to ${unverified.email} again.`
		);
		const mail = await lastEmail(unverified.email);
		expect(mail!.subject).toBe('Confirm your email for Chốt');

		const verified = await createUser(app.db);
		await postForm(app, '/account?/resend', {}, { cookie: await cookieFor(app, verified.id) });
		expect(await lastEmail(verified.email)).toBeNull();
	});
});

describe('language switch of the logged-out pages', () => {
	it('sets a year-long Lax cookie and comes back to the same page in that language', async () => {
		const res = await postForm(app, '/locale', { locale: 'en', next: '/login?next=%2Faccount' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?next=%2Faccount');
		const set = res.headers.getSetCookie().find((c) => c.startsWith('chot_locale='))!;
		expect(set).toMatch(/^chot_locale=en;/);
		expect(set).toMatch(/Max-Age=31536000/);
		expect(set).toMatch(/SameSite=Lax/);
		expect(set).toMatch(/Path=\//);

		const page = await (await get(app, '/login', { cookie: 'chot_locale=en' })).text();
		expect(page).toContain('<html lang="en">');
		expect(page).toContain('Forgot your password?');

		const evil = await postForm(app, '/locale', { locale: 'vi', next: '//evil.example' });
		expect(evil.headers.get('location')).toBe('/');
	});
});

// Two answers compared byte for byte, but for the email typed and the per-response CSP nonce.
function sameExcept(html: string, email: string) {
	return html.replaceAll(email, 'X').replace(/nonce="[^"]*"/g, 'nonce=""');
}
