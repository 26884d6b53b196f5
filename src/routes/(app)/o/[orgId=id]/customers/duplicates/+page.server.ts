import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { FieldErrors } from '$lib/forms/validate';
import type { MessageKey } from '$lib/i18n';
import { requireMember } from '$lib/server/auth/guards';
import * as customers from '$lib/server/customers/customers.repo';
import { EDITORS } from '$lib/server/customers/forms';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Possible duplicates (same normalised phone or email), in groups, each mergeable into the
// record the user keeps.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const groups = await customers.duplicates(runtime().db, {
		orgId: org.id,
		viewer: { userId: user.id, role }
	});
	return {
		groups: groups.map((g) => ({
			...g,
			customers: g.customers.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() }))
		})),
		canEdit: (EDITORS as readonly string[]).includes(role)
	};
};

const mergeSchema = z.object({
	survivorId: z.uuid('customers.error.survivor'),
	customerIds: z.array(z.uuid()).min(2).max(50)
});

// One shape for every answer, so the page reads one type.
type MergeResult = {
	errors?: FieldErrors;
	notice?: { count: number; name: string; deals: number };
};
const refuse = (status: number, key: MessageKey) =>
	fail(status, { errors: { _form: { key } } } satisfies MergeResult);

export const actions: Actions = {
	merge: async (event) => {
		const { user, org } = await requireMember(event, { roles: EDITORS });
		const form = await event.request.formData();
		const parsed = mergeSchema.safeParse({
			survivorId: form.get('survivorId'),
			customerIds: form.getAll('customerId')
		});
		if (!parsed.success || !parsed.data.customerIds.includes(parsed.data.survivorId)) {
			return refuse(400, 'customers.error.survivor');
		}
		const { survivorId, customerIds } = parsed.data;
		const rt = runtime();
		let merged = 0;
		let deals = 0;
		try {
			// One at a time into the survivor: each merge is idempotent, so a retry after a failure
			// part-way finishes the rest.
			for (const mergedId of new Set(customerIds)) {
				if (mergedId === survivorId) continue;
				const done = await customers.merge(rt, {
					orgId: org.id,
					survivorId,
					mergedId,
					by: { userId: user.id },
					locale: org.locale
				});
				if (done.merged) merged++;
				deals += done.repointed;
			}
		} catch (err) {
			if (!customers.isCustomerError(err)) throw err;
			return refuse(err.code === 'not_found' ? 404 : 400, `customers.error.${err.code}`);
		}
		const survivor = await customers.get(rt.db, { orgId: org.id, customerId: survivorId });
		return { notice: { count: merged, name: survivor?.name ?? '', deals } } satisfies MergeResult;
	}
};
