import type { PaymentMethod } from './methods';

// What the payment endpoints answer (src/routes/(app)/o/[orgId]/deals/[dealId]/payments), shared
// by the server and the deal page. Money is integer đồng; dates are `YYYY-MM-DD`.

export type PaymentView = {
	id: string;
	amount: number;
	paidOn: string;
	method: PaymentMethod;
	reference: string;
	note: string;
	overpayment: boolean;
	contractId: string | null;
	recordedBy: { id: string; name: string } | null;
	createdAt: string;
	/** Present once voided: the payment stays in the history, out of every total. */
	void: { reason: string; by: { id: string; name: string } | null; at: string } | null;
};

export type InstalmentView = {
	id: string;
	dueOn: string;
	amount: number;
	note: string;
	contractId: string | null;
	/** Đồng of it covered by payments (oldest due first) and still unpaid. */
	covered: number;
	unpaid: number;
	overdue: boolean;
};

export type DealMoney = {
	/** The deal's value (its amount on the board), what payments are checked against. */
	value: number;
	paid: number;
	/** value − paid, never below zero. */
	remaining: number;
	/** Đồng past due on the schedule and not covered. */
	overdue: number;
	payments: PaymentView[];
	instalments: InstalmentView[];
	/** Today in the organisation's calendar, for "overdue" and the date fields' defaults. */
	today: string;
	canRecord: boolean;
	canVoid: boolean;
	canSchedule: boolean;
};

/** A refusal: `code` for programs, `message` in the user's language, `field` to point at. */
export type MoneyError = {
	code: string;
	message: string;
	field?: string;
	params?: Record<string, string | number>;
};
