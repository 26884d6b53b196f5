import type { CommissionTier, CommissionTiering } from '../db/schema';

// Pure arithmetic of commissions (SPEC.md C5–C7). Amounts are integer đồng, rates basis points;
// products go through BigInt because 10^15 đồng × 10^4 bp is past 2^53.

const BP = 10_000n;

/** `num / den` rounded half away from zero (half up for the non-negative amounts we pay). */
export function divRound(num: bigint, den: bigint): bigint {
	if (den <= 0n) throw new Error('divRound: the denominator must be positive');
	const neg = num < 0n;
	const abs = neg ? -num : num;
	const q = (abs * 2n + den) / (den * 2n);
	return neg ? -q : q;
}

/** Tiers in the order they apply, the first from 0 (validated on input, sorted again here). */
function ordered(tiers: CommissionTier[]): CommissionTier[] {
	return [...tiers].sort((a, b) => a.from - b.from);
}

/** The tier a basis reaches: the last whose `from` is ≤ basis (the first when below all). */
export function reachedTier(tiers: CommissionTier[], basis: number): CommissionTier {
	const list = ordered(tiers);
	let hit = list[0]!;
	for (const t of list) if (t.from <= basis) hit = t;
	return hit;
}

export type Commission = {
	/** Đồng, rounded once (C6). */
	amount: number;
	/** The rate shown: the reached tier's rate (for progressive, the top slice's). */
	rateBp: number;
	/** Progressive: each slice the basis fills, for the statement. */
	slices?: { from: number; to: number | null; basis: number; rateBp: number }[];
};

/**
 * [C5] The commission on `basis` under a rule's tiers. `flat` uses the first tier; `step` the
 * whole basis at the reached tier's rate; `progressive` each tier's slice at its own rate. The
 * exact sum of basis × rate is rounded once, never slice by slice.
 */
export function commissionOf({
	tiering,
	tiers,
	basis
}: {
	tiering: CommissionTiering;
	tiers: CommissionTier[];
	basis: number;
}): Commission {
	const list = ordered(tiers);
	if (list.length === 0) return { amount: 0, rateBp: 0 };
	const b = BigInt(basis);
	if (tiering === 'flat') {
		const rateBp = list[0]!.rateBp;
		return { amount: Number(divRound(b * BigInt(rateBp), BP)), rateBp };
	}
	if (tiering === 'step') {
		const { rateBp } = reachedTier(list, basis);
		return { amount: Number(divRound(b * BigInt(rateBp), BP)), rateBp };
	}
	let sum = 0n;
	const slices: NonNullable<Commission['slices']> = [];
	for (const [i, t] of list.entries()) {
		const next = list[i + 1]?.from ?? null;
		const top = next === null ? basis : Math.min(basis, next);
		if (top <= t.from) break;
		const part = BigInt(top) - BigInt(t.from);
		sum += part * BigInt(t.rateBp);
		slices.push({ from: t.from, to: next, basis: Number(part), rateBp: t.rateBp });
	}
	return {
		amount: Number(divRound(sum, BP)),
		rateBp: slices.at(-1)?.rateBp ?? list[0]!.rateBp,
		slices
	};
}

/**
 * [C7] Splits `total` over parts in proportion to `weights` (all ≥ 0): each part gets the floor
 * of its share and the remainder goes to the largest weight (the first of equals), so the parts
 * always sum to `total` exactly.
 */
export function distribute(total: number, weights: number[]): number[] {
	if (weights.length === 0) return [];
	const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
	const t = BigInt(total);
	if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0));
	const parts = weights.map((w) => {
		const p = t * BigInt(w);
		// Floor towards −∞ so a negative total still leaves a non-negative remainder.
		const q = p / sum;
		return p % sum !== 0n && p < 0n ? q - 1n : q;
	});
	const rest = t - parts.reduce((s, p) => s + p, 0n);
	let largest = 0;
	for (const [i, w] of weights.entries()) if (w > weights[largest]!) largest = i;
	parts[largest] = parts[largest]! + rest;
	return parts.map(Number);
}

/**
 * Reads a percentage typed as "2,5", "2.5", "2,5 %" or "10" into basis points (2 decimals at
 * most, 0–100 %). Null when it is not one.
 */
export function parseRatePercent(input: string): number | null {
	const s = input.trim().replace(/\s*%$/u, '').replace(',', '.');
	if (!/^\d{1,3}(\.\d{1,2})?$/u.test(s)) return null;
	const [whole, frac = ''] = s.split('.');
	const bp = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
	return bp > 10_000 ? null : bp;
}

/** Basis points as a percentage for people: 250 → "2,5" (vi) or "2.5" (en). */
export function formatRate(bp: number, locale: 'vi' | 'en' = 'vi'): string {
	return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		maximumFractionDigits: 2
	}).format(bp / 100);
}

/** `YYYY-MM-01` months. */
export function isMonth(value: string): boolean {
	return /^\d{4}-(0[1-9]|1[0-2])-01$/u.test(value);
}

export function addMonths(month: string, n: number): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const idx = y * 12 + (m - 1) + n;
	const yy = Math.floor(idx / 12);
	const mm = (idx % 12) + 1;
	return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-01`;
}

/** The month (`YYYY-MM-01`) an instant falls in, in a time zone (the plan counters' calendar). */
export { monthOf } from '../orgs/records';
