import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { NotificationItem } from '$lib/notify/types';
import type { Tx } from '../db';
import { notificationPrefs, notifications, type NotificationChannel } from '../db/schema';
import { defaultChannels } from './notify';

// The reader's side of notifications: the bell's feed, the list page, read marks and the
// per-type preferences. Every verb is scoped by user and organisation, so one member never
// reads or marks another's notifications.

type Owner = { userId: string; orgId: string };

/** How many the bell's popover shows. */
export const FEED_SIZE = 10;
export const PAGE_SIZE = 25;

const columns = {
	id: notifications.id,
	type: notifications.type,
	data: notifications.data,
	link: notifications.link,
	readAt: notifications.readAt,
	updatedAt: notifications.updatedAt
};

type Row = {
	id: string;
	type: string;
	data: Record<string, unknown>;
	link: string | null;
	readAt: Date | null;
	updatedAt: Date;
};

function toItem(r: Row): NotificationItem {
	return {
		id: r.id,
		type: r.type,
		data: r.data,
		link: r.link,
		read: r.readAt !== null,
		at: r.updatedAt.toISOString()
	};
}

const mine = ({ userId, orgId }: Owner) =>
	and(eq(notifications.userId, userId), eq(notifications.orgId, orgId));

/** The bell: the unread count and the latest few, newest change first. */
export async function feed(db: Tx, owner: Owner) {
	const [rows, [unread]] = await Promise.all([
		db
			.select(columns)
			.from(notifications)
			.where(mine(owner))
			.orderBy(desc(notifications.updatedAt), desc(notifications.id))
			.limit(FEED_SIZE),
		db
			.select({ n: count() })
			.from(notifications)
			.where(and(mine(owner), isNull(notifications.readAt)))
	]);
	return { unread: unread?.n ?? 0, items: rows.map(toItem) };
}

/** One page of the list, newest change first; `unreadOnly` leaves out what was read. */
export async function list(
	db: Tx,
	{ page, unreadOnly, ...owner }: Owner & { page: number; unreadOnly: boolean }
) {
	const where = unreadOnly ? and(mine(owner), isNull(notifications.readAt)) : mine(owner);
	// One more than a page tells whether there is a next one without counting everything.
	const rows = await db
		.select(columns)
		.from(notifications)
		.where(where)
		.orderBy(desc(notifications.updatedAt), desc(notifications.id))
		.limit(PAGE_SIZE + 1)
		.offset((page - 1) * PAGE_SIZE);
	return { items: rows.slice(0, PAGE_SIZE).map(toItem), hasMore: rows.length > PAGE_SIZE };
}

/** Marks one notification read or unread; false when it is not the caller's. */
export async function mark(db: Tx, { id, read, ...owner }: Owner & { id: string; read: boolean }) {
	const rows = await db
		.update(notifications)
		// A read mark keeps the first time it was read; updated_at is left alone so the list
		// keeps its order (it sorts by the last change to what the notification says).
		.set({ readAt: read ? sql`coalesce(${notifications.readAt}, now())` : null })
		.where(and(mine(owner), eq(notifications.id, id)))
		.returning({ id: notifications.id });
	return rows.length === 1;
}

export async function markAllRead(db: Tx, owner: Owner) {
	const rows = await db
		.update(notifications)
		.set({ readAt: sql`now()` })
		.where(and(mine(owner), isNull(notifications.readAt)))
		.returning({ id: notifications.id });
	return rows.length;
}

/**
 * Whether a live stream may keep going: the session still exists and the user is still a
 * member (a stream outlives the request that checked both at its start).
 */
export async function streamAllowed(
	db: Tx,
	{ sessionId, userId, orgId }: Owner & { sessionId: string }
) {
	const [row] = await db.execute<{ ok: boolean }>(sql`
		select exists (select 1 from sessions where id = ${sessionId} and user_id = ${userId})
			and exists (select 1 from memberships where org_id = ${orgId} and user_id = ${userId})
			as ok`);
	return row?.ok === true;
}

/** Every type with the user's channel, the default where they never chose. */
export async function prefs(db: Tx, { userId }: { userId: string }) {
	const rows = await db
		.select({ type: notificationPrefs.type, channel: notificationPrefs.channel })
		.from(notificationPrefs)
		.where(eq(notificationPrefs.userId, userId));
	const chosen = new Map(rows.map((r) => [r.type, r.channel]));
	return Object.fromEntries(
		Object.entries(defaultChannels).map(([type, channel]) => [
			type,
			chosen.get(type as keyof typeof defaultChannels) ?? channel
		])
	) as typeof defaultChannels;
}

export async function savePrefs(
	db: Tx,
	{ userId, channels }: { userId: string; channels: Partial<typeof defaultChannels> }
) {
	const values = Object.entries(channels).map(([type, channel]) => ({
		userId,
		type: type as keyof typeof defaultChannels,
		channel: channel as NotificationChannel
	}));
	if (values.length === 0) return;
	await db
		.insert(notificationPrefs)
		.values(values)
		.onConflictDoUpdate({
			target: [notificationPrefs.userId, notificationPrefs.type],
			set: { channel: sql`excluded.channel`, updatedAt: sql`now()` }
		});
}
