import type { Locale } from '$lib/i18n';

// A calendar day (`YYYY-MM-DD`, already in the organisation's calendar) as people write it:
// 29/11/2026. Read as UTC so no time zone can move it to the day before.
export function formatDay(day: string, locale: Locale): string {
	const date = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(date.getTime())) return day;
	return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(date);
}

/** Digits grouped the Vietnamese way, for refilling an amount field: 8.000.000. */
export function groupDigits(amount: number): string {
	return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(amount);
}
