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

/**
 * Ages what is still owed on `value` đồng after `paid`: the instalments (oldest due first) and
 * then the unscheduled part due on `restDueOn`, covered by `paid` from the start; each unpaid part
 * goes to the bucket of its due day seen on `asOf` (SPEC R4–R6).
 */
export function ageReceivable({
	value,
	paid,
	instalments,
	restDueOn,
	asOf
}: {
	value: number;
	paid: number;
	instalments: readonly Instalment[];
	restDueOn: string;
	asOf: string;
}): Buckets {
	const buckets = emptyBuckets();
	let start = 0;
	for (const part of allocate(instalments, paid)) {
		// Cut at the won value: the schedule's part beyond it is not owed (R4).
		const inValue = Math.min(part.amount, Math.max(0, value - start));
		start += part.amount;
		const unpaid = Math.max(0, inValue - part.covered);
		if (unpaid > 0) buckets[bucketOf(part.dueOn, asOf)] += unpaid;
	}
	const scheduled = Math.min(start, value);
	const rest = Math.max(0, value - Math.max(paid, scheduled));
	if (rest > 0) buckets[bucketOf(restDueOn, asOf)] += rest;
	return buckets;
}
