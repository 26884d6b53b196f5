// Payment schedules against payments (issue 5), shared by the server (the card's `overdue`
// figure, receivables aging) and the browser (the deal page's instalment list). Pure functions
// over integer đồng and `YYYY-MM-DD` dates in the organisation's calendar.

export type Instalment = { id: string; dueOn: string; amount: number };
export type Allocated = Instalment & { covered: number; unpaid: number };

/**
 * Applies `paid` đồng to the instalments, oldest due first (ties by id), the way a customer's
 * money is normally counted: each payment settles the oldest debt. Returns every instalment with
 * what is covered and what is still unpaid. Money paid beyond all instalments is left over.
 */
export function allocate(instalments: readonly Instalment[], paid: number): Allocated[] {
	let left = Math.max(0, paid);
	return [...instalments]
		.sort((a, b) => (a.dueOn !== b.dueOn ? (a.dueOn < b.dueOn ? -1 : 1) : a.id < b.id ? -1 : 1))
		.map((i) => {
			const covered = Math.min(left, i.amount);
			left -= covered;
			return { ...i, covered, unpaid: i.amount - covered };
		});
}

/** Đồng of instalments due before `today` and not covered by `paid`. */
export function overdueAmount(instalments: readonly Instalment[], paid: number, today: string) {
	return allocate(instalments, paid)
		.filter((i) => i.dueOn < today)
		.reduce((sum, i) => sum + i.unpaid, 0);
}

export const agingBuckets = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'd90plus'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** Whole days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The aging bucket of an amount due on `dueOn`, seen on `today`: due today is not yet overdue. */
export function bucketOf(dueOn: string, today: string): AgingBucket {
	const late = daysBetween(dueOn, today);
	if (late <= 0) return 'notDue';
	if (late <= 30) return 'd1_30';
	if (late <= 60) return 'd31_60';
	if (late <= 90) return 'd61_90';
	return 'd90plus';
}
