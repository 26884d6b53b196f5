// Calendar arithmetic on `YYYY-MM-DD` days, in UTC so no time zone or daylight saving shift
// can move a day. Contract terms are whole days.

const DAY = 86_400_000;

const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
	return toDay(toMs(day) + days * DAY);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	return Math.round((toMs(to) - toMs(from)) / DAY);
}

/**
 * The term that follows `startsOn`–`endsOn`: it starts the day after the old end and lasts as
 * long, counted in months when the old term was whole months (1 Jan–31 Dec is followed by
 * 1 Jan–31 Dec, not by a term a day short in a leap year), otherwise in days.
 */
export function nextTerm({ startsOn, endsOn }: { startsOn: string; endsOn: string | null }): {
	startsOn: string;
	endsOn: string | null;
} {
	if (!endsOn) return { startsOn: addDays(startsOn, 0), endsOn: null };
	const next = addDays(endsOn, 1);
	const months = wholeMonths(startsOn, next);
	if (months !== null) return { startsOn: next, endsOn: addDays(addMonths(next, months), -1) };
	return { startsOn: next, endsOn: addDays(next, daysBetween(startsOn, endsOn)) };
}

function addMonths(day: string, months: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const total = y * 12 + (m - 1) + months;
	const last = new Date(Date.UTC(Math.floor(total / 12), (total % 12) + 1, 0)).getUTCDate();
	return toDay(Date.UTC(Math.floor(total / 12), total % 12, Math.min(d, last)));
}

/** Months from `from` to `to` when `to` is `from` plus a whole number of months, else null. */
function wholeMonths(from: string, to: string): number | null {
	const [fy, fm] = from.split('-').map(Number) as [number, number];
	const [ty, tm] = to.split('-').map(Number) as [number, number];
	const months = (ty - fy) * 12 + (tm - fm);
	return months > 0 && addMonths(from, months) === to ? months : null;
}

export const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && toDay(toMs(s)) === s;
