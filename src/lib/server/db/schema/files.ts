import {
	bigint,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from './columns';
import { organisations } from './orgs';
import { users } from './users';

export const fileStatuses = ['uploading', 'ready'] as const;
export type FileStatus = (typeof fileStatuses)[number];

/**
 * Files attached to a deal (issue 4): quotes, contracts, drawings, images. Ledger state, stored
 * in PostgreSQL so every instance can serve them. `name` is exactly what the uploader gave and
 * is never used as a path (src/lib/server/files/names.ts makes it safe to send). A row is
 * `uploading` while its chunks arrive and becomes `ready` in the transaction that counts it
 * against the organisation's storage; a row left `uploading` by a crash is removed later.
 */
export const files = pgTable(
	'files',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		// No foreign key: `deals` is a read model that a rebuild rewrites; access is decided by
		// joining it (visibleDeals) at every request.
		dealId: uuid().notNull(),
		name: text().notNull(),
		/** Bytes. */
		size: bigint({ mode: 'number' }).notNull().default(0),
		/** Detected from the content (magic bytes), never taken from the client. */
		mime: text().notNull(),
		note: text().notNull().default(''),
		status: text().$type<FileStatus>().notNull().default('uploading'),
		/** SHA-256 of the content, set when the upload completes. */
		sha256: bytea(),
		uploadedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		/** Soft delete: the row stays as the record of what was attached; the content is removed. */
		deletedAt: timestamp({ withTimezone: true }),
		deletedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		/** A small WebP for images (job `make-thumbnail`); null until made or when it cannot be. */
		thumbnail: bytea()
	},
	(t) => [index('files_org_id_deal_id_idx').on(t.orgId, t.dealId, t.createdAt)]
);

/** The content of a file in 1 MiB pieces, so a download streams one piece at a time. */
export const fileChunks = pgTable(
	'file_chunks',
	{
		fileId: uuid()
			.notNull()
			.references(() => files.id, { onDelete: 'cascade' }),
		seq: integer().notNull(),
		data: bytea().notNull()
	},
	(t) => [primaryKey({ columns: [t.fileId, t.seq] })]
);

/**
 * Bytes of ready, undeleted files per organisation, changed in the same transaction as the
 * file it counts, under this row's lock (the storage quota is checked against it).
 */
export const fileStorageUsage = pgTable('file_storage_usage', {
	orgId: uuid()
		.primaryKey()
		.references(() => organisations.id, { onDelete: 'cascade' }),
	bytes: bigint({ mode: 'number' }).notNull().default(0)
});
