import { bigint, bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns';

// The compacted snapshot of each Yjs document. A document's state is this snapshot plus every
// row still in `collab_updates` for it (src/lib/server/collab/log.ts). Only the compaction job
// rewrites a snapshot, under a row lock, always merging into it, so it only ever moves forward.
export const collabDocuments = pgTable('collab_documents', {
	name: text().primaryKey(),
	state: bytea().notNull(),
	/** Highest log seq merged into `state` so far (informational: see log.ts on load). */
	throughSeq: bigint({ mode: 'number' }).notNull().default(0),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

// Append-only log of Yjs updates, written before the server applies and acknowledges them.
// Compaction merges rows into the snapshot and deletes them in the same transaction.
export const collabUpdates = pgTable(
	'collab_updates',
	{
		seq: bigserial({ mode: 'number' }).primaryKey(),
		docName: text().notNull(),
		update: bytea().notNull(),
		/** Whose connection sent it; null for updates made by the server itself. */
		userId: uuid(),
		createdAt: createdAt()
	},
	(t) => [index('collab_updates_doc_name_seq_idx').on(t.docName, t.seq)]
);
