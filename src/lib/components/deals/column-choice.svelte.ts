import { dealColumns, defaultColumns, isDealColumn, type DealColumn } from '$lib/deals/columns';

// Which columns a member shows, kept in this browser per user (localStorage). The server renders
// the default set; the stored choice applies once the page is interactive.
export class ColumnChoice {
	chosen = $state<DealColumn[]>([...defaultColumns]);
	#key: string;

	constructor(userId: string) {
		this.#key = `chot:deals:columns:${userId}`;
	}

	/** Reads the stored choice (call from onMount: there is no localStorage on the server). */
	restore() {
		try {
			const raw = localStorage.getItem(this.#key);
			const parsed: unknown = raw ? JSON.parse(raw) : null;
			if (Array.isArray(parsed)) {
				const ids = parsed.filter((c): c is DealColumn => typeof c === 'string' && isDealColumn(c));
				if (ids.length > 0) this.chosen = dealColumns.filter((c) => ids.includes(c));
			}
		} catch {
			// A private window or a corrupt value: the defaults.
		}
	}

	toggle(column: DealColumn) {
		if (column === 'title') return;
		const on = this.chosen.includes(column);
		this.chosen = dealColumns.filter((c) => (c === column ? !on : this.chosen.includes(c)));
		this.#store();
	}

	reset() {
		this.chosen = [...defaultColumns];
		try {
			localStorage.removeItem(this.#key);
		} catch {
			// Nothing stored, nothing to remove.
		}
	}

	#store() {
		try {
			localStorage.setItem(this.#key, JSON.stringify(this.chosen));
		} catch {
			// Storage full or refused: the choice lasts until the page closes.
		}
	}
}
