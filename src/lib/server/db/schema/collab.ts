import {
	bigint,
	bigserial,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns';

// The compacted snapshot of each Yjs document. A document's state is this snapshot plus every
// row still in `collab_updates` for it (src/lib/server/collab/log.ts). Only the compaction job
// rewrites a snapshot, under a row lock, always merging into it, so it only ever moves forward
// within a generation. A rewrite (generations.ts) starts the next generation: a fresh copy of the
// document without its history, founded by one new Yjs client id.
export const collabDocuments = pgTable('collab_documents', {
	name: text().primaryKey(),
	state: bytea().notNull(),
	/** Highest log seq merged into `state` so far (informational: see log.ts on load). */
	throughSeq: bigint({ mode: 'number' }).notNull().default(0),
	/** How many times the document was rewritten without its history. */
	generation: integer().notNull().default(0),
	/** The Yjs client id that wrote this generation's fresh copy (null in generation 0). */
	founder: bigint({ mode: 'number' }),
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
		/** The document generation the update was made against (a late one is rebased). */
		generation: integer().notNull().default(0),
		createdAt: createdAt()
	},
	(t) => [index('collab_updates_doc_name_seq_idx').on(t.docName, t.seq)]
);

// The final state of each generation a document left behind, kept so that a replica still
// holding that generation (a browser's offline copy) can be rebased onto the current one: its
// state is merged here, and what it changed is carried forward (generations.ts). Every rebase
// merges into it, so the same stale replica rebased twice carries nothing the second time.
export const collabGenerations = pgTable(
	'collab_generations',
	{
		docName: text().notNull(),
		generation: integer().notNull(),
		/** The Yjs client id that founded this generation (null for generation 0). */
		founder: bigint({ mode: 'number' }),
		state: bytea().notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.docName, t.generation] })]
);
