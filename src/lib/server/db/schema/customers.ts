import { sql } from 'drizzle-orm';
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
		/** The deal whose inline customer (quick-add name and phone) created this record. */
		sourceDealId: uuid(),
		createdAt: createdAt(),
		deletedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('customers_org_id_idx').on(t.orgId, t.createdAt),
		// `phones @> array[$phone]`: finding the customer an inline phone belongs to.
		index('customers_phones_idx').using('gin', t.phones),
		index('customers_org_id_source_deal_id_idx')
			.on(t.orgId, t.sourceDealId)
			.where(sql`${t.sourceDealId} is not null`)
	]
);
