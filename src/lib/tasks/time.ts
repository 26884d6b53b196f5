// Wall-clock days and times in the organisation's time zone, for due times typed and shown there
// whatever zone the browser or server runs in. Days are `YYYY-MM-DD`, times `HH:mm`.

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string) {
	let f = formats.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		formats.set(timeZone, f);
	}
	return f;
}

function wall(ms: number, timeZone: string) {
	const p: Record<string, number> = {};
	for (const part of partsFormat(timeZone).formatToParts(new Date(ms))) {
		if (part.type !== 'literal') p[part.type] = Number(part.value);
	}
	return p as {
		year: number;
		month: number;
		day: number;
		hour: number;
		minute: number;
		second: number;
	};
}

/** The zone's offset from UTC at `ms`, in ms (Hồ Chí Minh City: +7 h). */
function offsetAt(ms: number, timeZone: string) {
	const w = wall(ms, timeZone);
	const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The day and time `ms` reads as on a clock in `timeZone`. */
export function zonedParts(ms: number, timeZone: string): { day: string; time: string } {
	const w = wall(ms, timeZone);
	return {
		day: `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`,
		time: `${pad(w.hour)}:${pad(w.minute)}`
	};
}

export const zonedDay = (ms: number, timeZone: string) => zonedParts(ms, timeZone).day;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isDay(value: string): boolean {
	const m = DAY.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.toISOString().slice(0, 10) === value;
}

export const isTime = (value: string) => TIME.test(value);

/**
 * The instant a clock in `timeZone` shows `day` at `time`, or null for malformed input. A time
 * skipped by a daylight-saving jump reads as the same clock time after the jump.
 */
export function zonedToEpoch(day: string, time: string, timeZone: string): number | null {
	if (!isDay(day) || !isTime(time)) return null;
	const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
	const [h, mi] = time.split(':').map(Number) as [number, number];
	const guess = Date.UTC(y, mo - 1, d, h, mi);
	const first = guess - offsetAt(guess, timeZone);
	const second = guess - offsetAt(first, timeZone);
	return second;
}

/** `day` moved by `n` calendar days. */
export function addDays(day: string, n: number): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week holding `day` (weeks run Monday to Sunday, as in Vietnam). */
export function mondayOf(day: string): string {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
	return addDays(day, -weekday);
}

/** Midnight starting `day` in `timeZone`, as an instant. */
export const startOfDay = (day: string, timeZone: string) => zonedToEpoch(day, '00:00', timeZone)!;

/** Where a new task's due time starts: the first full hour at least 30 minutes away. */
export function defaultDue(now: number, timeZone: string): { day: string; time: string } {
	const soon = zonedParts(now + 30 * 60_000, timeZone);
	const hourStart = zonedToEpoch(soon.day, `${soon.time.slice(0, 2)}:00`, timeZone)!;
	const next = soon.time.endsWith(':00') ? hourStart : hourStart + 3_600_000;
	return zonedParts(next, timeZone);
}
