import { sql } from 'drizzle-orm';
import {
	doublePrecision,
	index,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';

export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];

export const users = pgTable(
	'users',
	{
		id: id(),
		// Stored as typed (trimmed); uniqueness is on lower(email).
		email: text().notNull(),
		name: text().notNull(),
		passwordHash: text().notNull(),
		emailVerifiedAt: timestamp({ withTimezone: true }),
		locale: text().$type<Locale>().notNull().default('vi'),
		activeOrgId: uuid(),
		// Filled into `{{chu_ky}}` in email to customers; plain text, as typed.
		signature: text(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)]
);

// Lucia-guide sessions: the cookie holds `<id>.<secret>`; only SHA-256(secret) is stored, so a
// leaked table cannot be replayed. Sliding expiry is driven by last_verified_at.
export const sessions = pgTable(
	'sessions',
	{
		id: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		secretHash: bytea().notNull(),
		createdAt: createdAt(),
		lastVerifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		userAgent: text()
	},
	(t) => [index('sessions_user_id_idx').on(t.userId)]
);

export const authTokenKinds = ['verify_email', 'reset_password'] as const;
export type AuthTokenKind = (typeof authTokenKinds)[number];

// Single-use tokens sent by email, stored like sessions: `<id>.<secret>` with only the hash kept.
export const authTokens = pgTable(
	'auth_tokens',
	{
		id: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text().$type<AuthTokenKind>().notNull(),
		secretHash: bytea().notNull(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		usedAt: timestamp({ withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('auth_tokens_user_id_idx').on(t.userId)]
);

// Token buckets for login throttling, kept in PostgreSQL so every instance shares them.
export const rateLimits = pgTable('rate_limits', {
	key: text().primaryKey(),
	tokens: doublePrecision().notNull(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
