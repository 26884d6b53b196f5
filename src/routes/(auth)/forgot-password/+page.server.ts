import { fail } from '@sveltejs/kit';
import { parseForm } from '$lib/forms/validate';
import * as accounts from '$lib/server/auth/accounts';
import { forgotForm } from '$lib/server/auth/forms';
import { throttled } from '$lib/server/auth/respond';
import * as mail from '$lib/server/mail/mail';
import { runtime } from '$lib/server/runtime';
import type { Actions } from './$types';

export const actions = {
	default: async (event) => {
		const form = parseForm(forgotForm, await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, errors: form.errors });
		const { email } = form.data;
		const { db, boss, config } = runtime();
		const result = await accounts.requestReset(db, {
			email,
			ip: event.getClientAddress(),
			origin: config.origin
		});
		if (!result.ok) {
			return throttled(event, { retryAfterSeconds: result.retryAfterSeconds, values: { email } });
		}
		if (result.emailId) await mail.dispatch(boss, result.emailId);
		// The same answer whether or not the email has an account.
		return { sent: email };
	}
} satisfies Actions;
