import { fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/forms/validate';
import { requireUser } from '$lib/server/auth/guards';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { CURRENCIES, settingsSchema, timeZoneOptions } from '$lib/server/orgs/settings';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { user } = requireUser(event);
	const mine = await orgs.listForUser(runtime().db, { userId: user.id });
	return {
		back: mine[0]
			? `/o/${(mine.find((o) => o.id === user.activeOrgId) ?? mine[0]).id}/boards`
			: null,
		timeZones: timeZoneOptions({}),
		currencies: CURRENCIES,
		defaults: {
			name: '',
			timeZone: 'Asia/Ho_Chi_Minh',
			currency: 'VND',
			locale: event.locals.locale
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { user } = requireUser(event);
		const parsed = parseForm(settingsSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const org = await orgs.create(runtime().db, { ownerId: user.id, settings: parsed.data });
		redirect(303, `/o/${org.id}/boards`);
	}
};
