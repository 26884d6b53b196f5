import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { parseForm } from '$lib/forms/validate';
import { requireMember } from '$lib/server/auth/guards';
import { templateSchema } from '$lib/server/customer-mail/forms';
import * as templates from '$lib/server/customer-mail/templates.repo';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Settings › Mẫu email: everyone reads the templates they pick from when emailing a customer;
// owners and managers add, edit, archive and restore them.
export const load: PageServerLoad = async (event) => {
	const { org, role } = await requireMember(event);
	const { db } = runtime();
	await templates.ensureDefaults(db, { orgId: org.id, locale: org.locale });
	const rows = await templates.list(db, { orgId: org.id, archived: true });
	return {
		templates: rows.map((t) => ({
			id: t.id,
			name: t.name,
			subject: t.subject,
			body: t.body,
			archived: t.archivedAt !== null
		})),
		canEdit: orgs.can(role, 'manageSettings')
	};
};

const idForm = z.object({ id: z.uuid() });

function formOf(data: FormData) {
	return {
		id: idForm.safeParse({ id: data.get('id') }),
		form: parseForm(templateSchema, data)
	};
}

export const actions = {
	create: async (event) => {
		const { org, user } = await requireMember(event, { roles: ['owner', 'manager'] });
		const { form } = formOf(await event.request.formData());
		if (!form.ok)
			return fail(400, { action: 'create', id: null, values: form.values, errors: form.errors });
		await templates.create(runtime().db, { orgId: org.id, by: user.id, input: form.data });
		return { action: 'create', done: form.data.name };
	},

	update: async (event) => {
		const { org, user } = await requireMember(event, { roles: ['owner', 'manager'] });
		const { id, form } = formOf(await event.request.formData());
		if (!id.success) return fail(404, { action: 'update', id: null, gone: true });
		if (!form.ok)
			return fail(400, {
				action: 'update',
				id: id.data.id,
				values: form.values,
				errors: form.errors
			});
		const ok = await templates.update(runtime().db, {
			orgId: org.id,
			id: id.data.id,
			by: user.id,
			input: form.data
		});
		if (!ok) return fail(404, { action: 'update', id: id.data.id, gone: true });
		return { action: 'update', done: form.data.name };
	},

	archive: async (event) => archiveAction(event, true),
	restore: async (event) => archiveAction(event, false)
} satisfies Actions;

async function archiveAction(event: Parameters<Actions[string]>[0], archived: boolean) {
	const { org, user } = await requireMember(event, { roles: ['owner', 'manager'] });
	const data = await event.request.formData();
	const id = idForm.safeParse({ id: data.get('id') });
	const action = archived ? 'archive' : 'restore';
	if (!id.success) return fail(404, { action, id: null, gone: true });
	const { db } = runtime();
	const found = await templates.find(db, { orgId: org.id, id: id.data.id });
	const ok =
		found !== null &&
		(await templates.setArchived(db, { orgId: org.id, id: id.data.id, by: user.id, archived }));
	if (!ok) return fail(404, { action, id: id.data.id, gone: true });
	return { action, done: found.name };
}
