import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/forms/validate';
import { localeForm } from '$lib/server/auth/forms';
import { safeNext } from '$lib/server/auth/next';
import { setLocaleCookie } from '$lib/server/auth/respond';
import { runtime } from '$lib/server/runtime';
import * as users from '$lib/server/users/users.repo';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	redirect(303, '/');
};

// The language switcher of the logged-out pages: a cookie, and for a signed-in user their account.
export const actions = {
	default: async ({ request, cookies, locals }) => {
		const form = parseForm(localeForm, await request.formData());
		// Nothing to show for a bad value (no page here): keep the language and go back.
		if (!form.ok) redirect(303, safeNext(form.values.next) ?? '/');
		setLocaleCookie(cookies, form.data.locale);
		if (locals.user) {
			await users.setLocale(runtime().db, { userId: locals.user.id, locale: form.data.locale });
		}
		redirect(303, safeNext(form.data.next) ?? '/');
	}
} satisfies Actions;
