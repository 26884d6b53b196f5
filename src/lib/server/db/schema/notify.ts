import { sql } from 'drizzle-orm';
import {
	bigserial,
	boolean,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

// Issue 6: tasks, reminders, notices and notifications. Tasks on a deal live in its `deal:<id>`
// document (deal SPEC) and are projected here; tasks of their own are written here directly.

export const taskSources = ['deal', 'own'] as const;
export type TaskSource = (typeof taskSources)[number];

/** Minutes before the due time the reminder goes out: none (at the time), 15 min, 1 h, 1 day. */
export const remindBeforeChoices = [0, 15, 60, 1440] as const;
export type RemindBefore = (typeof remindBeforeChoices)[number];

/**
 * Every task: read model of the `tasks` map of the deal documents (`source = 'deal'`, rewritten
 * from the document like `deal_activities`) and the table of record for tasks of their own
 * (`source = 'own'`). `remind_at` = `due_at` − `remind_before` minutes, kept by the writer, so the
 * reminder scan is one index range.
 */
export const tasks = pgTable(
	'tasks',
	{
		/** For a deal task, the entry id in the deal document. */
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		source: text().$type<TaskSource>().notNull(),
		dealId: uuid(),
		title: text().notNull(),
		dueAt: timestamp({ withTimezone: true }).notNull(),
		remindBefore: integer().notNull().default(0),
		remindAt: timestamp({ withTimezone: true }).notNull(),
		assigneeId: uuid().references(() => users.id, { onDelete: 'set null' }),
		doneAt: timestamp({ withTimezone: true }),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		deletedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('tasks_remind_at_idx')
			.on(t.remindAt)
			.where(sql`${t.doneAt} is null and ${t.deletedAt} is null`),
		index('tasks_org_id_assignee_id_due_at_idx').on(t.orgId, t.assigneeId, t.dueAt),
		index('tasks_deal_id_idx').on(t.dealId)
	]
);

/**
 * Everything that must happen once (a reminder for a task at one due time, a standby deal's
 * return, each contract notice, each digest): the job that does it inserts its key here in the
 * transaction that writes its notifications and mail, so a rerun after a crash finds the key and
 * does nothing. Keys: `task:<id>:<dueAt ISO>`, `standby:<dealId>:<date>`,
 * `contract:<id>:<kind>:<endsOn>`, `idle:<userId>:<date>`, `contracts-week:<orgId>:<monday>`.
 */
export const noticeSends = pgTable('notice_sends', {
	key: text().primaryKey(),
	orgId: uuid().references(() => organisations.id, { onDelete: 'cascade' }),
	sentAt: createdAt()
});

export const notificationTypes = [
	'task_reminder',
	'standby_reopened',
	'contract_notice',
	'contracts_digest',
	'idle_digest',
	'deal_changes'
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export const notificationChannels = ['in_app', 'email', 'off'] as const;
/** `email` = in the app and by email; `off` = neither. */
export type NotificationChannel = (typeof notificationChannels)[number];

/**
 * A user's notifications. `deal_changes` rows batch a followed deal's changes: one row per user
 * and deal per 5-minute window (`window_ends_at`), its `items` appended as changes arrive.
 * `key` makes every other kind once-only per user.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		type: text().$type<NotificationType>().notNull(),
		key: text().notNull(),
		dealId: uuid(),
		/** What to show: rendered in the reader's language from `type` and `data`. */
		data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		/** Path inside the app the notification opens. */
		link: text(),
		readAt: timestamp({ withTimezone: true }),
		/** For `deal_changes`: changes until then join this row. */
		windowEndsAt: timestamp({ withTimezone: true }),
		/** Email wanted (the user's preference when it was made) and not yet queued. */
		emailPending: boolean().notNull().default(false),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('notifications_user_id_key_idx').on(t.userId, t.key),
		index('notifications_user_id_updated_at_idx').on(t.userId, t.updatedAt),
		index('notifications_unread_idx')
			.on(t.userId)
			.where(sql`${t.readAt} is null`),
		index('notifications_email_pending_idx')
			.on(t.windowEndsAt)
			.where(sql`${t.emailPending}`)
	]
);

/** A user's choice per notification type; absent = the type's default. */
export const notificationPrefs = pgTable(
	'notification_prefs',
	{
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		type: text().$type<NotificationType>().notNull(),
		channel: text().$type<NotificationChannel>().notNull(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.type] })]
);

/**
 * Explicit follow choices. A deal's followers are its owner and the assignees of its open tasks
 * (automatic) plus rows with `following`, minus rows without it (an unfollow beats automatic).
 */
export const dealFollows = pgTable(
	'deal_follows',
	{
		dealId: uuid().notNull(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		following: boolean().notNull(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.dealId, t.userId] }),
		index('deal_follows_user_id_idx').on(t.userId)
	]
);

export const dealChangeKinds = [
	'stage',
	'amount',
	'status',
	'owner',
	'payment',
	'file',
	'contact',
	'customer'
] as const;
export type DealChangeKind = (typeof dealChangeKinds)[number];

/**
 * What followers are told, filled by triggers on the tables where each change is recorded
 * (`deal_events`, `deal_owner_changes`, `payments`, `files`, `deal_activities`), in the same
 * transaction, so no change is missed whoever wrote it: the projection (including edits made
 * offline, when they sync), an endpoint or a job. `fanned_out_at` is set by the job that turns
 * the row into notifications (migration 0023 holds the triggers).
 */
export const dealChanges = pgTable(
	'deal_changes',
	{
		seq: bigserial({ mode: 'number' }).primaryKey(),
		orgId: uuid().notNull(),
		dealId: uuid().notNull(),
		kind: text().$type<DealChangeKind>().notNull(),
		actorId: uuid(),
		detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		createdAt: createdAt(),
		fannedOutAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('deal_changes_pending_idx')
			.on(t.seq)
			.where(sql`${t.fannedOutAt} is null`),
		index('deal_changes_deal_id_idx').on(t.dealId, t.createdAt)
	]
);
