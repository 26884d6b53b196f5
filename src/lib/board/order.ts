import { generateKeyBetween } from 'fractional-indexing';
import { BoardOpError } from './errors';

// Fractional order keys (SPEC B7–B9). A key is `<fractional-indexing key><id suffix>`: the suffix
// encodes the id of the card or stage that owns the key, so two replicas that insert between the
// same neighbours at once still write different keys, and they sort by id.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 62^22 > 2^128, so 22 base-62 digits hold any UUID. */
const SUFFIX_DIGITS = 22;
// fractional-indexing rejects keys whose fraction ends in '0'; a fixed non-zero last digit keeps
// every suffixed key valid as a neighbour for the next insert.
const TERMINATOR = '1';

export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}

/** Fixed-width base-62 of the UUID's 128 bits, then the terminator: injective, order-preserving. */
export function idSuffix(id: string): string {
	if (!isUuid(id)) throw new BoardOpError('invalid_id', { field: 'id' });
	let n = BigInt('0x' + id.replaceAll('-', ''));
	let out = '';
	for (let i = 0; i < SUFFIX_DIGITS; i++) {
		out = DIGITS[Number(n % 62n)] + out;
		n /= 62n;
	}
	return out + TERMINATOR;
}

/**
 * A key strictly between `lo` and `hi` (null = open end) that no other id can produce.
 * Throws `invalid_position` when the bounds are not valid keys in increasing order.
 */
export function keyBetween(lo: string | null, hi: string | null, id: string): string {
	const suffix = idSuffix(id);
	let p: string;
	try {
		p = generateKeyBetween(lo, hi);
		// p + suffix > p > lo always. It stays below hi unless p is a prefix of hi (fractional-
		// indexing returns such keys: 'a1' between 'a0…' and 'a1…'); then look below p instead,
		// still above lo. Searching between p and hi would dig into hi's suffix and grow keys by
		// two digits per insert. Each round p gets shorter, so this ends.
		while (hi !== null && hi.startsWith(p)) p = generateKeyBetween(lo, p);
	} catch {
		throw new BoardOpError('invalid_position');
	}
	return p + suffix;
}

/** `n` keys in increasing order between `lo` and `hi`, one per id, e.g. to append a batch. */
export function keysAfter(lo: string | null, ids: readonly string[]): string[] {
	const keys: string[] = [];
	let prev = lo;
	for (const id of ids) {
		prev = keyBetween(prev, null, id);
		keys.push(prev);
	}
	return keys;
}

/** The board's one total order: order key, then id (SPEC B7). */
export function compareOrder(
	a: { order: string; id: string },
	b: { order: string; id: string }
): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
