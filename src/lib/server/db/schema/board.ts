import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	date,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { organisations } from './orgs';
import { pipelines } from './pipelines';

// Read models of the board documents (design.md "Projection"), so that search, filters, reports
// and jobs run in SQL. They are derived, never edited: the projection extension
// (server/collab/projection.extension.ts) keeps them in step with the documents, and
// `npm run projections:rebuild` recomputes them from the stored documents. Every column but
// `updated_by` is a function of the documents; `updated_by` records who caused the last change.
// Order keys compare as JavaScript strings do (code units): sort them with COLLATE "C".

/**
 * The settings of `pipeline:<pipelineId>` that SQL needs: whether reps see everyone's deals
 * (lists, search, exports and downloads decide with it, as the collab server does per shard).
 */
export const pipelineSettings = pgTable('pipeline_settings', {
	pipelineId: uuid()
		.primaryKey()
		.references(() => pipelines.id, { onDelete: 'cascade' }),
	orgId: uuid()
		.notNull()
		.references(() => organisations.id, { onDelete: 'cascade' }),
	visibility: text().$type<'all' | 'own'>().notNull(),
	editing: text().$type<'all' | 'own'>().notNull()
});

/** One row per stage ever added to `pipeline:<pipelineId>`, deleted ones included (SPEC B11). */
export const stages = pgTable(
	'stages',
	{
		pipelineId: uuid()
			.notNull()
			.references(() => pipelines.id, { onDelete: 'cascade' }),
		// Stage ids are unique within their pipeline document only: the key includes the pipeline,
		// so one document can never overwrite another pipeline's stage.
		id: uuid().notNull(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		position: text().notNull(),
		color: text().notNull(),
		winProbability: integer().notNull(),
		rotDays: integer().notNull(),
		deletedAt: timestamp({ withTimezone: true }),
		mergedInto: uuid(),
		/** The shown stage whose column holds this stage's deals: itself unless deleted (SPEC B12). */
		columnId: uuid().notNull(),
		/** The user whose update last changed the row; null when only the server changed it. */
		updatedBy: uuid()
	},
	(t) => [primaryKey({ columns: [t.pipelineId, t.id] })]
);

/**
 * One row per deal card of the `deals:<pipelineId>:<ownerId>` shards. A deal found in two shards
 * of its pipeline (for a moment while its owner changes) has the row of the copy the board shows
 * (SPEC B16); a deal id already held by another pipeline is never taken over.
 */
export const deals = pgTable(
	'deals',
	{
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		pipelineId: uuid()
			.notNull()
			.references(() => pipelines.id, { onDelete: 'cascade' }),
		/** The owner of the shard holding the card: access is decided per shard, so this is who owns it. */
		ownerId: uuid().notNull(),
		title: text().notNull(),
		/** The stage the card names; `stages.column_id` says where it shows if that stage is gone. */
		stageId: uuid(),
		position: text().notNull(),
		/** A customer of the same organisation, or null (unknown ids are not projected). */
		customerId: uuid(),
		customerName: text(),
		customerPhone: text(),
		/** Integer đồng, as shown on the card; never a ledger figure (SPEC B15). */
		amount: bigint({ mode: 'number' }).notNull(),
		starred: boolean().notNull(),
		status: text().notNull(),
		lostReason: text(),
		standbyUntil: date({ mode: 'string' }),
		expectedCloseDate: date({ mode: 'string' }),
		source: text(),
		/**
		 * Not from the documents: set by the projection when the deal arrived after the plan's
		 * monthly limit was reached (made offline); lists flag it. Upserts never touch it.
		 */
		overLimit: boolean().notNull().default(false),
		createdAt: timestamp({ withTimezone: true }).notNull(),
		updatedAt: timestamp({ withTimezone: true }).notNull(),
		stageEnteredAt: timestamp({ withTimezone: true }).notNull(),
		createdBy: uuid(),
		/** The user whose update last changed the row; null when only the server changed it. */
		updatedBy: uuid()
	},
	(t) => [
		index('deals_pipeline_id_owner_id_idx').on(t.pipelineId, t.ownerId),
		// No index names `stage_id` (or `position`): a move then changes no indexed column, and
		// PostgreSQL updates the row in place (HOT) instead of adding an entry to every index,
		// the search indexes included. Queries reach a deal's stage through `stages` instead.
		// A customer's deals (customer page, merge, the customers list's deal counts).
		index('deals_org_id_customer_id_idx')
			.on(t.orgId, t.customerId)
			.where(sql`${t.customerId} is not null`),
		// The deals list (deals.repo.ts): newest first by default, and the Standby view.
		index('deals_org_id_created_at_id_idx').on(t.orgId, t.createdAt, t.id),
		index('deals_org_id_amount_id_idx').on(t.orgId, t.amount, t.id),
		// The Standby view's order, the expression deals.repo.ts sorts by.
		index('deals_org_id_status_standby_idx').on(
			t.orgId,
			t.status,
			sql`coalesce(${t.standbyUntil}, 'infinity'::date)`,
			t.id
		)
	]
);
