import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

export const customerKinds = ['person', 'company'] as const;
export type CustomerKind = (typeof customerKinds)[number];

// Customers (khách hàng) are ledger state. Phones are stored normalised to E.164 (+84…), so
// `0912 345 678`, `+84 912345678` and `912345678` are one number.
export const customers = pgTable(
	'customers',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		kind: text().$type<CustomerKind>().notNull().default('person'),
		name: text().notNull(),
		phones: text().array().notNull().default([]),
		email: text(),
		address: text(),
		company: text(),
		taxCode: text(),
		source: text(),
		tags: text().array().notNull().default([]),
		notes: text(),
		ownerId: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		deletedAt: timestamp({ withTimezone: true })
	},
	(t) => [index('customers_org_id_idx').on(t.orgId, t.createdAt)]
);
