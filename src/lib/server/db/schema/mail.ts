import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';

export const emailStatuses = ['queued', 'sent', 'failed', 'outbox'] as const;
export type EmailStatus = (typeof emailStatuses)[number];

// Every message Chốt sends. Without RESEND_API_KEY a message ends in status 'outbox' and owners
// read it in the app, so every flow works on a laptop with no internet.
export const emails = pgTable(
	'emails',
	{
		id: id(),
		orgId: uuid().references(() => organisations.id, { onDelete: 'set null' }),
		// Sent to Resend as the Idempotency-Key, so a job that runs twice sends once.
		idempotencyKey: text().notNull().unique(),
		to: text().notNull(),
		subject: text().notNull(),
		html: text().notNull(),
		text: text().notNull(),
		template: text().notNull(),
		attachments: jsonb().$type<{ filename: string; fileId: string }[]>(),
		status: text().$type<EmailStatus>().notNull().default('queued'),
		providerId: text(),
		error: text(),
		attempts: integer().notNull().default(0),
		createdAt: createdAt(),
		sentAt: timestamp({ withTimezone: true })
	},
	(t) => [index('emails_org_id_idx').on(t.orgId, t.createdAt)]
);
