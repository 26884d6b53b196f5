import { fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/forms/validate';
import * as accounts from '$lib/server/auth/accounts';
import { signupForm } from '$lib/server/auth/forms';
import { safeNext } from '$lib/server/auth/next';
import { setSessionCookie, throttled } from '$lib/server/auth/respond';
import * as mail from '$lib/server/mail/mail';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? '/');
};

export const actions = {
	default: async (event) => {
		const form = parseForm(signupForm, await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		const { db, boss, config } = runtime();
		const result = await accounts.signUp(db, {
			...form.data,
			locale: event.locals.locale,
			ip: event.getClientAddress(),
			origin: config.origin,
			userAgent: event.request.headers.get('user-agent') ?? undefined
		});
		const values = { name: form.data.name, email: form.data.email };
		if (!result.ok && result.reason === 'throttled') {
			return throttled(event, { retryAfterSeconds: result.retryAfterSeconds, values });
		}
		if (!result.ok) {
			return fail(400, { values, errors: { email: { key: 'auth.signup.emailTaken' as const } } });
		}
		await mail.dispatch(boss, result.emailId);
		setSessionCookie(event.cookies, result);
		redirect(303, safeNext(event.url.searchParams.get('next')) ?? '/orgs/new');
	}
} satisfies Actions;
