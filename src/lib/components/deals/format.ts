import type { Locale } from '$lib/i18n';

// Dates in the list: short numeric days as Vietnamese tables write them (05/01/2026), in the
// organisation's time zone for instants; a YYYY-MM-DD day is a calendar day, shown as is.

export function shortDate(iso: string, { locale, timeZone }: { locale: Locale; timeZone: string }) {
	return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		timeZone
	}).format(new Date(iso));
}

export function shortDay(day: string, { locale }: { locale: Locale }) {
	const [y, m, d] = day.split('-').map(Number);
	return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(Date.UTC(y!, m! - 1, d!)));
}
