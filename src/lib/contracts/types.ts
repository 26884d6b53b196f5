// What the contract endpoints answer (routes …/deals/[dealId]/contracts and …/contracts/[id]),
// shared by the server and the deal page. Money is integer đồng; dates are `YYYY-MM-DD` in the
// organisation's calendar.

/** As in the `contracts` table (schema/money.ts). */
export type ContractStatus = 'active' | 'renewed' | 'ended' | 'cancelled';

export type ContractView = {
	id: string;
	dealId: string;
	number: string;
	title: string;
	value: number;
	signedOn: string | null;
	startsOn: string;
	endsOn: string | null;
	file: { id: string; name: string } | null;
	autoRenew: boolean;
	noticeDays: number;
	status: ContractStatus;
	/** The contract this one renews, and the one that renewed it, by number. */
	renews: { id: string; number: string } | null;
	renewedBy: { id: string; number: string } | null;
	renewalDealId: string | null;
	/** Payments recorded against it, less voided ones; value − paid, never below zero. */
	paid: number;
	remaining: number;
	/** Days from today to `endsOn` (negative once past); null without an end date. */
	daysLeft: number | null;
};

export type RenewalTarget = {
	id: string;
	name: string;
	stages: { id: string; name: string }[];
};

export type DealContractsResponse = {
	contracts: ContractView[];
	canEdit: boolean;
	today: string;
	deal: { title: string; pipelineId: string };
	/** Pipelines a renewal deal may go to, each with its stages in order. */
	pipelines: RenewalTarget[];
};

/** A refusal: `code` for programs, `message` in the user's language, `field` to point at. */
export type ContractError = {
	code: string;
	message: string;
	field?: string;
	/** Every field's message, for forms. */
	errors?: Record<string, string>;
};

/** What a successful renewal answers. */
export type RenewResponse = {
	contract: ContractView;
	created: boolean;
	renewalDeal: { id: string; pipelineId: string } | null;
	dealFailed: boolean;
};
