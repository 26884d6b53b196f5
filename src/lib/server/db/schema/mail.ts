import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

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
		// Email to a customer from a deal (issue 6): the deal (no foreign key: `deals` is a read
		// model a rebuild rewrites), who sent it, where the customer's reply goes, the name the
		// customer sees as the sender, and a hash of the request (the same Idempotency-Key with
		// other content is refused).
		dealId: uuid(),
		sentBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		replyTo: text(),
		fromName: text(),
		requestHash: text(),
		status: text().$type<EmailStatus>().notNull().default('queued'),
		providerId: text(),
		error: text(),
		attempts: integer().notNull().default(0),
		createdAt: createdAt(),
		sentAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('emails_org_id_idx').on(t.orgId, t.createdAt),
		index('emails_deal_id_idx')
			.on(t.dealId, t.createdAt)
			.where(sql`${t.dealId} is not null`)
	]
);
