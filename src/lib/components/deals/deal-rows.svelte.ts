import type { DealListRow } from '$lib/deals/row';

// The rows of the deals list in the browser: the first page comes with the page's data, the
// rest is fetched page by page (keyset cursor) as the virtual scroll nears the end. One
// instance per filtered URL: a new URL makes a new instance, so a late answer for old filters
// can never land in the new list.

export type DealRow = DealListRow;

export class DealRows {
	rows = $state<DealRow[]>([]);
	next = $state<string | null>(null);
	loading = $state(false);
	failed = $state<string | null>(null);
	/** Expected total (the page's summary, once it arrives); the list may change meanwhile. */
	expected = $state<number | null>(null);
	#endpoint: string;
	#query: string;

	constructor({
		rows,
		next,
		expected,
		endpoint,
		query
	}: {
		rows: DealRow[];
		next: string | null;
		expected: number | null;
		endpoint: string;
		query: string;
	}) {
		this.rows = rows;
		this.next = next;
		this.expected = expected;
		this.#endpoint = endpoint;
		this.#query = query;
	}

	/**
	 * Rows the scroll area is sized for: all of them once the last page has come, else the
	 * expected total, or a screenful of placeholders past the rows while it is unknown.
	 */
	get count() {
		if (this.next === null) return this.rows.length;
		return Math.max(this.expected ?? 0, this.rows.length + 20);
	}

	async loadMore() {
		if (this.loading || this.next === null || this.failed) return;
		this.loading = true;
		try {
			const paging = `cursor=${encodeURIComponent(this.next)}&limit=200`;
			const res = await fetch(
				`${this.#endpoint}?${this.#query ? `${this.#query}&` : ''}${paging}`,
				{
					headers: { accept: 'application/json' }
				}
			);
			const body = (await res.json().catch(() => null)) as {
				rows: DealRow[];
				next: string | null;
				message?: string;
			} | null;
			if (!res.ok || !body || !Array.isArray(body.rows)) {
				this.failed = body?.message ?? String(res.status);
				return;
			}
			// A deal moved by someone while paging could come twice; keep the first.
			const seen: Record<string, true> = {};
			for (const r of this.rows) seen[r.id] = true;
			this.rows.push(...body.rows.filter((r) => !seen[r.id]));
			this.next = body.next;
		} catch {
			this.failed = 'network';
		} finally {
			this.loading = false;
		}
	}

	retry() {
		this.failed = null;
		return this.loadMore();
	}
}

/** Which fixed-height items of a scrolled list are in view, plus a margin. */
export function visibleRange({
	scrollTop,
	height,
	itemHeight,
	count,
	overscan = 8
}: {
	scrollTop: number;
	height: number;
	itemHeight: number;
	count: number;
	overscan?: number;
}) {
	const start = Math.max(0, Math.floor(scrollTop / itemHeight) - overscan);
	const end = Math.min(count, Math.ceil((scrollTop + height) / itemHeight) + overscan);
	return { start, end, before: start * itemHeight, after: Math.max(0, count - end) * itemHeight };
}
