import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import { BoardOpError } from './errors';
import { compareOrder, idSuffix, keyBetween } from './order';
import { Prng } from './testing/prng';

const prng = new Prng(7);
const uuid = () => prng.uuid();

describe('order keys', () => {
	it('[B8] a key sorts strictly between its neighbours and stays a valid fractional index', () => {
		const lo = keyBetween(null, null, uuid());
		const hi = keyBetween(lo, null, uuid());
		const mid = keyBetween(lo, hi, uuid());
		expect(lo < mid && mid < hi).toBe(true);
		// Valid keys can take neighbours on both sides.
		expect(() => generateKeyBetween(lo, mid)).not.toThrow();
		expect(() => generateKeyBetween(mid, hi)).not.toThrow();
	});

	it('[B8] two replicas inserting between the same neighbours write different keys, ordered by id', () => {
		const lo = keyBetween(null, null, uuid());
		const hi = keyBetween(lo, null, uuid());
		const [a, b] = ['0190f4c2-1111-7000-8000-000000000001', '0190f4c2-1111-7000-8000-000000000002'];
		const ka = keyBetween(lo, hi, a);
		const kb = keyBetween(lo, hi, b);
		expect(ka).not.toBe(kb);
		expect(ka < kb).toBe(true);
		expect(lo < ka && kb < hi).toBe(true);
	});

	it('[B8] stays below an upper neighbour that the plain midpoint would be a prefix of', () => {
		// fractional-indexing puts 'a1' between 'a0…' and 'a1…': a prefix of the upper key, so
		// appending a suffix to it could sort after that key.
		const lo = 'a0' + idSuffix(uuid());
		const hi = 'a1' + idSuffix(uuid());
		expect(generateKeyBetween(lo, hi)).toBe('a1');
		const k = keyBetween(lo, hi, 'ffffffff-ffff-7fff-bfff-ffffffffffff');
		expect(lo < k && k < hi).toBe(true);
	});

	it('[B8] the suffix is fixed-width, order-preserving and distinct per id', () => {
		const ids = Array.from({ length: 200 }, uuid).sort();
		const suffixes = ids.map(idSuffix);
		expect(new Set(suffixes.map((s) => s.length))).toEqual(new Set([23]));
		expect([...suffixes].sort()).toEqual(suffixes);
		expect(new Set(suffixes).size).toBe(ids.length);
	});

	it('[B8] refuses ids that are not lowercase UUIDs and bounds that are out of order', () => {
		expect(() => keyBetween(null, null, 'd1')).toThrow(BoardOpError);
		expect(() => keyBetween(null, null, '0190F4C2-1111-7000-8000-000000000001')).toThrow(
			BoardOpError
		);
		const a = keyBetween(null, null, uuid());
		const b = keyBetween(a, null, uuid());
		expect(() => keyBetween(b, a, uuid())).toThrow(
			expect.objectContaining({ code: 'invalid_position' })
		);
		expect(() => keyBetween('not a key', null, uuid())).toThrow(
			expect.objectContaining({ code: 'invalid_position' })
		);
	});

	it('[B7] compares by key, then by id', () => {
		const x = { order: 'a1', id: 'b' };
		expect(compareOrder({ order: 'a0', id: 'z' }, x)).toBeLessThan(0);
		expect(compareOrder({ order: 'a1', id: 'a' }, x)).toBeLessThan(0);
		expect(compareOrder(x, { ...x })).toBe(0);
	});

	describe('[B9] key length', () => {
		function grow(pick: (keys: string[]) => [string | null, string | null], n = 1000) {
			const keys: string[] = [];
			for (let i = 0; i < n; i++) {
				const [lo, hi] = pick(keys);
				const k = keyBetween(lo, hi, uuid());
				if ((lo !== null && !(lo < k)) || (hi !== null && !(k < hi)))
					throw new Error('out of place');
				keys.push(k);
				keys.sort();
			}
			expect(new Set(keys).size).toBe(n);
			return Math.max(...keys.map((k) => k.length));
		}

		it('[B9] appending and prepending 1,000 times keeps keys at 26 characters', () => {
			expect(grow((k) => [k.at(-1) ?? null, null])).toBeLessThanOrEqual(26);
			expect(grow((k) => [null, k[0] ?? null])).toBeLessThanOrEqual(26);
		});

		it('[B9] 1,000 inserts at random places keep keys under 35 characters', () => {
			const r = new Prng(3);
			expect(
				grow((k) => {
					const i = r.int(0, k.length);
					return [k[i - 1] ?? null, k[i] ?? null];
				})
			).toBeLessThan(35);
		});

		it('[B9] 1,000 inserts into one gap grow keys like plain fractional indexing (< 250)', () => {
			const max = grow((k) => (k.length < 2 ? [k[0] ?? null, null] : [k[0]!, k[1]!]));
			expect(max).toBeGreaterThan(100); // it does grow: this is the known worst case
			expect(max).toBeLessThan(250);
		});
	});
});
