import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { Runtime } from '../runtime';
import { now as clockNow } from '../clock';
import { tellOnce } from './notify';

type Rt = Pick<Runtime, 'db' | 'boss' | 'log' | 'config'>;

/**
 * Open deals with no contact-log entry for longer than their stage's rot days (issue 6, Idle
 * deals): counted from the last contact with the customer (`deal_activities.at`), or from the
 * deal's creation when there was none, never from the last edit.
 */
export async function idleDeals(
	db: Db,
	{ orgId, at = clockNow() }: { orgId: string; at?: Date }
): Promise<{ id: string; title: string; owner_id: string; days: number }[]> {
	return db.execute<{ id: string; title: string; owner_id: string; days: number }>(sql`
		select d.id, d.title, d.owner_id,
			floor(extract(epoch from (${at.toISOString()}::timestamptz
				- coalesce(a.last_at, d.created_at))) / 86400)::int as days
		from deals d
		join stages s on s.id = d.stage_id and s.pipeline_id = d.pipeline_id
		left join lateral (select max(at) as last_at from deal_activities where deal_id = d.id) a
			on true
		where d.org_id = ${orgId} and d.status = 'open' and s.rot_days > 0
			and coalesce(a.last_at, d.created_at)
				< ${at.toISOString()}::timestamptz - make_interval(days => s.rot_days)
		order by days desc, d.title`);
}

/** The local day (YYYY-MM-DD) and weekday (1 = Monday) of an instant in a time zone. */
function localDay(at: Date, timeZone: string) {
	const day = new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
	const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
	return { day, weekday };
}

/**
 * The daily list of idle deals to each owner, once per owner and local day. Run every morning
 * (and safe to run again: the key is claimed with the notification).
 */
export async function sendIdleDigests(rt: Rt, { at = clockNow() }: { at?: Date } = {}) {
	const orgs = await rt.db.execute<{ id: string; time_zone: string }>(
		sql`select id, time_zone from organisations`
	);
	let sent = 0;
	for (const org of orgs) {
		const { day } = localDay(at, org.time_zone);
		const byOwner = new Map<string, { dealId: string; title: string; days: number }[]>();
		for (const d of await idleDeals(rt.db, { orgId: org.id, at })) {
			const list = byOwner.get(d.owner_id) ?? [];
			list.push({ dealId: d.id, title: d.title, days: d.days });
			byOwner.set(d.owner_id, list);
		}
		for (const [userId, items] of byOwner) {
			const told = await rt.db.transaction((tx) =>
				tellOnce(rt, tx, {
					key: `idle:${org.id}:${userId}:${day}`,
					orgId: org.id,
					userIds: [userId],
					notice: {
						type: 'idle_digest',
						data: { day, items },
						link: `/o/${org.id}/deals?owner=${userId}`
					}
				})
			);
			if (told) sent += 1;
		}
	}
	return sent;
}

/**
 * The weekly digest of contracts ending in the next 30 days, to each organisation's owners and
 * managers, once per local week (keyed by its Monday).
 */
export async function sendContractDigests(rt: Rt, { at = clockNow() }: { at?: Date } = {}) {
	const orgs = await rt.db.execute<{ id: string; time_zone: string }>(
		sql`select id, time_zone from organisations`
	);
	let sent = 0;
	for (const org of orgs) {
		const { day, weekday } = localDay(at, org.time_zone);
		const monday = new Date(Date.parse(`${day}T00:00:00Z`) - (weekday - 1) * 86_400_000)
			.toISOString()
			.slice(0, 10);
		const items = await rt.db.execute<{
			contractId: string;
			number: string;
			endsOn: string;
			dealTitle: string | null;
		}>(sql`
			select c.id as "contractId", c.number, c.ends_on::text as "endsOn", d.title as "dealTitle"
			from contracts c left join deals d on d.id = c.deal_id
			where c.org_id = ${org.id} and c.status = 'active'
				and c.ends_on between ${day}::date and ${day}::date + 30
			order by c.ends_on, c.number`);
		if (items.length === 0) continue;
		const managers = await rt.db.execute<{ user_id: string }>(sql`
			select user_id from memberships where org_id = ${org.id} and role in ('owner', 'manager')`);
		for (const m of managers) {
			const told = await rt.db.transaction((tx) =>
				tellOnce(rt, tx, {
					key: `contracts-week:${org.id}:${m.user_id}:${monday}`,
					orgId: org.id,
					userIds: [m.user_id],
					notice: {
						type: 'contracts_digest',
						data: { week: monday, items: [...items] },
						link: `/o/${org.id}/contracts`
					}
				})
			);
			if (told) sent += 1;
		}
	}
	return sent;
}
