import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireMember } from '$lib/server/auth/guards';
import * as notes from '$lib/server/notify/notifications.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// The notification list: newest change first, a page at a time, unread only on request. The
// forms work without JavaScript; with it, the bell's live stream refreshes the counts.

const query = z.object({
	page: z.coerce.number().int().min(1).max(100_000).catch(1),
	unread: z
		.string()
		.optional()
		.transform((v) => v === '1')
});

const readForm = z.object({
	id: z.uuid(),
	// "0" marks it unread again.
	read: z.enum(['1', '0']).default('1')
});

export const load: PageServerLoad = async (event) => {
	const { user, org } = await requireMember(event);
	const q = query.parse(Object.fromEntries(event.url.searchParams));
	const found = await notes.list(runtime().db, {
		userId: user.id,
		orgId: org.id,
		page: q.page,
		unreadOnly: q.unread
	});
	// `now` lets the server and the browser write the same "5 phút trước" while hydrating.
	return { ...found, page: q.page, unreadOnly: q.unread, now: Date.now() };
};

export const actions = {
	read: async (event) => {
		const { user, org } = await requireMember(event);
		const form = await event.request.formData().catch(() => null);
		const parsed = readForm.safeParse(Object.fromEntries(form ?? []));
		if (!parsed.success) return fail(400, { action: 'read', error: 'notify.error.invalid' });
		const found = await notes.mark(runtime().db, {
			userId: user.id,
			orgId: org.id,
			id: parsed.data.id,
			read: parsed.data.read === '1'
		});
		if (!found) return fail(404, { action: 'read', error: 'notify.error.notFound' });
		return { action: 'read', id: parsed.data.id, read: parsed.data.read === '1' };
	},

	readAll: async (event) => {
		const { user, org } = await requireMember(event);
		const marked = await notes.markAllRead(runtime().db, { userId: user.id, orgId: org.id });
		return { action: 'readAll', marked };
	}
} satisfies Actions;
