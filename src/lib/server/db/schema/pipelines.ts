import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

// The ledger row of a pipeline (quy trình): which exist, in which order, archived or not.
// Its stages and settings live in the Yjs document `pipeline:<id>`.
export const pipelines = pgTable(
	'pipelines',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		/** Fractional-index key among the organisation's pipelines. */
		position: text().notNull(),
		archivedAt: timestamp({ withTimezone: true }),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('pipelines_org_id_idx').on(t.orgId)]
);
