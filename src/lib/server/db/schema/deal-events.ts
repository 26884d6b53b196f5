import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ActivityKind } from '../../../deal/kinds';
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

export const dealEventKinds = ['created', 'stage', 'amount', 'status', 'customer'] as const;
export type DealEventKind = (typeof dealEventKinds)[number];

/**
 * A deal's history as the projection saw it change (SPEC B20): created, stage moves, amount
 * changes (with the reason written on the card), status changes and the customer's name on the
 * card (SPEC B24; from and to are names), each with the user whose update caused it. Derived
 * from the documents like `deals`, but append-only: a rebuild does not rewrite history. Owner changes are in `deal_owner_changes`; contacts in `deal_activities`.
 */
export const dealEvents = pgTable(
	'deal_events',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		kind: text().$type<DealEventKind>().notNull(),
		/** Old and new value: stage ids, amounts in đồng (as text), statuses; null when none. */
		fromValue: text(),
		toValue: text(),
		/** The amount's reason, or the lost reason / standby date with a status change. */
		note: text(),
		/**
		 * The deal's expected amount (đồng) and owner right after the event: a win is credited
		 * with the amount at that moment (commissions read these, never today's card). Null on
		 * rows written before they were recorded.
		 */
		amount: bigint({ mode: 'number' }),
		ownerId: uuid(),
		actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		index('deal_events_deal_idx').on(t.dealId, t.createdAt),
		// Commissions read wins and amount changes by month.
		index('deal_events_org_id_kind_created_at_idx').on(t.orgId, t.kind, t.createdAt)
	]
);

/**
 * The contact log of every `deal:<dealId>` document (SPEC D2), projected so customer pages,
 * idle-deal checks and reports can read it in SQL. Derived: rewritten from the document.
 */
export const dealActivities = pgTable(
	'deal_activities',
	{
		id: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		kind: text().$type<ActivityKind>().notNull(),
		/** When the contact happened (as the rep says), not when it was typed. */
		at: timestamp({ withTimezone: true }).notNull(),
		summary: text().notNull(),
		needs: text(),
		nextStep: text(),
		createdBy: uuid(),
		createdAt: timestamp({ withTimezone: true }).notNull()
	},
	(t) => [index('deal_activities_deal_idx').on(t.dealId, t.at)]
);
