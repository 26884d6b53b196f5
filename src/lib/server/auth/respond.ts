import { fail, type Cookies } from '@sveltejs/kit';
import type { FieldError, FieldErrors } from '$lib/forms/validate';
import type { Locale } from '$lib/i18n';
import { runtime } from '../runtime';
import * as sessions from './session';

// What the account routes share: the session cookie and the answer to a throttled attempt.

export function setSessionCookie(
	cookies: Cookies,
	{ token, expires }: { token: string; expires: Date }
) {
	const secure = runtime().config.secureCookies;
	cookies.set(sessions.cookieName({ secure }), token, sessions.cookieOptions({ secure, expires }));
}

export function clearSessionCookie(cookies: Cookies) {
	const secure = runtime().config.secureCookies;
	// With the same attributes it was set with: a `__Host-` cookie is only replaced by a Secure one.
	cookies.delete(sessions.cookieName({ secure }), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure
	});
}

/** 429 with Retry-After and a message for the form, in the user's language. */
export function throttled(
	{ setHeaders }: { setHeaders: (headers: Record<string, string>) => void },
	{
		retryAfterSeconds,
		values,
		action
	}: { retryAfterSeconds: number; values: Record<string, string>; action?: string }
) {
	setHeaders({ 'retry-after': String(retryAfterSeconds) });
	const formError: FieldError =
		retryAfterSeconds < 90
			? { key: 'auth.throttled.seconds', params: { n: retryAfterSeconds } }
			: { key: 'auth.throttled.minutes', params: { n: Math.ceil(retryAfterSeconds / 60) } };
	return fail(429, { action, values, errors: {} as FieldErrors, formError });
}

/** The language of the logged-out pages; signed-in users' choice lives on their account too. */
export function setLocaleCookie(cookies: Cookies, locale: Locale) {
	cookies.set('chot_locale', locale, {
		path: '/',
		maxAge: 365 * 24 * 60 * 60,
		sameSite: 'lax',
		// Not secret, but no script needs it.
		httpOnly: true,
		secure: runtime().config.secureCookies
	});
}
