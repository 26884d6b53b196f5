import { fail, redirect } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/forms/validate';
import * as accounts from '$lib/server/auth/accounts';
import { localeForm, passwordForm, profileForm } from '$lib/server/auth/forms';
import { requireUser } from '$lib/server/auth/guards';
import { signatureSchema } from '$lib/server/customer-mail/forms';
import { clearSessionCookie, setLocaleCookie, throttled } from '$lib/server/auth/respond';
import * as sessions from '$lib/server/auth/session';
import * as mail from '$lib/server/mail/mail';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { runtime } from '$lib/server/runtime';
import * as users from '$lib/server/users/users.repo';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	const landing = await orgs.landingOrg(runtime().db, {
		userId: user.id,
		preferredOrgId: user.activeOrgId
	});
	return {
		account: {
			name: user.name,
			email: user.email,
			locale: user.locale,
			emailVerified: user.emailVerified,
			signature: (await users.get(runtime().db, { id: user.id }))?.signature ?? ''
		},
		// "Back to the app" goes to the organisation the user works in, or to set one up.
		backHref: landing ? `/o/${landing.id}/boards` : '/orgs/new'
	};
};

// Every action starts with requireUser: actions do not run the page's load, so the guard in
// load does not protect them.
export const actions = {
	profile: async (event) => {
		const { user } = requireUser(event);
		const form = parseForm(profileForm, await event.request.formData());
		if (!form.ok) return fail(400, { action: 'profile', values: form.values, errors: form.errors });
		await users.rename(runtime().db, { userId: user.id, name: form.data.name });
		return { action: 'profile', saved: true };
	},

	locale: async (event) => {
		const { user } = requireUser(event);
		const form = parseForm(localeForm, await event.request.formData());
		if (!form.ok) return fail(400, { action: 'locale', values: form.values, errors: form.errors });
		await users.setLocale(runtime().db, { userId: user.id, locale: form.data.locale });
		// Also for the logged-out pages after this session ends.
		setLocaleCookie(event.cookies, form.data.locale);
		return { action: 'locale', saved: true };
	},

	signature: async (event) => {
		const { user } = requireUser(event);
		const form = parseForm(signatureSchema, await event.request.formData());
		if (!form.ok) {
			return fail(400, { action: 'signature', values: form.values, errors: form.errors });
		}
		await users.setSignature(runtime().db, { userId: user.id, signature: form.data.signature });
		return { action: 'signature', saved: true };
	},

	password: async (event) => {
		const { user, session } = requireUser(event);
		const form = parseForm(passwordForm, await event.request.formData());
		if (!form.ok) {
			return fail(400, { action: 'password', values: form.values, errors: form.errors });
		}
		const result = await accounts.changePassword(runtime().db, {
			userId: user.id,
			email: user.email,
			sessionId: session.id,
			...form.data
		});
		if (!result.ok && result.reason === 'throttled') {
			return throttled(event, {
				retryAfterSeconds: result.retryAfterSeconds,
				values: {},
				action: 'password'
			});
		}
		if (!result.ok) {
			const errors: FieldErrors = { currentPassword: { key: 'auth.account.wrongPassword' } };
			return fail(400, { action: 'password', values: {}, errors });
		}
		// The other sessions are gone; their collab sockets must not outlive them.
		await runtime().disconnectUser({ userId: user.id, reason: 'password changed' });
		return { action: 'password', saved: true };
	},

	resend: async (event) => {
		const { user } = requireUser(event);
		const { db, boss, config } = runtime();
		const result = await accounts.resendVerification(db, {
			userId: user.id,
			origin: config.origin
		});
		if (!result.ok) {
			return throttled(event, {
				retryAfterSeconds: result.retryAfterSeconds,
				values: {},
				action: 'resend'
			});
		}
		if (result.emailId) await mail.dispatch(boss, result.emailId);
		return { action: 'resend', saved: true };
	},

	logoutEverywhere: async (event) => {
		const { user } = requireUser(event);
		const rt = runtime();
		await sessions.invalidateAll(rt.db, { userId: user.id });
		await rt.disconnectUser({ userId: user.id, reason: 'logged out everywhere' });
		clearSessionCookie(event.cookies);
		redirect(303, '/login');
	}
} satisfies Actions;
