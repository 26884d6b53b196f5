import { error, fail, redirect } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as customers from '$lib/server/customers/customers.repo';
import { EDITORS } from '$lib/server/customers/forms';
import * as receivables from '$lib/server/receivables/receivables.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// A customer's page: details, the deals the viewer may see, payments and contacts.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const orgId = org.id;
	const { customerId } = event.params;
	const customer = await customers.get(db, { orgId, customerId });
	if (!customer) error(404, { message: 'Not found' });
	if (customer.deletedAt) {
		// A merged customer lives on in the one it was merged into.
		if (customer.mergedInto) redirect(303, `/o/${orgId}/customers/${customer.mergedInto}`);
		error(404, { message: 'Not found' });
	}
	const viewer = { userId: user.id, role };
	const money = { orgId, userId: user.id, role };
	const [deals, duplicate, contacts, payments, receivable] = await Promise.all([
		customers.dealsOf(db, { orgId, customerId, viewer }),
		customers.isDuplicate(db, { orgId, customerId }),
		customers.contactsOf(db, { orgId, customerId, viewer }),
		receivables.customerPayments(db, { viewer: money, customerId }),
		receivables.customerReceivable(db, { viewer: money, timeZone: org.timeZone, customerId })
	]);
	return {
		customer: {
			id: customer.id,
			kind: customer.kind,
			name: customer.name,
			phones: customer.phones,
			email: customer.email,
			address: customer.address,
			company: customer.company,
			taxCode: customer.taxCode,
			source: customer.source,
			tags: customer.tags,
			notes: customer.notes,
			ownerName: customer.ownerName,
			createdAt: customer.createdAt.toISOString()
		},
		deals: deals.map((d) => ({ ...d, updatedAt: d.updatedAt.toISOString() })),
		contacts,
		money: { payments, receivable },
		duplicate,
		canEdit: (EDITORS as readonly string[]).includes(role),
		notice: event.url.searchParams.has('created')
			? ('customers.created' as const)
			: event.url.searchParams.has('saved')
				? ('customers.saved' as const)
				: null
	};
};

export const actions: Actions = {
	// Soft delete: the customer's deals keep naming them and show their snapshot of the name.
	delete: async (event) => {
		const { org } = await requireMember(event, { roles: EDITORS });
		const done = await customers.softDelete(runtime().db, {
			orgId: org.id,
			customerId: event.params.customerId
		});
		if (!done)
			return fail(404, { errors: { _form: { key: 'customers.error.not_found' as const } } });
		redirect(303, `/o/${org.id}/customers?deleted=${event.params.customerId}`);
	}
};
