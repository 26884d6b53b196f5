import { and, eq, sql } from 'drizzle-orm';
import { translate, type Locale } from '$lib/i18n';
import { describe } from '$lib/notify/describe';
import type { Tx } from '../db';
import {
	notificationPrefs,
	notifications,
	noticeSends,
	type NotificationChannel,
	type NotificationType
} from '../db/schema';
import type PgBoss from 'pg-boss';
import { dispatchInTx, queue as queueMail } from '../mail/mail';

/** What each type does until the user chooses: digests are mail, the rest stay in the app. */
export const defaultChannels: Record<NotificationType, NotificationChannel> = {
	task_reminder: 'in_app',
	standby_reopened: 'in_app',
	contract_notice: 'email',
	contracts_digest: 'email',
	idle_digest: 'email',
	deal_changes: 'in_app'
};

export async function channelOf(
	db: Tx,
	{ userId, type }: { userId: string; type: NotificationType }
): Promise<NotificationChannel> {
	const [pref] = await db
		.select({ channel: notificationPrefs.channel })
		.from(notificationPrefs)
		.where(and(eq(notificationPrefs.userId, userId), eq(notificationPrefs.type, type)));
	return pref?.channel ?? defaultChannels[type];
}

/**
 * Claims a once-only key (notice_sends). True the first time; false when it was claimed before,
 * by this run or one that crashed after committing. Call it in the transaction that writes the
 * notice, so the claim and the notice commit or roll back together.
 */
export async function claimOnce(db: Tx, { key, orgId }: { key: string; orgId: string | null }) {
	const rows = await db
		.insert(noticeSends)
		.values({ key, orgId })
		.onConflictDoNothing()
		.returning({ key: noticeSends.key });
	return rows.length === 1;
}

export type NotifyInput = {
	orgId: string;
	userId: string;
	type: NotificationType;
	/** Once-only per user: a second notify with the same key does nothing. */
	key: string;
	dealId?: string | null;
	data: Record<string, unknown>;
	link?: string | null;
};

/**
 * Tells one user, as they chose for this type: nothing (`off`), a notification in the app, or
 * that and an email. Returns the email, for the caller to dispatch in the same transaction
 * (`dispatchInTx`).
 */
export async function notify(
	db: Tx,
	input: NotifyInput,
	{ origin }: { origin: string }
): Promise<{ emailId?: string }> {
	const channel = await channelOf(db, input);
	if (channel === 'off') return {};
	const [row] = await db
		.insert(notifications)
		.values({
			orgId: input.orgId,
			userId: input.userId,
			type: input.type,
			key: input.key,
			dealId: input.dealId ?? null,
			data: input.data,
			link: input.link ?? null
		})
		.onConflictDoNothing({ target: [notifications.userId, notifications.key] })
		.returning({ id: notifications.id });
	if (!row || channel !== 'email') return {};
	const emailId = await mailNotification(db, { notificationId: row.id, origin, ...input });
	return { emailId };
}

/**
 * Tells `userIds` something once for good: claims `key` (claimOnce), then notifies each of them
 * under that key and hands their emails to pg-boss in the same transaction, so the claim, the
 * notifications and the mail commit or roll back together. False when the key was claimed
 * before, and then nobody is told again.
 */
export async function tellOnce(
	{ boss, config }: { boss: PgBoss; config: { origin: string } },
	tx: Tx,
	{
		key,
		orgId,
		userIds,
		notice
	}: {
		key: string;
		orgId: string;
		userIds: Iterable<string>;
		notice: Omit<NotifyInput, 'orgId' | 'userId' | 'key'>;
	}
): Promise<boolean> {
	if (!(await claimOnce(tx, { key, orgId }))) return false;
	for (const userId of userIds) {
		const { emailId } = await notify(tx, { ...notice, orgId, userId, key }, config);
		if (emailId) await dispatchInTx(boss, tx, emailId);
	}
	return true;
}

/** Queues the email of one notification, in the recipient's language; once per notification. */
export async function mailNotification(
	db: Tx,
	{
		notificationId,
		origin,
		orgId,
		userId,
		type,
		data,
		link
	}: {
		notificationId: string;
		origin: string;
		orgId: string;
		userId: string;
		type: NotificationType;
		data: Record<string, unknown>;
		link?: string | null;
	}
): Promise<string | undefined> {
	const [who] = await db.execute<{ email: string; locale: Locale; time_zone: string }>(sql`
		select u.email, u.locale, o.time_zone from users u, organisations o
		where u.id = ${userId} and o.id = ${orgId}`);
	if (!who) return undefined;
	const locale = who.locale;
	const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
		translate(locale, key, params);
	const { title, lines } = describe({ type, data }, { t, locale, timeZone: who.time_zone });
	return queueMail(db, {
		to: who.email,
		template: 'notification',
		locale,
		orgId,
		idempotencyKey: `notify:${notificationId}`,
		params: {
			title,
			body: lines.join('\n'),
			url: `${origin}${link ?? `/o/${orgId}/notifications`}`
		}
	});
}

/** The user's unread count in one organisation (the bell). */
export async function unreadCount(db: Tx, { userId, orgId }: { userId: string; orgId: string }) {
	const [row] = await db.execute<{ n: number }>(sql`
		select count(*)::int as n from notifications
		where user_id = ${userId} and org_id = ${orgId} and read_at is null`);
	return row?.n ?? 0;
}
