import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireMember } from '$lib/server/auth/guards';
import { reassignDeal, ReassignRefused } from '$lib/server/deals/reassign';
import { translate } from '$lib/i18n';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

const body = z.object({ fromOwnerId: z.uuid(), toOwnerId: z.uuid() });

const status = {
	not_found: 404,
	forbidden: 403,
	invalid_owner: 422,
	already_moved: 409,
	same_owner: 422
} as const;

// Reassigning a deal's owner moves it to another shard, which only the server can do (a client
// may write at most its own shard). JSON in, JSON out, messages in the user's language.
export const POST: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const locale = event.locals.locale;
	const parsed = body.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) {
		return json({ message: translate(locale, 'board.owner.invalid') }, { status: 400 });
	}
	try {
		const result = await reassignDeal(runtime(), {
			orgId: org.id,
			pipelineId: event.params.pipelineId,
			dealId: event.params.dealId,
			...parsed.data,
			by: { userId: user.id, role },
			notify: {
				dealUrl: `${event.url.origin}/o/${org.id}/boards/${event.params.pipelineId}?deal=${event.params.dealId}`
			}
		});
		return json(result);
	} catch (err) {
		if (!(err instanceof ReassignRefused)) throw err;
		if (err.code === 'not_found') error(404, { message: 'Not found' });
		return json(
			{ message: translate(locale, `board.owner.${err.code}`) },
			{ status: status[err.code] }
		);
	}
};
