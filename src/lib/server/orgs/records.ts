import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { organisations, recordCounters } from '../db/schema';

// New records (deals, customers) per calendar month in the organisation's time zone, for Gói 1's
// monthly limit. Counting never refuses: the caller decides (refuse an online create, flag a
// record made offline that arrives after the limit was reached).

/** First day of `at`'s month in `timeZone`, as YYYY-MM-01. */
export function monthOf(at: Date, timeZone: string): string {
	const parts = monthFormat(timeZone).formatToParts(at);
	const year = parts.find((p) => p.type === 'year')!.value;
	const month = parts.find((p) => p.type === 'month')!.value;
	return `${year}-${month}-01`;
}

// Building an Intl.DateTimeFormat costs far more than using one, and a projection counts a
// record per new card: one per time zone, kept.
const monthFormats = new Map<string, Intl.DateTimeFormat>();
function monthFormat(timeZone: string) {
	let format = monthFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
		monthFormats.set(timeZone, format);
	}
	return format;
}

async function orgLimits(db: Tx, orgId: string) {
	const [org] = await db
		.select({ timeZone: organisations.timeZone, limit: organisations.maxRecordsPerMonth })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	if (!org) throw new Error(`Organisation ${orgId} not found`);
	return org;
}

/**
 * Counts one new record in the month of `at` (in the organisation's time zone). Call inside the
 * transaction that creates the record, so a rollback uncounts it. `overLimit` is true once the
 * count passes the plan's monthly limit.
 */
export async function reserve(tx: Tx, { orgId, at = new Date() }: { orgId: string; at?: Date }) {
	const [one] = await reserveMany(tx, { orgId, at: [at] });
	return one!;
}

/**
 * `reserve` for several new records at once (a flush of cards made offline, a board's first
 * projection): one statement per month instead of two per record. Records are counted in the
 * order given, so the ones past the limit are the last of their month, as one `reserve` each
 * would have made them. Returns each record's month, its count and whether it is over the limit,
 * in the same order.
 */
export async function reserveMany(tx: Tx, { orgId, at }: { orgId: string; at: readonly Date[] }) {
	if (at.length === 0) return [];
	const { timeZone, limit } = await orgLimits(tx, orgId);
	const months = at.map((d) => monthOf(d, timeZone));
	const counted: { month: string; count: number; limit: number | null; overLimit: boolean }[] = [];
	for (const month of new Set(months)) {
		const n = months.filter((m) => m === month).length;
		// One statement: concurrent reserves serialise on the counter row instead of losing counts.
		const [row] = await tx
			.insert(recordCounters)
			.values({ orgId, month, count: n })
			.onConflictDoUpdate({
				target: [recordCounters.orgId, recordCounters.month],
				set: { count: sql`${recordCounters.count} + ${n}` }
			})
			.returning({ count: recordCounters.count });
		// The month's records before these, then each of these in turn.
		let count = row!.count - n;
		months.forEach((m, i) => {
			if (m !== month) return;
			count += 1;
			counted[i] = { month, count, limit, overLimit: limit !== null && count > limit };
		});
	}
	return counted;
}

/** The month's count so far, without counting anything; `full` when the next would be over. */
export async function usage(db: Tx, { orgId, at = new Date() }: { orgId: string; at?: Date }) {
	const { timeZone, limit } = await orgLimits(db, orgId);
	const month = monthOf(at, timeZone);
	const [row] = await db
		.select({ count: recordCounters.count })
		.from(recordCounters)
		.where(and(eq(recordCounters.orgId, orgId), eq(recordCounters.month, month)));
	const count = row?.count ?? 0;
	return {
		month,
		count,
		limit,
		overLimit: limit !== null && count > limit,
		full: limit !== null && count >= limit
	};
}
