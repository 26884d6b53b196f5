import { sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { dealFollows } from '../db/schema';

/**
 * Who is told about one deal: its owner and the assignees of its open tasks (automatically),
 * everyone who chose to follow it, minus whoever chose not to, and only members who may still
 * see the deal (a rep on an own-only pipeline never hears of a colleague's deal).
 */
export async function followersOf(db: Tx, { dealId }: { dealId: string }): Promise<string[]> {
	return (await followersOfDeals(db, { dealIds: [dealId] })).get(dealId) ?? [];
}

/**
 * `followersOf` for many deals in one statement (the notification fan-out handles a batch of
 * changes at once): deal id → its followers. A deal with none, or not in the projection, is
 * absent.
 */
export async function followersOfDeals(
	db: Tx,
	{ dealIds }: { dealIds: readonly string[] }
): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	if (dealIds.length === 0) return out;
	const ids = sql`${sql.param([...dealIds])}::uuid[]`;
	const rows = await db.execute<{ deal_id: string; user_id: string }>(sql`
		with d as (select id, org_id, owner_id, pipeline_id from deals where id = any(${ids})),
		f as (
			select id as deal_id, owner_id as user_id from d
			union select t.deal_id, t.assignee_id from tasks t
				where t.deal_id = any(${ids}) and t.done_at is null and t.deleted_at is null
					and t.assignee_id is not null
			union select f.deal_id, f.user_id from deal_follows f
				where f.deal_id = any(${ids}) and f.following
		)
		select f.deal_id, f.user_id from f
		join d on d.id = f.deal_id
		join memberships m on m.org_id = d.org_id and m.user_id = f.user_id
		where not exists (select 1 from deal_follows x
				where x.deal_id = f.deal_id and x.user_id = f.user_id and not x.following)
			and (m.role <> 'sales' or f.user_id = d.owner_id or exists (
				select 1 from pipeline_settings s
				where s.pipeline_id = d.pipeline_id and s.visibility = 'all'))
		order by f.deal_id, f.user_id`);
	for (const r of rows) {
		const list = out.get(r.deal_id);
		if (list) list.push(r.user_id);
		else out.set(r.deal_id, [r.user_id]);
	}
	return out;
}

export async function isFollowing(db: Tx, { dealId, userId }: { dealId: string; userId: string }) {
	return (await followersOf(db, { dealId })).includes(userId);
}

/** Records a follow or an unfollow; an unfollow also silences the automatic follow. */
export async function setFollowing(
	db: Tx,
	{
		orgId,
		dealId,
		userId,
		following
	}: { orgId: string; dealId: string; userId: string; following: boolean }
) {
	await db
		.insert(dealFollows)
		.values({ orgId, dealId, userId, following })
		.onConflictDoUpdate({
			target: [dealFollows.dealId, dealFollows.userId],
			set: { following, updatedAt: sql`now()` }
		});
}
