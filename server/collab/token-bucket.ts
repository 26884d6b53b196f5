/**
 * A token bucket: holds up to `capacity` tokens, refills `perSecond` tokens a second, and
 * `take(n)` spends n of them or refuses without spending any. Time is passed in (ms) so tests
 * can drive it exactly.
 */
export class TokenBucket {
	#tokens: number;
	#at: number;

	constructor(
		readonly capacity: number,
		readonly perSecond: number,
		now: number
	) {
		this.#tokens = capacity;
		this.#at = now;
	}

	take(n: number, now: number): boolean {
		// A clock that steps backwards (it should not: callers pass performance.now()) refills nothing.
		const elapsed = Math.max(0, now - this.#at);
		this.#at = Math.max(this.#at, now);
		this.#tokens = Math.min(this.capacity, this.#tokens + (elapsed * this.perSecond) / 1000);
		if (this.#tokens < n) return false;
		this.#tokens -= n;
		return true;
	}

	get tokens() {
		return this.#tokens;
	}
}
