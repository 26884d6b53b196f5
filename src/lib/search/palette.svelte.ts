import { MAX_QUERY_LENGTH, parseQuery } from './fold';
import { loadLocalDeals, searchLocalDeals, type LocalDeal } from './offline';
import type { CustomerHit, DealHit, SearchResults } from './types';

// The command palette's state: results as you type. Each keystroke restarts a short debounce;
// a new request aborts the one in flight, and an answer that arrives after a newer query was
// typed is dropped, so the list always belongs to what is in the box. With no network (the
// browser says so, or the request fails) it searches the boards held in this browser instead.

export type SearchStatus = 'idle' | 'loading' | 'done' | 'error';

const DEBOUNCE_MS = 120;
const LIMIT = 8;

export class SearchPalette {
	query = $state('');
	customers = $state.raw<CustomerHit[]>([]);
	deals = $state.raw<DealHit[]>([]);
	corrected = $state<string | null>(null);
	status = $state<SearchStatus>('idle');
	/** The results come from the boards held in this browser, not the server. */
	offline = $state(false);
	/** Offline, and this browser holds no board of the organisation. */
	offlineEmpty = $state(false);

	readonly orgId: string;
	readonly userId: string;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#inFlight: AbortController | undefined;
	#seq = 0;
	#local: Promise<LocalDeal[]> | undefined;

	constructor({ orgId, userId }: { orgId: string; userId: string }) {
		this.orgId = orgId;
		this.userId = userId;
	}

	/** Called on every input event. */
	type(value: string) {
		this.query = value;
		clearTimeout(this.#timer);
		const q = value.trim();
		if (!q) {
			this.#cancel();
			this.#show({ customers: [], deals: [], corrected: null }, false);
			this.status = 'idle';
			return;
		}
		this.status = 'loading';
		this.#timer = setTimeout(() => void this.#run(q.slice(0, MAX_QUERY_LENGTH)), DEBOUNCE_MS);
	}

	/** Forgets the query and what was loaded from local boards (they may change until next time). */
	reset() {
		clearTimeout(this.#timer);
		this.#cancel();
		this.query = '';
		this.#show({ customers: [], deals: [], corrected: null }, false);
		this.status = 'idle';
		this.#local = undefined;
	}

	#cancel() {
		this.#seq += 1;
		this.#inFlight?.abort();
		this.#inFlight = undefined;
	}

	async #run(q: string) {
		this.#cancel();
		const seq = this.#seq;
		if (typeof navigator !== 'undefined' && navigator.onLine === false) {
			await this.#runOffline(q, seq);
			return;
		}
		const controller = new AbortController();
		this.#inFlight = controller;
		let response: Response;
		try {
			response = await fetch(`/o/${this.orgId}/search?q=${encodeURIComponent(q)}`, {
				signal: controller.signal,
				headers: { accept: 'application/json' }
			});
		} catch {
			if (controller.signal.aborted || seq !== this.#seq) return;
			// No answer at all: the network is gone, whatever navigator.onLine says.
			await this.#runOffline(q, seq);
			return;
		}
		if (seq !== this.#seq) return;
		if (!response.ok) {
			this.status = 'error';
			return;
		}
		const results = (await response.json().catch(() => null)) as SearchResults | null;
		if (seq !== this.#seq) return;
		if (!results) {
			this.status = 'error';
			return;
		}
		this.#show(results, false);
		this.status = 'done';
	}

	async #runOffline(q: string, seq: number) {
		this.#local ??= loadLocalDeals({ userId: this.userId, orgId: this.orgId }).catch(() => []);
		const local = await this.#local;
		// Nothing found may mean the board's documents were still being written: read again next time.
		if (local.length === 0) this.#local = undefined;
		if (seq !== this.#seq) return;
		this.offlineEmpty = local.length === 0;
		this.#show(
			{ customers: [], deals: searchLocalDeals(local, parseQuery(q), LIMIT), corrected: null },
			true
		);
		this.status = 'done';
	}

	#show(results: SearchResults, offline: boolean) {
		this.customers = results.customers;
		this.deals = results.deals;
		this.corrected = results.corrected;
		this.offline = offline;
		if (!offline) this.offlineEmpty = false;
	}
}
