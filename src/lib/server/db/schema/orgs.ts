import { sql } from 'drizzle-orm';
import {
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';
import { users, type Locale } from './users';

export const roles = ['owner', 'manager', 'sales', 'accountant'] as const;
export type Role = (typeof roles)[number];

export const planCodes = ['goi1', 'goi3', 'goi4'] as const;
export type PlanCode = (typeof planCodes)[number];

export const organisations = pgTable('organisations', {
	id: id(),
	name: text().notNull(),
	timeZone: text().notNull().default('Asia/Ho_Chi_Minh'),
	currency: text().notNull().default('VND'),
	locale: text().$type<Locale>().notNull().default('vi'),
	// The plan's limits are copied onto the organisation so an operator can set Gói 4's by hand;
	// null means unlimited.
	plan: text().$type<PlanCode>().notNull().default('goi3'),
	maxSeats: integer(),
	maxRecordsPerMonth: integer(),
	maxUnits: integer(),
	trialEndsAt: timestamp({ withTimezone: true }),
	/** Why deals are lost, as the organisation words it: the list a rep picks from (issue 4). */
	lostReasons: text()
		.array()
		.notNull()
		.default(
			sql`array['Giá cao hơn đối thủ', 'Chọn nhà cung cấp khác', 'Chưa có nhu cầu', 'Không đủ ngân sách', 'Không liên lạc được', 'Khác']::text[]`
		),
	createdAt: createdAt()
});

export const memberships = pgTable(
	'memberships',
	{
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text().$type<Role>().notNull(),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.orgId, t.userId] }),
		index('memberships_user_id_idx').on(t.userId)
	]
);

export const invitations = pgTable(
	'invitations',
	{
		id: text().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		email: text().notNull(),
		role: text().$type<Role>().notNull(),
		invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		secretHash: bytea().notNull(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		acceptedAt: timestamp({ withTimezone: true }),
		acceptedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		revokedAt: timestamp({ withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('invitations_org_id_idx').on(t.orgId)]
);

// New deals and customers per calendar month (in the organisation's time zone), for Gói 1's
// "fewer than 1,000 records a month". Incremented in the same transaction that creates a record.
export const recordCounters = pgTable(
	'record_counters',
	{
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		month: date().notNull(),
		count: integer().notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.orgId, t.month] })]
);
