// One entry of a deal's recorded history, as `GET /o/<org>/deals/<deal>/timeline` sends it
// (src/lib/server/deals/timeline.ts) and the deal page shows it (DealTimeline.svelte).
export type TimelineEntry = {
	/**
	 * `stage`: from/to are stage ids; `amount`: đồng as text; `status`: statuses (note = the lost
	 * reason or standby date); `owner`: names; `file`: to = the file's name; `fileRemoved`: from;
	 * `customer`: the customer's names the card showed before and after, null for none (SPEC B24).
	 */
	kind: 'created' | 'stage' | 'amount' | 'status' | 'owner' | 'file' | 'fileRemoved' | 'customer';
	id: string;
	/** ISO timestamp. */
	at: string;
	/** Who did it, by name; null for the server itself. */
	actor: string | null;
	from: string | null;
	to: string | null;
	note: string | null;
};
