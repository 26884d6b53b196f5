import {
	agingBuckets,
	allocate,
	bucketOf,
	type AgingBucket,
	type Instalment
} from '$lib/money/schedule';

// The reference for receivables aging (SPEC R4–R6), in plain TypeScript over the pure schedule
// helpers. The report computes the same in SQL (receivables.repo.ts); a test checks they agree.

export type Buckets = Record<AgingBucket, number>;

export const emptyBuckets = (): Buckets => ({
	notDue: 0,
	d1_30: 0,
	d31_60: 0,
	d61_90: 0,
	d90plus: 0
});

export function bucketTotal(b: Buckets): number {
	return agingBuckets.reduce((sum, k) => sum + b[k], 0);
}

/** Everything but `notDue` (SPEC R7). */
export function overdueOf(b: Buckets): number {
	return bucketTotal(b) - b.notDue;
}

export type Part = { dueOn: string; unpaid: number };

/**
 * What is still owed on `value` đồng after `paid`, as parts with their due days, oldest due
 * first: the instalments (cut at the value, R4), then the unscheduled rest due on `restDueOn`,
 * `paid` covering them from the start (R5). Parts paid in full are left out. This is what
 * `deal_receivables` keeps per won deal (R14).
 */
export function receivableParts({
	value,
	paid,
	instalments,
	restDueOn
}: {
	value: number;
	paid: number;
	instalments: readonly Instalment[];
	restDueOn: string;
}): Part[] {
	const parts: Part[] = [];
	let start = 0;
	for (const part of allocate(instalments, paid)) {
		// Cut at the won value: the schedule's part beyond it is not owed (R4).
		const inValue = Math.min(part.amount, Math.max(0, value - start));
		start += part.amount;
		const unpaid = Math.max(0, inValue - part.covered);
		if (unpaid > 0) parts.push({ dueOn: part.dueOn, unpaid });
	}
	const scheduled = Math.min(start, value);
	const rest = Math.max(0, value - Math.max(paid, scheduled));
	if (rest > 0) parts.push({ dueOn: restDueOn, unpaid: rest });
	return parts;
}

/** Each unpaid part in the bucket of its due day seen on `asOf` (SPEC R4–R6). */
export function ageReceivable({
	asOf,
	...owed
}: {
	value: number;
	paid: number;
	instalments: readonly Instalment[];
	restDueOn: string;
	asOf: string;
}): Buckets {
	const buckets = emptyBuckets();
	for (const part of receivableParts(owed)) buckets[bucketOf(part.dueOn, asOf)] += part.unpaid;
	return buckets;
}
