import { fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { requireMember } from '$lib/server/auth/guards';
import { organisations } from '$lib/server/db/schema';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { parseLostReasons } from '$lib/server/orgs/lost-reasons';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Settings › Deals: the list reps pick from when a deal is lost. Everyone reads; owners and
// managers edit. Deals already lost keep the reason they were given.
export const load: PageServerLoad = async (event) => {
	const { org, role } = await requireMember(event);
	const [row] = await runtime()
		.db.select({ lostReasons: organisations.lostReasons })
		.from(organisations)
		.where(eq(organisations.id, org.id));
	return { lostReasons: row?.lostReasons ?? [], canEdit: orgs.can(role, 'manageSettings') };
};

export const actions: Actions = {
	default: async (event) => {
		const { org } = await requireMember(event, { roles: ['owner', 'manager'] });
		const raw = (await event.request.formData()).get('lostReasons');
		const parsed = parseLostReasons(typeof raw === 'string' ? raw : '');
		if (!parsed.ok) return fail(400, { value: raw, error: parsed.error });
		await runtime()
			.db.update(organisations)
			.set({ lostReasons: parsed.reasons })
			.where(eq(organisations.id, org.id));
		return { saved: true };
	}
};
