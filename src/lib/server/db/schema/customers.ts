import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
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
		/** Set when the customer was deleted (soft delete): their deals keep the name they showed. */
		deletedAt: timestamp({ withTimezone: true }),
		/** The customer this one was merged into (it is deleted then); its page leads there. */
		mergedInto: uuid().references((): AnyPgColumn => customers.id, { onDelete: 'set null' })
	},
	(t) => [
		index('customers_org_id_idx').on(t.orgId, t.createdAt),
		// `phones @> array[$phone]`: finding the customer an inline phone belongs to.
		index('customers_phones_idx').using('gin', t.phones),
		index('customers_org_id_source_deal_id_idx')
			.on(t.orgId, t.sourceDealId)
			.where(sql`${t.sourceDealId} is not null`),
		// Accent-insensitive name search (`nguyen` finds `Nguyễn`): chot_fold is unaccent + lower,
		// made immutable in migration 0007 so it can be indexed.
		index('customers_name_trgm_idx').using('gin', sql`chot_fold(${t.name}) gin_trgm_ops`),
		// Possible duplicates by email (case-insensitive), looked up for each listed customer.
		index('customers_org_id_email_idx')
			.on(t.orgId, sql`lower(${t.email})`)
			.where(sql`${t.deletedAt} is null and ${t.email} is not null`)
	]
);
