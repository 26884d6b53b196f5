import type { AppServer } from '../../support/app-server';
import * as session from '../../../src/lib/server/auth/session';

// Small HTTP helpers for the account and security specs (production build, so the session
// cookie carries the `__Host-` prefix).
export const SESSION_COOKIE = '__Host-chot_session';

export function postForm(
	app: AppServer,
	path: string,
	fields: Record<string, string>,
	{ cookie, headers = {} }: { cookie?: string; headers?: Record<string, string> } = {}
) {
	return app.fetch(path, {
		method: 'POST',
		body: new URLSearchParams(fields),
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			// As a browser's own form submission; SvelteKit answers `*/*` with JSON for use:enhance.
			accept: 'text/html',
			...(cookie ? { cookie } : {}),
			...headers
		}
	});
}

export function get(app: AppServer, path: string, { cookie }: { cookie?: string } = {}) {
	return app.fetch(path, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
}

/** The session cookie a response sets, as a `Cookie` header value, or null. */
export function sessionCookie(res: Response): string | null {
	const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
	const value = set?.split(';')[0];
	return value && value !== `${SESSION_COOKIE}=` ? value : null;
}

/** A session made directly in the database, for specs whose subject is not logging in. */
export async function cookieFor(app: AppServer, userId: string) {
	const { token } = await session.create(app.db, { userId });
	return `${SESSION_COOKIE}=${token}`;
}

export function location(res: Response) {
	const l = res.headers.get('location');
	return l === null ? null : new URL(l, 'http://x').pathname;
}

/** The link an email's text carries to one of our pages, relative to the app. */
export function linkIn(text: string, path: string) {
	const m = new RegExp(`https?://[^\\s]+(${path.replace('/', '\\/')}\\?token=[^\\s]+)`).exec(text);
	if (!m) throw new Error(`no ${path} link in:\n${text}`);
	return m[1]!;
}
