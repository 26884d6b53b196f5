import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

// Templates for email to customers (issue 6): an organisation's own, managed by owners and
// managers. Subject and body are stored as typed, variables (`{{ten_khach_hang}}`…) included;
// they are filled when a message is composed. Archived, not deleted: a sent email keeps the
// words it was sent with anyway, and an archived template can come back.
export const emailTemplates = pgTable(
	'email_templates',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		subject: text().notNull(),
		body: text().notNull(),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		updatedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		archivedAt: timestamp({ withTimezone: true })
	},
	(t) => [index('email_templates_org_id_idx').on(t.orgId, t.createdAt)]
);
