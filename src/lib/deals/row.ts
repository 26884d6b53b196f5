import type { DealStatus } from './filters';

/** One deal of the list, as the repo returns it and the browser renders it. */
export type DealListRow = {
	id: string;
	pipelineId: string;
	title: string;
	starred: boolean;
	status: DealStatus;
	ownerId: string;
	/** Made offline after the plan's monthly record limit was reached (the projection sets it). */
	overLimit: boolean;
	/** The rest is null when the column was not asked for (exports of chosen columns). */
	customerId: string | null;
	customerName: string | null;
	customerPhone: string | null;
	/** Integer đồng. */
	amount: number | null;
	/**
	 * Ledger figures (issue 5), đồng: received (payments not voided) and overdue on the schedule
	 * as last written to the card (SPEC B21); null when the column was not asked for.
	 */
	paid: number | null;
	overdue: number | null;
	/** The column the deal shows in (a deleted stage's deals show where they went, SPEC B12). */
	stageId: string | null;
	stageName: string | null;
	stageColor: string | null;
	pipelineName: string | null;
	ownerName: string | null;
	lostReason: string | null;
	/** YYYY-MM-DD. */
	expectedCloseDate: string | null;
	source: string | null;
	/** YYYY-MM-DD, the reopen date of a standby deal. */
	standbyUntil: string | null;
	/** ISO 8601 instants. */
	createdAt: string | null;
	updatedAt: string | null;
};
