// What GET /o/<org>/search answers (search.repo.ts), and what the offline search gives too.

export type CustomerHit = {
	id: string;
	name: string;
	/** The phone that matched, else the first; E.164. */
	phone: string | null;
	company: string | null;
};

export type DealHit = {
	id: string;
	title: string;
	customerName: string | null;
	customerPhone: string | null;
	/** Integer đồng. */
	amount: number;
	status: string;
	pipelineId: string;
	pipelineName: string;
};

export type SearchResults = {
	customers: CustomerHit[];
	deals: DealHit[];
	/** The query as typo correction read it, when that was needed (`nguyen van an`). */
	corrected: string | null;
};
