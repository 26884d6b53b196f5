import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { files } from './files';
import { organisations } from './orgs';
import { pipelines } from './pipelines';
import { users } from './users';
import type { PaymentMethod } from '../../../money/methods';

// Ledger state (design.md "Two kinds of state"): money lives only here, in integer đồng
// (`bigint`), written by server actions in transactions, never merged by a CRDT. The board card
// shows `paid` and `overdue` because the server writes them into it (SPEC B21).
//
// No foreign keys to `deals`: it is a read model a rebuild rewrites. Access is decided by
// joining it (visibleDeals) at every request, as for files.

/**
 * Money actually received for a deal (thanh toán). Rows are only ever inserted: a correction is
 * a `payment_voids` row, never an edit or a delete. `owner_id` is the deal's owner when the
 * payment was recorded, the rep whose revenue it is (commission method B).
 */
export const payments = pgTable(
	'payments',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		/** The contract it pays against, if any (receivables per contract). */
		contractId: uuid(),
		/** The deal's customer at the time (receivables per customer). */
		customerId: uuid(),
		ownerId: uuid().notNull(),
		pipelineId: uuid().notNull(),
		/** Integer đồng, > 0. */
		amount: bigint({ mode: 'number' }).notNull(),
		/** The day the money arrived, in the organisation's calendar. */
		paidOn: date({ mode: 'string' }).notNull(),
		method: text().$type<PaymentMethod>().notNull(),
		reference: text().notNull().default(''),
		note: text().notNull().default(''),
		/** Recorded knowing the deal's total paid would exceed its value. */
		overpayment: boolean().notNull().default(false),
		/**
		 * The client's key for this request: the same key again returns this row; the same key
		 * with other content is refused (`request_hash` differs).
		 */
		idempotencyKey: text().notNull(),
		requestHash: text().notNull(),
		recordedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('payments_org_id_idempotency_key_idx').on(t.orgId, t.idempotencyKey),
		index('payments_org_id_deal_id_idx').on(t.orgId, t.dealId, t.paidOn),
		index('payments_org_id_paid_on_idx').on(t.orgId, t.paidOn),
		index('payments_org_id_customer_id_idx')
			.on(t.orgId, t.customerId)
			.where(sql`${t.customerId} is not null`),
		index('payments_contract_id_idx')
			.on(t.contractId)
			.where(sql`${t.contractId} is not null`)
	]
);

/** A payment taken back, with why. At most one per payment; rows are only ever inserted. */
export const paymentVoids = pgTable(
	'payment_voids',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		paymentId: uuid()
			.notNull()
			.references(() => payments.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		reason: text().notNull(),
		idempotencyKey: text().notNull(),
		requestHash: text().notNull(),
		voidedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('payment_voids_payment_id_idx').on(t.paymentId),
		uniqueIndex('payment_voids_org_id_idempotency_key_idx').on(t.orgId, t.idempotencyKey),
		index('payment_voids_org_id_created_at_idx').on(t.orgId, t.createdAt)
	]
);

/**
 * Running totals per deal, kept in the transaction that records or voids a payment. Its row is
 * locked (`for update`) by that transaction, so two payments on one deal are checked against the
 * overpayment rule one after the other. Always equal to a recomputation from `payments` minus
 * `payment_voids` (tests check it).
 */
export const dealBalances = pgTable('deal_balances', {
	dealId: uuid().primaryKey(),
	orgId: uuid()
		.notNull()
		.references(() => organisations.id, { onDelete: 'cascade' }),
	/** Sum of payments not voided, đồng. */
	paid: bigint({ mode: 'number' }).notNull().default(0),
	payments: integer().notNull().default(0),
	/**
	 * The overdue figure last written to the card (SPEC B21): the hourly job rewrites only the
	 * cards whose figure changed. A copy like the card's; the schedule is the truth.
	 */
	overdue: bigint({ mode: 'number' }).notNull().default(0),
	/** The paid figure last written to the card: the hourly job rewrites a card that missed one. */
	cardPaid: bigint({ mode: 'number' }).notNull().default(0),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * A payment schedule's instalment (đợt thanh toán): how much is due when, per deal or per
 * contract. A plan, not a ledger entry: editable; removing one sets `cancelled_at`. Payments are
 * applied to a deal's (or contract's) instalments oldest due first to age receivables.
 */
export const paymentInstalments = pgTable(
	'payment_instalments',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		contractId: uuid(),
		dueOn: date({ mode: 'string' }).notNull(),
		/** Integer đồng, > 0. */
		amount: bigint({ mode: 'number' }).notNull(),
		note: text().notNull().default(''),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		cancelledAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index('payment_instalments_org_id_deal_id_idx').on(t.orgId, t.dealId, t.dueOn),
		index('payment_instalments_org_id_due_on_idx')
			.on(t.orgId, t.dueOn)
			.where(sql`${t.cancelledAt} is null`)
	]
);

export const contractStatuses = ['active', 'renewed', 'ended', 'cancelled'] as const;
export type ContractStatus = (typeof contractStatuses)[number];

/** A contract (hợp đồng) signed for a deal. Its signed copy is one of the deal's files. */
export const contracts = pgTable(
	'contracts',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		dealId: uuid().notNull(),
		customerId: uuid(),
		/** As the company numbers them (e.g. `HĐ-2026/015`); unique in the organisation. */
		number: text().notNull(),
		title: text().notNull(),
		/** Integer đồng. */
		value: bigint({ mode: 'number' }).notNull(),
		signedOn: date({ mode: 'string' }),
		startsOn: date({ mode: 'string' }).notNull(),
		endsOn: date({ mode: 'string' }),
		fileId: uuid().references(() => files.id, { onDelete: 'set null' }),
		autoRenew: boolean().notNull().default(false),
		/** Days before `ends_on` the renewal notice goes out (issue 6). */
		noticeDays: integer().notNull().default(30),
		status: text().$type<ContractStatus>().notNull().default('active'),
		/** The contract this one renews, and the deal made for the renewal if one was. */
		renewsId: uuid(),
		renewalDealId: uuid(),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('contracts_org_id_number_idx').on(t.orgId, t.number),
		index('contracts_org_id_deal_id_idx').on(t.orgId, t.dealId),
		index('contracts_org_id_ends_on_idx').on(t.orgId, t.endsOn),
		uniqueIndex('contracts_renews_id_idx')
			.on(t.renewsId)
			.where(sql`${t.renewsId} is not null`)
	]
);

export const commissionMethods = ['won', 'revenue'] as const;
/** `won`: % of each won deal's value (A); `revenue`: % of payments collected in the month (B). */
export type CommissionMethod = (typeof commissionMethods)[number];

export const commissionTierings = ['flat', 'step', 'progressive'] as const;
/**
 * `flat`: one rate. `step`: the whole basis at the rate of the highest tier it reaches.
 * `progressive`: each tier's slice of the basis at that tier's rate.
 */
export type CommissionTiering = (typeof commissionTierings)[number];

/** A tier: from `from` đồng (inclusive) upward, `rateBp` basis points (1 bp = 0.01 %). */
export type CommissionTier = { from: number; rateBp: number };

/**
 * Commission rules, set by owners and managers. The rule for a rep and a basis is the most
 * specific one: the rep's override for the pipeline, the rep's override, the pipeline's rule,
 * the organisation's default (pipeline and user null). Rules are versioned by `valid_from`
 * (a month); a change makes a new row, so a month computes again the same way.
 */
export const commissionRules = pgTable(
	'commission_rules',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		method: text().$type<CommissionMethod>().notNull(),
		/** Method A only: the pipeline this applies to; null for every pipeline. */
		pipelineId: uuid().references(() => pipelines.id, { onDelete: 'cascade' }),
		/** An override for one rep; null for everyone. */
		userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
		tiering: text().$type<CommissionTiering>().notNull(),
		tiers: jsonb().$type<CommissionTier[]>().notNull(),
		/** First month (`YYYY-MM-01`) it applies to. */
		validFrom: date({ mode: 'string' }).notNull(),
		/** Set when replaced or removed: the rule stops applying from that month on. */
		validTo: date({ mode: 'string' }),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('commission_rules_org_id_idx').on(t.orgId, t.method)]
);

/** A month of commissions for an organisation: open (recomputed) or locked (never changes). */
export const commissionPeriods = pgTable(
	'commission_periods',
	{
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		/** `YYYY-MM-01`. */
		month: date({ mode: 'string' }).notNull(),
		status: text().$type<'open' | 'locked'>().notNull().default('open'),
		computedAt: timestamp({ withTimezone: true }),
		lockedAt: timestamp({ withTimezone: true }),
		lockedBy: uuid().references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.orgId, t.month] })]
);

/**
 * One line of a rep's monthly statement: a deal (or payment), its basis, rate and amount. Lines
 * of an open month are replaced as a whole by each computation; a locked month's lines never
 * change. `adjusts_month` is set on a correction to a locked month, carried in this one.
 */
export const commissionLines = pgTable(
	'commission_lines',
	{
		id: id(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		month: date({ mode: 'string' }).notNull(),
		userId: uuid().notNull(),
		method: text().$type<CommissionMethod>().notNull(),
		dealId: uuid(),
		paymentId: uuid(),
		ruleId: uuid(),
		/** Đồng the rate applies to, the rate in basis points, and the commission, đồng. */
		basis: bigint({ mode: 'number' }).notNull(),
		rateBp: integer().notNull(),
		amount: bigint({ mode: 'number' }).notNull(),
		adjustsMonth: date({ mode: 'string' }),
		/** What the line is, for people: deal title, tier, payment reference. */
		detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		createdAt: createdAt()
	},
	(t) => [index('commission_lines_org_id_month_user_id_idx').on(t.orgId, t.month, t.userId)]
);

/**
 * What each won deal still owes, kept ready for the receivables report (SPEC R14): the parts of
 * its value not yet paid, each with the day it falls due (instalments first, then the
 * unscheduled rest due on the won day), after the paid total was applied oldest due first. Aging
 * them against a day is then a scan of this table, not a recomputation from payments, schedules
 * and history. A read model: refreshed after every payment, void and schedule change, by the
 * projection when a deal is won, changes, or stops being won, and reconciled by the hourly job.
 * One row per deal whose status is `won`.
 */
export const dealReceivables = pgTable(
	'deal_receivables',
	{
		dealId: uuid().primaryKey(),
		orgId: uuid()
			.notNull()
			.references(() => organisations.id, { onDelete: 'cascade' }),
		pipelineId: uuid().notNull(),
		ownerId: uuid().notNull(),
		customerId: uuid(),
		customerName: text(),
		title: text().notNull(),
		/** The day (organisation calendar) of its latest win. */
		wonOn: date({ mode: 'string' }).notNull(),
		value: bigint({ mode: 'number' }).notNull(),
		paid: bigint({ mode: 'number' }).notNull(),
		/** What it owes: the sum of `unpaid`, which is max(0, value − paid). */
		total: bigint({ mode: 'number' }).notNull(),
		/** The unpaid parts, oldest due first: due days and amounts (đồng), same length. */
		dueOn: date({ mode: 'string' }).array().notNull(),
		unpaid: bigint({ mode: 'number' }).array().notNull(),
		refreshedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('deal_receivables_org_id_total_idx')
			.on(t.orgId, t.total)
			.where(sql`${t.total} > 0`)
	]
);
