import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/forms/validate';
import * as accounts from '$lib/server/auth/accounts';
import * as emailTokens from '$lib/server/auth/email-tokens';
import { resetForm } from '$lib/server/auth/forms';
import { setSessionCookie } from '$lib/server/auth/respond';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, setHeaders }) => {
	// The token travels in the URL: keep it out of Referer headers. (The load also runs after a
	// failed action, which therefore must not set this header a second time.)
	setHeaders({ 'referrer-policy': 'no-referrer' });
	const token = url.searchParams.get('token') ?? '';
	// Only looked at, not used: mail scanners open links, and the user has not chosen a password yet.
	const state = await emailTokens.inspect(runtime().db, { token, kind: 'reset_password' });
	return {
		token,
		linkState:
			state.status === 'valid'
				? ('valid' as const)
				: state.status === 'expired'
					? ('expired' as const)
					: ('invalid' as const)
	};
};

export const actions = {
	default: async (event) => {
		const form = parseForm(resetForm, await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		const { db } = runtime();
		const result = await accounts.resetPassword(db, {
			...form.data,
			userAgent: event.request.headers.get('user-agent') ?? undefined
		});
		if (!result.ok) {
			return fail(400, {
				values: {} as Record<string, string>,
				errors: {} as FieldErrors,
				linkState: result.reason
			});
		}
		// Whoever held the old password is out, including sockets on other instances.
		await runtime().disconnectUser({ userId: result.userId, reason: 'password reset' });
		setSessionCookie(event.cookies, result);
		redirect(303, '/');
	}
} satisfies Actions;
