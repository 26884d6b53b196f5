// A customer's contact log ("Liên hệ"): the entries logged on their deals (the
// `deal_activities` projection), as the customer page shows them.

export const contactKinds = ['call', 'meeting', 'zalo', 'email', 'visit', 'note'] as const;
export type ContactKind = (typeof contactKinds)[number];

export type Contact = {
	id: string;
	dealId: string;
	/** The deal's board, for the link to its drawer; null shows the title without a link. */
	pipelineId: string | null;
	dealTitle: string | null;
	kind: ContactKind;
	/** ISO timestamp. */
	at: string;
	summary: string;
	needs: string | null;
	nextStep: string | null;
	createdByName: string | null;
};
