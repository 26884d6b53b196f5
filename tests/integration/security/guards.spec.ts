import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { memberships } from '../../../src/lib/server/db/schema';
import { sections } from '../../../src/params/section';
import type { AppServer } from '../../support/app-server';
import { startApp } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';
import { cookieFor } from './http';
import { listRoutes, urlsFor, type Route } from './routes';

// Walks every route in src/routes and proves its guard against the production build: logged-out
// visitors are sent to /login (pages) or refused (actions, endpoints); a signed-in non-member
// gets 404 for every page and action of an organisation. The routes reachable without a session
// are the allow-list below. A route this spec cannot classify, or whose params it has no sample
// for, fails it: a new route is never skipped silently.

// Reachable without a session (patterns without route groups).
const PUBLIC = new Set([
	'/login',
	'/signup',
	'/forgot-password',
	'/reset-password',
	'/verify-email',
	'/locale',
	'/invite/[token]'
]);
// Outside the (app) group, yet behind a session.
const SIGNED_IN = new Set(['/', '/logout']);

type Kind = 'public' | 'user' | 'member';
function classify(route: Route): Kind | null {
	if (PUBLIC.has(route.pattern)) return 'public';
	if (route.pattern === '/o/[orgId=id]' || route.pattern.startsWith('/o/[orgId=id]/')) {
		return 'member';
	}
	if (route.id.startsWith('/(app)/') || SIGNED_IN.has(route.pattern)) return 'user';
	return null;
}

const routes = listRoutes();

const app: AppServer = await startApp();
afterAll(() => app.stop());

// Organisation A is the target; the outsider belongs to organisation B only.
const owner = await createUser(app.db, { name: 'Chủ Đơn Vị A' });
const orgA = await createOrg(app.db, { ownerId: owner.id, name: 'Đơn vị A' });
const accountant = await createUser(app.db, { name: 'Kế Toán A' });
await addMember(app.db, { orgId: orgA.id, userId: accountant.id, role: 'accountant' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
await createOrg(app.db, { ownerId: outsider.id, name: 'Đơn vị B' });

const cookies = {
	owner: await cookieFor(app, owner.id),
	accountant: await cookieFor(app, accountant.id),
	outsider: await cookieFor(app, outsider.id)
};

const samples = {
	byName: { orgId: [orgA.id], '*': ['sample-token'] } as Record<string, string[]>,
	byMatcher: { id: [uuidv7()], section: [...sections] } as Record<string, string[]>
};

type Call = { url: string; method: string; enhanced?: boolean };

function request({ url, method, enhanced }: Call, cookie?: string) {
	const headers: Record<string, string> = { accept: 'text/html' };
	if (cookie) headers.cookie = cookie;
	if (method === 'GET') return app.fetch(url, { headers });
	headers['content-type'] = 'application/x-www-form-urlencoded';
	if (enhanced) {
		// As use:enhance posts: SvelteKit answers with the action's own result and runs no load,
		// so an action that forgot its guard shows here even when its page's load is guarded.
		headers.accept = 'application/json';
		headers['x-sveltekit-action'] = 'true';
	}
	return app.fetch(url, { method, headers, body: '' });
}

/** What a request came to: its status, and whether it was sent to /login. */
async function outcome(res: Response): Promise<{ status: number; toLogin: boolean }> {
	if ((res.headers.get('content-type') ?? '').includes('application/json')) {
		const body = (await res.json()) as { type: string; status?: number; location?: string };
		if (body.type === 'redirect') {
			return { status: body.status!, toLogin: isLogin(body.location!) };
		}
		// 'success' and 'failure' mean the action ran.
		return {
			status: body.type === 'error' ? res.status : (body.status ?? res.status),
			toLogin: false
		};
	}
	await res.body?.cancel();
	const location = res.headers.get('location');
	return {
		status: res.status,
		toLogin: res.status >= 300 && res.status < 400 && location !== null && isLogin(location)
	};
}

const isLogin = (location: string) => new URL(location, app.origin).pathname === '/login';
const actionUrl = (url: string, action: string) =>
	action === 'default' ? url : `${url}?/${action}`;
const refused = (o: { status: number; toLogin: boolean }) =>
	o.toLogin || [401, 403, 404].includes(o.status);
const describeCall = (c: Call, o: { status: number }) =>
	`${c.method}${c.enhanced ? ' (enhanced)' : ''} ${c.url} → ${o.status}`;

/** Every request the route answers: page GETs, each action's POST, each endpoint method. */
function requestsOf(route: Route): Call[] {
	const urls = urlsFor(route.pattern, samples);
	return urls.flatMap((url) => [
		...(route.page || route.methods.includes('GET') ? [{ url, method: 'GET' }] : []),
		...route.actions.flatMap((a) => [
			{ url: actionUrl(url, a), method: 'POST' },
			{ url: actionUrl(url, a), method: 'POST', enhanced: true }
		]),
		...route.methods
			.filter((m) => m !== 'GET' && m !== 'fallback')
			.map((method) => ({ url, method }))
	]);
}

describe('route walker', () => {
	it('finds the routes it is meant to guard', () => {
		const ids = routes.map((r) => r.id);
		expect(ids).toContain('/(auth)/login');
		expect(ids).toContain('/(app)/account');
		expect(ids).toContain('/(app)/o/[orgId=id]/[section=section]');
		expect(routes.find((r) => r.id === '/(app)/account')!.actions).toContain('logoutEverywhere');
	});

	it('classifies every route (add a new public route to the allow-list on purpose)', () => {
		const unclassified = routes.filter((r) => classify(r) === null).map((r) => r.id);
		expect(unclassified).toEqual([]);
	});

	it('has a sample value for every route param', () => {
		for (const r of routes) expect(() => urlsFor(r.pattern, samples), r.id).not.toThrow();
	});

	it('answers /healthz without a session', async () => {
		expect((await app.fetch('/healthz')).status).toBe(200);
	});
});

for (const route of routes) {
	const kind = classify(route);
	if (!kind) continue; // reported by "classifies every route"
	describe(`${route.id} (${kind})`, () => {
		if (kind === 'public') {
			it('is reachable without a session', async () => {
				for (const url of urlsFor(route.pattern, samples)) {
					const o = await outcome(await request({ url, method: 'GET' }));
					expect(o.toLogin, url).toBe(false);
					expect(o.status, url).toBeLessThan(500);
				}
			});
			return;
		}

		it('sends a logged-out GET to /login and refuses every logged-out write', async () => {
			for (const call of requestsOf(route)) {
				const o = await outcome(await request(call));
				if (call.method === 'GET') expect(o.toLogin, describeCall(call, o)).toBe(true);
				else expect(refused(o), describeCall(call, o)).toBe(true);
			}
		});

		if (kind !== 'member') return;

		it('answers 404 to a signed-in non-member, for every page, action and endpoint', async () => {
			for (const call of requestsOf(route)) {
				const o = await outcome(await request(call, cookies.outsider));
				expect(o.status, describeCall(call, o)).toBe(404);
			}
		});

		// Without this, a URL the walker built wrongly would 404 for everyone and pass the above.
		const onlyOrgParams = [...route.pattern.matchAll(/\[([^\]]+)\]/g)].every(([, p]) =>
			['orgId=id', 'section=section'].includes(p!)
		);
		if (onlyOrgParams) {
			it('is there for members (the URLs above are real)', async () => {
				// Settings › Members' `leave`, posted empty as the accountant, really leaves: join
				// again, or every route walked after it would answer 404 for the wrong reason.
				await app.db
					.insert(memberships)
					.values({ orgId: orgA.id, userId: accountant.id, role: 'accountant' })
					.onConflictDoNothing();
				for (const call of requestsOf(route).filter((c) => !c.enhanced)) {
					const cookie = call.method === 'GET' ? cookies.owner : cookies.accountant;
					const o = await outcome(await request(call, cookie));
					expect([404, 405], describeCall(call, o)).not.toContain(o.status);
					expect(o.toLogin, describeCall(call, o)).toBe(false);
					expect(o.status, describeCall(call, o)).toBeLessThan(500);
				}
			});
		}
	});
}
