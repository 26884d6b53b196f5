import { error, fail, redirect } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as customers from '$lib/server/customers/customers.repo';
import { EDITORS, formValues, readCustomerForm } from '$lib/server/customers/forms';
import { queues, send, type CustomerCardsJobData } from '$lib/server/jobs';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Editing a customer. Accountants only read customers.
export const load: PageServerLoad = async (event) => {
	const { org } = await requireMember(event, { roles: EDITORS });
	const { db } = runtime();
	const customer = await customers.get(db, { orgId: org.id, customerId: event.params.customerId });
	if (!customer) error(404, { message: 'Not found' });
	if (customer.deletedAt) {
		if (customer.mergedInto) {
			redirect(303, `/o/${org.id}/customers/${customer.mergedInto}/edit`);
		}
		error(404, { message: 'Not found' });
	}
	const [owners, options] = await Promise.all([
		customers.assignableOwners(db, { orgId: org.id }),
		customers.filterOptions(db, { orgId: org.id })
	]);
	// A current owner who can no longer own customers (now an accountant) still shows.
	if (customer.ownerId && !owners.some((o) => o.id === customer.ownerId)) {
		owners.push({ id: customer.ownerId, name: customer.ownerName ?? '' });
	}
	return {
		customer: { id: customer.id, name: customer.name },
		values: formValues(customer),
		owners,
		tags: options.tags,
		sources: options.sources
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { org, user } = await requireMember(event, { roles: EDITORS });
		const read = readCustomerForm(await event.request.formData());
		if (!read.ok) return fail(400, { errors: read.errors, values: read.values });
		const { customerId } = event.params;
		const rt = runtime();
		try {
			const saved = await customers.update(rt.db, {
				orgId: org.id,
				customerId,
				fields: read.fields
			});
			if (!saved) {
				return fail(404, {
					errors: { _form: { key: 'customers.error.not_found' as const } },
					values: formValues(read.fields)
				});
			}
		} catch (err) {
			if (!customers.isCustomerError(err)) throw err;
			return fail(400, {
				errors: { ownerId: { key: `customers.error.${err.code}` as const, params: err.params } },
				values: formValues(read.fields)
			});
		}
		// Their deal cards show the saved name (SPEC B24). The customer is saved either way: cards
		// this could not write are left to a job that retries until they show it.
		try {
			await customers.renameOnCards(rt, { orgId: org.id, customerId, by: { userId: user.id } });
		} catch (err) {
			rt.log.warn({ err, customerId }, 'renamed customer not shown on their cards; queued');
			const job: CustomerCardsJobData = { orgId: org.id, customerId, userId: user.id };
			await send(rt.boss, { queue: queues.customerCards, data: job }).catch((sendErr: unknown) =>
				rt.log.error({ err: sendErr, customerId }, 'could not queue the cards of a customer')
			);
		}
		redirect(303, `/o/${org.id}/customers/${customerId}?saved`);
	}
};
