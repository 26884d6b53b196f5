// A small seeded PRNG (mulberry32) so a failing fuzz run replays exactly from its seed.
export class Prng {
	private state: number;

	constructor(readonly seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[this.int(0, items.length - 1)]!;
	}

	/** Picks by weight: `[[3, 'a'], [1, 'b']]` gives 'a' three times as often. */
	weighted<T>(items: readonly (readonly [number, T])[]): T {
		const total = items.reduce((sum, [w]) => sum + w, 0);
		let r = this.next() * total;
		for (const [w, item] of items) {
			r -= w;
			if (r < 0) return item;
		}
		return items.at(-1)![1];
	}

	/** A UUIDv7-shaped id; the time part is shared within a run, as ids made together are. */
	uuid(): string {
		const hex = (n: number) =>
			Array.from({ length: n }, () => this.int(0, 15).toString(16)).join('');
		return `0190f4c2-${hex(4)}-7${hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
	}
}
