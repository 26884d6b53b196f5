import { fail, redirect } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as customers from '$lib/server/customers/customers.repo';
import {
	EDITORS,
	formValues,
	readCustomerForm,
	type CustomerFormValues
} from '$lib/server/customers/forms';
import * as records from '$lib/server/orgs/records';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// A new customer. Accountants only read customers.
export const load: PageServerLoad = async (event) => {
	const { user, org } = await requireMember(event, { roles: EDITORS });
	const { db } = runtime();
	const [owners, options, usage] = await Promise.all([
		customers.assignableOwners(db, { orgId: org.id }),
		customers.filterOptions(db, { orgId: org.id }),
		records.usage(db, { orgId: org.id })
	]);
	const values: CustomerFormValues = {
		kind: 'person',
		name: '',
		phones: [''],
		email: '',
		address: '',
		company: '',
		taxCode: '',
		source: '',
		tags: [],
		notes: '',
		// New customers are the creator's to look after unless they choose someone else.
		ownerId: owners.some((o) => o.id === user.id) ? user.id : ''
	};
	return {
		values,
		owners,
		tags: options.tags,
		sources: options.sources,
		// Warn before typing everything in: the create would be refused.
		limitReached: usage.full ? usage.limit : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { user, org } = await requireMember(event, { roles: EDITORS });
		const read = readCustomerForm(await event.request.formData());
		if (!read.ok) return fail(400, { errors: read.errors, values: read.values });
		let id: string;
		try {
			id = await customers.create(runtime().db, {
				orgId: org.id,
				fields: read.fields,
				createdBy: user.id
			});
		} catch (err) {
			if (!customers.isCustomerError(err)) throw err;
			const field = err.code === 'invalid_owner' ? 'ownerId' : '_form';
			return fail(err.code === 'record_limit' ? 409 : 400, {
				errors: { [field]: { key: `customers.error.${err.code}` as const, params: err.params } },
				values: formValues(read.fields)
			});
		}
		redirect(303, `/o/${org.id}/customers/${id}?created`);
	}
};
