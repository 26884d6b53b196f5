import { json } from '@sveltejs/kit';
import type { FollowState } from '$lib/notify/types';
import { dealContext } from '$lib/server/money/respond';
import * as followers from '$lib/server/notify/followers';
import { runtime } from '$lib/server/runtime';
import type { RequestEvent, RequestHandler } from './$types';

// Following a deal (bật thông báo): GET says whether the caller is told of its changes, POST
// follows, DELETE unfollows (which also silences the automatic follow of owners and
// assignees). Only members who may see the deal reach it; everyone else gets 404, as if the
// deal did not exist.

const noStore = { 'cache-control': 'private, no-store' };

async function answer(event: RequestEvent, following?: boolean) {
	const { member, deal } = await dealContext(event);
	const { db } = runtime();
	if (following !== undefined) {
		await followers.setFollowing(db, {
			orgId: member.orgId,
			dealId: deal.id,
			userId: member.userId,
			following
		});
	}
	const body: FollowState = {
		following: await followers.isFollowing(db, { dealId: deal.id, userId: member.userId })
	};
	return json(body, { headers: noStore });
}

export const GET: RequestHandler = (event) => answer(event);
export const POST: RequestHandler = (event) => answer(event, true);
export const DELETE: RequestHandler = (event) => answer(event, false);
