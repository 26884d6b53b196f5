import { fail } from '@sveltejs/kit';
import { parseForm } from '$lib/forms/validate';
import { requireMember } from '$lib/server/auth/guards';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { CURRENCIES, settingsSchema, timeZoneOptions } from '$lib/server/orgs/settings';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Settings › General: everyone reads, owners and managers edit.
export const load: PageServerLoad = async (event) => {
	const { org, role } = await requireMember(event);
	return {
		settings: {
			name: org.name,
			timeZone: org.timeZone,
			currency: org.currency,
			locale: org.locale
		},
		canEdit: orgs.can(role, 'manageSettings'),
		timeZones: timeZoneOptions({ current: org.timeZone }),
		currencies: CURRENCIES
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { org } = await requireMember(event, { roles: ['owner', 'manager'] });
		const parsed = parseForm(settingsSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		await orgs.updateSettings(runtime().db, { orgId: org.id, settings: parsed.data });
		return { saved: true };
	}
};
