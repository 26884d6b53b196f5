import http from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { createUser } from '../../support/factories';
import { cookieFor } from './http';

// Cross-site writes are refused whatever their content type, against the production build.
// Requests go through node:http so that exactly the headers listed are sent (fetch
// implementations may add their own).
const app = await startApp();
afterAll(() => app.stop());

const user = await createUser(app.db, { name: 'Tên Ban Đầu' });
const cookie = await cookieFor(app, user.id);

function raw(
	path: string,
	{ headers, body }: { headers: Record<string, string>; body: string }
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${app.origin}${path}`,
			{ method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
			(res) => {
				let data = '';
				res.on('data', (c) => (data += c));
				res.on('end', () => resolve({ status: res.statusCode!, body: data }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

const boundary = '----chot-test-boundary';
const bodies: { type: string; body: string }[] = [
	{ type: 'application/x-www-form-urlencoded', body: 'name=Hacked' },
	{ type: 'APPLICATION/X-WWW-FORM-URLENCODED', body: 'name=Hacked' },
	{
		type: `multipart/form-data; boundary=${boundary}`,
		body: `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nHacked\r\n--${boundary}--\r\n`
	},
	{ type: 'text/plain', body: 'name=Hacked' },
	{ type: 'TEXT/PLAIN', body: 'name=Hacked' },
	{ type: 'application/json', body: '{"name":"Hacked"}' }
];

const origins: { label: string; headers: Record<string, string> }[] = [
	{ label: 'a foreign Origin', headers: { origin: 'https://evil.example' } },
	{ label: 'Origin null', headers: { origin: 'null' } },
	{ label: 'a lookalike Origin', headers: { origin: `${app.origin}.evil.example` } },
	{
		label: 'Sec-Fetch-Site cross-site',
		headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }
	},
	{ label: 'no Origin and no Sec-Fetch-Site', headers: {} }
];

// A form action that changes state (/account?/profile renames), a public one (/login: login
// CSRF) and logging out.
const targets = ['/account?/profile', '/login', '/logout'];

describe('cross-site writes', () => {
	for (const { label, headers } of origins) {
		it(`refuses ${label} for every content type and target`, async () => {
			for (const target of targets) {
				for (const { type, body } of bodies) {
					const res = await raw(target, {
						headers: { ...headers, cookie, 'content-type': type, accept: 'text/html' },
						body
					});
					expect(res.status, `${type} → ${target}`).toBe(403);
				}
			}
			// Nothing happened: the name is unchanged and the session still exists.
			const [row] = await app.db.select().from(users).where(eq(users.id, user.id));
			expect(row!.name).toBe('Tên Ban Đầu');
			expect(await app.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(
				1
			);
		});
	}

	it('accepts the same write from our own origin (the control)', async () => {
		// What a browser sends for its own form post: Origin, and Sec-Fetch-Site where supported.
		const browsers: Record<string, string>[] = [
			{ origin: app.origin },
			{ origin: app.origin, 'sec-fetch-site': 'same-origin' }
		];
		for (const headers of browsers) {
			const res = await raw('/account?/profile', {
				headers: {
					...headers,
					cookie,
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'text/html'
				},
				body: 'name=T%C3%AAn+M%E1%BB%9Bi'
			});
			expect(res.status).toBe(200);
		}
		const [row] = await app.db.select().from(users).where(eq(users.id, user.id));
		expect(row!.name).toBe('Tên Mới');
	});
});
