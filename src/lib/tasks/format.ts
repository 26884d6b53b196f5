import type { Locale } from '$lib/i18n';
import { zonedParts } from './time';

// Due times as a task list reads them, on the organisation's clock: "09:30" for today, "T3,
// 03/03 · 09:30" otherwise (with the year when it is not this one).

const tag = (locale: Locale) => (locale === 'vi' ? 'vi-VN' : 'en-GB');

export function formatDue(
	ms: number,
	{ locale, timeZone, now }: { locale: Locale; timeZone: string; now: number }
): string {
	const due = zonedParts(ms, timeZone);
	const today = zonedParts(now, timeZone);
	if (due.day === today.day) return due.time;
	const sameYear = due.day.slice(0, 4) === today.day.slice(0, 4);
	const date = new Intl.DateTimeFormat(tag(locale), {
		weekday: 'short',
		day: '2-digit',
		month: '2-digit',
		...(sameYear ? {} : { year: 'numeric' }),
		timeZone
	}).format(new Date(ms));
	return `${date} · ${due.time}`;
}

const viWeekdays = ['Thứ 2', 'Thứ 3', 'Thứ 4', 'Thứ 5', 'Thứ 6', 'Thứ 7', 'CN'];

/** A column head of the week view: "Thứ 2" and "02/03". */
export function formatWeekday(day: string, locale: Locale): { weekday: string; date: string } {
	const d = new Date(`${day}T00:00:00Z`);
	return {
		weekday:
			locale === 'vi'
				? viWeekdays[(d.getUTCDay() + 6) % 7]!
				: new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(d),
		date: `${day.slice(8, 10)}/${day.slice(5, 7)}`
	};
}

/** A calendar day as "02/03/2026". */
export function formatDay(day: string, locale: Locale): string {
	return new Intl.DateTimeFormat(tag(locale), {
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(`${day}T00:00:00Z`));
}
