// The columns of the deals list and its exports. Ids double as sort keys where a column sorts,
// and as the `cols` parameter of the export URLs.

export const dealColumns = [
	'title',
	'customer',
	'phone',
	'amount',
	'paid',
	'stage',
	'pipeline',
	'owner',
	'status',
	'expectedClose',
	'lostReason',
	'standby',
	'source',
	'created',
	'updated'
] as const;
export type DealColumn = (typeof dealColumns)[number];

/** What a new user sees; the title is always shown. */
export const defaultColumns: readonly DealColumn[] = [
	'title',
	'customer',
	'amount',
	'stage',
	'owner',
	'status',
	'created'
];

export const sortKeys = [
	'created',
	'updated',
	'title',
	'customer',
	'amount',
	'stage',
	'pipeline',
	'owner',
	'status',
	'expectedClose',
	'standby'
] as const satisfies readonly DealColumn[];
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export function isSortKey(value: string): value is SortKey {
	return (sortKeys as readonly string[]).includes(value);
}

export function isDealColumn(value: string): value is DealColumn {
	return (dealColumns as readonly string[]).includes(value);
}

/** The direction a column sorts in first: figures and dates newest/largest first, text A→Z. */
export function defaultDir(key: SortKey): SortDir {
	return key === 'created' || key === 'updated' || key === 'amount' ? 'desc' : 'asc';
}

/**
 * The columns to show: the chosen ones in the list's order, the title always, and the columns a
 * status filter makes essential (the reopen date of standby deals, the reason of lost ones),
 * without the status column when the filter leaves a single status.
 */
export function shownColumns(
	chosen: readonly string[],
	{ statuses }: { statuses: readonly string[] }
): DealColumn[] {
	// What the status filter makes essential comes right after the title, where it is seen.
	const forced = dealColumns.filter(
		(c) =>
			(c === 'standby' && statuses.includes('standby')) ||
			(c === 'lostReason' && statuses.includes('lost'))
	);
	// Filtered to one status, every row would say the same: the filter chip says it once.
	const rest = dealColumns.filter(
		(c) =>
			c !== 'title' &&
			!forced.includes(c) &&
			chosen.includes(c) &&
			!(c === 'status' && statuses.length === 1)
	);
	return ['title', ...forced, ...rest];
}

/** The export's `cols` parameter (`title,amount,…`): known ids in the given order, or null. */
export function parseColumns(value: string): DealColumn[] | null {
	const ids = value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (ids.length === 0 || !ids.every(isDealColumn)) return null;
	// The table's order, the title first.
	return ['title', ...new Set(ids.filter((c) => c !== 'title'))];
}
