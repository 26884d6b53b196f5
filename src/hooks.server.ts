import { error, type Handle, type HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isLocale, negotiate } from '$lib/i18n';
import * as sessions from '$lib/server/auth/session';
import { runtime } from '$lib/server/runtime';
import { isCrossSite } from '$lib/server/security/csrf';

const requestId: Handle = async ({ event, resolve }) => {
	event.locals.requestId =
		event.request.headers.get('x-request-id')?.slice(0, 64) || crypto.randomUUID();
	const started = performance.now();
	const response = await resolve(event);
	response.headers.set('x-request-id', event.locals.requestId);
	// Logging out leaves nothing of the user in this browser: cached pages, IndexedDB documents,
	// the service worker (issue 3). The page also clears them itself (AppShell) for browsers
	// that ignore this header.
	if (event.url.pathname === '/logout' && event.request.method === 'POST') {
		response.headers.set('clear-site-data', '"cache", "storage"');
	}
	response.headers.set('x-content-type-options', 'nosniff');
	if (!response.headers.has('referrer-policy'))
		response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	if (runtime().config.secureCookies && runtime().config.origin.startsWith('https:'))
		response.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	runtime().log.debug(
		{
			reqId: event.locals.requestId,
			method: event.request.method,
			// Invitation links carry their secret in the path; logs must not.
			path: event.url.pathname.replace(/^\/invite\/[^/]+/, '/invite/[redacted]'),
			status: response.status,
			ms: Math.round(performance.now() - started)
		},
		'request'
	);
	return response;
};

// adapter-node's BODY_SIZE_LIMIT is raised to the upload limit (CHOT_MAX_UPLOAD_MB) so files can
// stream to their route, which counts the bytes itself. Every other request keeps a small body:
// a form, a login or a JSON call announcing more than 1 MiB is refused before it is read.
const SMALL_BODY_BYTES = 1024 * 1024;
const UPLOAD_ROUTE = /^\/o\/[0-9a-f-]{36}\/deals\/[0-9a-f-]{36}\/files$/;
const bodyLimit: Handle = async ({ event, resolve }) => {
	const length = Number(event.request.headers.get('content-length') ?? 0);
	if (length > SMALL_BODY_BYTES && !UPLOAD_ROUTE.test(event.url.pathname)) {
		error(413, { message: 'Payload too large' });
	}
	return resolve(event);
};

const csrf: Handle = async ({ event, resolve }) => {
	const { origin } = runtime().config;
	if (isCrossSite({ method: event.request.method, headers: event.request.headers, origin })) {
		error(403, { message: 'Cross-site request refused' });
	}
	return resolve(event);
};

const session: Handle = async ({ event, resolve }) => {
	const { db, config } = runtime();
	const name = sessions.cookieName({ secure: config.secureCookies });
	const token = event.cookies.get(name);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const result = await sessions.validate(db, { token });
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.refreshed) {
				event.cookies.set(
					name,
					token,
					sessions.cookieOptions({ secure: config.secureCookies, expires: result.expires })
				);
			}
		} else {
			event.cookies.delete(name, { path: '/', secure: config.secureCookies });
		}
	}
	return resolve(event);
};

const locale: Handle = async ({ event, resolve }) => {
	const chosen = event.locals.user?.locale ?? event.cookies.get('chot_locale');
	event.locals.locale = isLocale(chosen)
		? chosen
		: negotiate(event.request.headers.get('accept-language'));
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

export const handle = sequence(requestId, bodyLimit, csrf, session, locale);

export const handleError: HandleServerError = ({ error: err, event, status }) => {
	if (status !== 404) {
		runtime().log.error(
			{ err, reqId: event.locals.requestId, path: event.url.pathname },
			'unhandled'
		);
	}
	return {
		message: status === 404 ? 'Not found' : 'Internal error',
		requestId: event.locals.requestId
	};
};
