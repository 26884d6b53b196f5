import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guards';
import { notificationChannels, notificationTypes } from '$lib/server/db/schema';
import * as notes from '$lib/server/notify/notifications.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// How the user wants to hear of each kind of notification (in the app, also by email, or
// not at all). One choice per user, for every organisation they belong to.

const channel = z.enum(notificationChannels, { message: 'notify.prefs.invalid' });
const prefsForm = z.object(
	Object.fromEntries(notificationTypes.map((t) => [t, channel])) as Record<
		(typeof notificationTypes)[number],
		typeof channel
	>
);

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	return {
		types: notificationTypes,
		channels: notificationChannels,
		prefs: await notes.prefs(runtime().db, { userId: user.id })
	};
};

export const actions = {
	default: async (event) => {
		const { user } = requireUser(event);
		const raw = Object.fromEntries(await event.request.formData().catch(() => new FormData()));
		const parsed = prefsForm.safeParse(raw);
		// Every choice comes back as sent, so a refused form loses nothing.
		const values = Object.fromEntries(
			Object.entries(raw).filter(([, v]) => typeof v === 'string')
		) as Record<string, string>;
		if (!parsed.success) {
			const errors = Object.fromEntries(
				parsed.error.issues.map((i) => [String(i.path[0]), 'notify.prefs.invalid'])
			);
			return fail(400, { values, errors });
		}
		await notes.savePrefs(runtime().db, { userId: user.id, channels: parsed.data });
		return { saved: true };
	}
} satisfies Actions;
