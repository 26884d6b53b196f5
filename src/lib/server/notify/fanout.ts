import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { ChangeItem } from '$lib/notify/describe';
import type { Db, Tx } from '../db';
import { dispatchInTx } from '../mail/mail';
import { channelOf, mailNotification } from './notify';
import { followersOfDeals } from './followers';

/** Followers get at most one notification per deal per this window; later changes join it. */
export const BATCH_WINDOW_MS = 5 * 60_000;

type Change = {
	seq: number;
	org_id: string;
	deal_id: string;
	kind: string;
	actor_id: string | null;
	detail: Record<string, unknown>;
	created_at: Date;
};

/**
 * Turns pending `deal_changes` rows into followers' notifications (issue 6, Follow). One
 * transaction per batch: the rows are locked (`skip locked`, so two workers share the work),
 * each follower but the actor gets the change appended to their open notification for the deal
 * (or a new one, open for BATCH_WINDOW_MS), and the rows are marked done. A crash rolls all of
 * it back, so a change is never told twice or lost. Returns how many rows it handled.
 */
export async function fanOutChanges(db: Db, { limit = 500 } = {}): Promise<number> {
	return db.transaction(async (tx) => {
		const changes = await tx.execute<Change>(sql`
			select seq, org_id, deal_id, kind, actor_id, detail, created_at from deal_changes
			where fanned_out_at is null order by seq limit ${limit} for update skip locked`);
		if (changes.length === 0) return 0;

		const names = await namesFor(tx, changes);
		const byDeal = new Map<string, Change[]>();
		for (const c of changes) byDeal.set(c.deal_id, [...(byDeal.get(c.deal_id) ?? []), c]);

		// Titles and followers of the whole batch in two statements, not two per deal: a busy
		// board's batch names hundreds of deals.
		const dealIds = [...byDeal.keys()];
		const [titles, followers] = await Promise.all([
			tx.execute<{ id: string; title: string }>(
				sql`select id, title from deals where id = any(${sql.param(dealIds)}::uuid[])`
			),
			followersOfDeals(tx, { dealIds })
		]);
		const titleOf = new Map(titles.map((d) => [d.id, d.title]));
		for (const [dealId, list] of byDeal) {
			const title = titleOf.get(dealId);
			if (title === undefined) continue; // a deal gone from the projection: nobody to tell
			for (const userId of followers.get(dealId) ?? []) {
				const items: ChangeItem[] = list
					.filter((c) => c.actor_id !== userId && !quiet(c))
					.map((c) => ({
						kind: c.kind,
						// null for Chốt's own changes, absent for a person not known any more.
						actor: c.actor_id ? names.users.get(c.actor_id) : null,
						at: new Date(c.created_at).toISOString(),
						detail: withNames(c, names)
					}));
				if (items.length === 0) continue;
				await appendToWindow(tx, {
					orgId: list[0]!.org_id,
					dealId,
					userId,
					title,
					items
				});
			}
		}
		await tx.execute(sql`
			update deal_changes set fanned_out_at = now()
			where seq = any(${sql.param(changes.map((c) => String(c.seq)))}::bigint[])`);
		return changes.length;
	});
}

async function appendToWindow(
	tx: Tx,
	{
		orgId,
		dealId,
		userId,
		title,
		items
	}: { orgId: string; dealId: string; userId: string; title: string; items: ChangeItem[] }
) {
	const channel = await channelOf(tx, { userId, type: 'deal_changes' });
	if (channel === 'off') return;
	const updated = await tx.execute<{ id: string }>(sql`
		update notifications set
			data = jsonb_set(data || jsonb_build_object('dealTitle', ${title}::text), '{items}',
				coalesce(data->'items', '[]'::jsonb) || ${JSON.stringify(items)}::jsonb),
			read_at = null, updated_at = now()
		where id = (select id from notifications
			where user_id = ${userId} and deal_id = ${dealId} and type = 'deal_changes'
				and window_ends_at > now()
			order by created_at desc limit 1)
		returning id`);
	if (updated.length > 0) return;
	await tx.execute(sql`
		insert into notifications
			(id, org_id, user_id, type, key, deal_id, data, link, window_ends_at, email_pending)
		values (gen_random_uuid(), ${orgId}, ${userId}, 'deal_changes',
			${`deal:${dealId}:${Date.now()}`}, ${dealId},
			${JSON.stringify({ dealTitle: title, items })}::jsonb,
			${`/o/${orgId}/deals/${dealId}`},
			now() + ${`${BATCH_WINDOW_MS} milliseconds`}::interval, ${channel === 'email'})
		on conflict (user_id, key) do nothing`);
}

/**
 * Emails the change notifications whose window has closed, for users who want mail: one email
 * per window, with every change it gathered, its delivery job in the same transaction.
 */
export async function mailClosedWindows(
	{ db, boss, config }: { db: Db; boss: PgBoss; config: { origin: string } },
	{ limit = 200 }: { limit?: number } = {}
): Promise<number> {
	return db.transaction(async (tx) => {
		const due = await tx.execute<{
			id: string;
			org_id: string;
			user_id: string;
			data: Record<string, unknown>;
			link: string | null;
		}>(sql`
			select id, org_id, user_id, data, link from notifications
			where email_pending and window_ends_at <= now()
			order by window_ends_at limit ${limit} for update skip locked`);
		for (const n of due) {
			const emailId = await mailNotification(tx, {
				notificationId: n.id,
				origin: config.origin,
				orgId: n.org_id,
				userId: n.user_id,
				type: 'deal_changes',
				data: n.data,
				link: n.link
			});
			if (emailId) await dispatchInTx(boss, tx, emailId);
			await tx.execute(sql`update notifications set email_pending = false where id = ${n.id}`);
		}
		return due.length;
	});
}

type Names = { users: Map<string, string>; stages: Map<string, string> };

async function namesFor(tx: Tx, changes: Change[]): Promise<Names> {
	const userIds = new Set<string>();
	const stageIds = new Set<string>();
	for (const c of changes) {
		if (c.actor_id) userIds.add(c.actor_id);
		if (c.kind === 'owner' && typeof c.detail.to === 'string') userIds.add(c.detail.to);
		if (c.kind === 'stage' && typeof c.detail.to === 'string') stageIds.add(c.detail.to);
	}
	const users = userIds.size
		? await tx.execute<{ id: string; name: string }>(
				sql`select id, name from users where id = any(${sql.param([...userIds])}::uuid[])`
			)
		: [];
	const stages = stageIds.size
		? await tx.execute<{ id: string; name: string }>(
				sql`select distinct on (id) id, name from stages where id = any(${sql.param([...stageIds])}::uuid[])`
			)
		: [];
	return {
		users: new Map(users.map((u) => [u.id, u.name])),
		stages: new Map(stages.map((s) => [s.id, s.name]))
	};
}

/**
 * Changes kept in the deal's history but told to nobody here:
 * - the server giving a card the name of the existing customer its typed phone belongs to (SPEC
 *   B24). The rep sees it on the card; as a notification it read as someone else changing their
 *   fresh card.
 * - a standby deal back on the board on its date. Its owner and followers get the
 *   `standby_reopened` notice for it (notify/due.ts), which says more; this would repeat it.
 */
function quiet(c: Change) {
	if (c.actor_id !== null) return false;
	if (c.kind === 'customer') return true;
	return c.kind === 'status' && c.detail.from === 'standby' && c.detail.to === 'open';
}

function withNames(c: Change, names: Names): Record<string, unknown> {
	if (c.kind === 'stage' && typeof c.detail.to === 'string')
		return { ...c.detail, toName: names.stages.get(c.detail.to) ?? null };
	if (c.kind === 'owner' && typeof c.detail.to === 'string')
		return { ...c.detail, toName: names.users.get(c.detail.to) ?? null };
	return c.detail;
}
