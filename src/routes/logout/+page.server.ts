import { redirect } from '@sveltejs/kit';
import * as sessions from '$lib/server/auth/session';
import { clearSessionCookie } from '$lib/server/auth/respond';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Logging out changes state, so only POST does it (a GET could be triggered by any <img>).
export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? '/' : '/login');
};

export const actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) await sessions.invalidate(runtime().db, { sessionId: locals.session.id });
		clearSessionCookie(cookies);
		redirect(303, '/login');
	}
} satisfies Actions;
