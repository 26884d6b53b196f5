import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldError, type FieldErrors } from '$lib/forms/validate';
import * as accounts from '$lib/server/auth/accounts';
import { loginForm } from '$lib/server/auth/forms';
import { safeNext } from '$lib/server/auth/next';
import { setSessionCookie, throttled } from '$lib/server/auth/respond';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? '/');
};

export const actions = {
	default: async (event) => {
		const form = parseForm(loginForm, await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		const { email, password } = form.data;
		const result = await accounts.logIn(runtime().db, {
			email,
			password,
			ip: event.getClientAddress(),
			userAgent: event.request.headers.get('user-agent') ?? undefined
		});
		if (!result.ok && result.reason === 'throttled') {
			return throttled(event, { retryAfterSeconds: result.retryAfterSeconds, values: { email } });
		}
		if (!result.ok) {
			const formError: FieldError = { key: 'auth.login.invalid' };
			return fail(400, { values: { email }, errors: {} as FieldErrors, formError });
		}
		setSessionCookie(event.cookies, result);
		redirect(303, safeNext(event.url.searchParams.get('next')) ?? '/');
	}
} satisfies Actions;
