import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { sessions } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { createUser } from '../../support/factories';
import { get, location, postForm, SESSION_COOKIE, sessionCookie } from './http';

// The session cookie and the life of a session, against the production build (NODE_ENV
// production, so cookies are Secure with the `__Host-` prefix).
const app = await startApp();
afterAll(() => app.stop());

const user = await createUser(app.db);

async function logIn() {
	const res = await postForm(app, '/login', { email: user.email, password: user.password });
	expect(res.status).toBe(303);
	return res;
}

function sessionId(cookie: string) {
	return cookie.slice(`${SESSION_COOKIE}=`.length).split('.')[0]!;
}

describe('session cookie', () => {
	it('is HttpOnly, SameSite=Lax, Path=/, Secure with the __Host- prefix and a 30-day expiry', async () => {
		const res = await logIn();
		const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
		const attrs = set.split(';').map((a) => a.trim().toLowerCase());
		expect(set.startsWith('__Host-')).toBe(true);
		expect(attrs).toContain('httponly');
		expect(attrs).toContain('samesite=lax');
		expect(attrs).toContain('path=/');
		expect(attrs).toContain('secure');
		// __Host- cookies must not name a domain.
		expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
		const expires = new Date(attrs.find((a) => a.startsWith('expires='))!.slice(8));
		const days = (expires.getTime() - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(29.9);
		expect(days).toBeLessThan(30.1);
		// The cookie carries `<id>.<secret>`; only a hash of the secret is stored.
		const cookie = sessionCookie(res)!;
		const [row] = await app.db
			.select()
			.from(sessions)
			.where(eq(sessions.id, sessionId(cookie)));
		expect(row!.userId).toBe(user.id);
		expect(Buffer.from(row!.secretHash).toString()).not.toContain(cookie.split('.')[1]);
	});
});

describe('refused sessions', () => {
	it('accepts a fresh session (the control for the cases below)', async () => {
		const cookie = sessionCookie(await logIn())!;
		expect((await get(app, '/account', { cookie })).status).toBe(200);
	});

	it('refuses a session idle for more than 30 days', async () => {
		const cookie = sessionCookie(await logIn())!;
		await app.db
			.update(sessions)
			.set({ lastVerifiedAt: sql`now() - interval '31 days'` })
			.where(eq(sessions.id, sessionId(cookie)));
		const res = await get(app, '/account', { cookie });
		expect(res.status).toBe(303);
		expect(location(res)).toBe('/login');
		expect(
			await app.db
				.select()
				.from(sessions)
				.where(eq(sessions.id, sessionId(cookie)))
		).toEqual([]);
	});

	it('refuses a revoked session (row deleted)', async () => {
		const cookie = sessionCookie(await logIn())!;
		await app.db.delete(sessions).where(eq(sessions.id, sessionId(cookie)));
		expect(location(await get(app, '/account', { cookie }))).toBe('/login');
	});

	it('refuses a session after logging out, even if the cookie is replayed', async () => {
		const cookie = sessionCookie(await logIn())!;
		expect(location(await postForm(app, '/logout', {}, { cookie }))).toBe('/login');
		expect(location(await get(app, '/account', { cookie }))).toBe('/login');
	});

	it('refuses a forged secret for a real session id', async () => {
		const cookie = sessionCookie(await logIn())!;
		const forged = `${SESSION_COOKIE}=${sessionId(cookie)}.${'a'.repeat(52)}`;
		expect(location(await get(app, '/account', { cookie: forged }))).toBe('/login');
		// The real one still works: a forgery does not end the session.
		expect((await get(app, '/account', { cookie })).status).toBe(200);
	});

	it('does not accept the cookie without its __Host- prefix in production', async () => {
		const cookie = sessionCookie(await logIn())!;
		const bare = cookie.replace('__Host-', '');
		expect(location(await get(app, '/account', { cookie: bare }))).toBe('/login');
	});
});
