/**
 * Delivers at most one item per key every `intervalMs`, keeping only the latest of those that
 * arrive in between (leading and trailing edge). Awareness is last-state-wins: a client's newer
 * state replaces its older one, so dropping the intermediate states loses nothing.
 */
export class AwarenessThrottle<T> {
	#slots = new Map<string, { last: number; held?: T; timer?: ReturnType<typeof setTimeout> }>();

	constructor(
		private readonly intervalMs: number,
		private readonly deliver: (key: string, item: T) => void,
		private readonly now: () => number = () => performance.now()
	) {}

	/** Delivers `item` now if `key` is due, otherwise holds it (replacing any held one). */
	push(key: string, item: T): 'delivered' | 'held' | 'replaced' {
		const now = this.now();
		const slot = this.#slots.get(key);
		if (!slot) {
			this.#slots.set(key, { last: now });
			this.deliver(key, item);
			return 'delivered';
		}
		if (slot.timer === undefined && now - slot.last >= this.intervalMs) {
			slot.last = now;
			this.deliver(key, item);
			return 'delivered';
		}
		const replaced = slot.timer !== undefined;
		slot.held = item;
		slot.timer ??= setTimeout(() => this.#flush(key), slot.last + this.intervalMs - now);
		return replaced ? 'replaced' : 'held';
	}

	#flush(key: string) {
		const slot = this.#slots.get(key);
		if (!slot || slot.held === undefined) return;
		const item = slot.held;
		slot.held = undefined;
		slot.timer = undefined;
		slot.last = this.now();
		this.deliver(key, item);
	}

	/** Forgets `key` (its document closed); a held item is dropped. */
	forget(key: string) {
		const slot = this.#slots.get(key);
		if (slot?.timer !== undefined) clearTimeout(slot.timer);
		this.#slots.delete(key);
	}

	/** Drops everything held and stops every timer (the socket closed). */
	clear() {
		for (const key of [...this.#slots.keys()]) this.forget(key);
	}

	get size() {
		return this.#slots.size;
	}
}
