import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

// Stored Yjs state per document name (`org:<id>` for now). The live-board issue replaces this
// with an append-only update log plus compacted snapshots.
export const collabDocuments = pgTable('collab_documents', {
	name: text().primaryKey(),
	state: bytea().notNull(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
