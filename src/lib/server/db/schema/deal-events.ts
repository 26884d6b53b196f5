import { bigint, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { pipelines } from './pipelines';
import { users } from './users';

/**
 * Every change of a deal's owner, as it happened (design.md: transitions that carry money are
 * immutable events with the amount at that moment; commissions read these, not today's card).
 * Rows are only ever inserted.
 */
export const dealOwnerChanges = pgTable(
	'deal_owner_changes',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		pipelineId: uuid()
			.notNull()
			.references(() => pipelines.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		fromOwnerId: uuid().notNull(),
		toOwnerId: uuid().notNull(),
		/** The deal's expected amount (đồng) and status when it changed hands. */
		amount: bigint({ mode: 'number' }).notNull(),
		status: text().notNull(),
		/** Who reassigned it. */
		changedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('deal_owner_changes_deal_idx').on(t.dealId, t.createdAt)]
);
