import type { Locale } from '$lib/i18n';

export const defaultTimeZone = 'Asia/Ho_Chi_Minh';

// Dates are stored as timestamptz and shown in the organisation's time zone.
export function formatDateTime(
	value: Date | string,
	{ locale, timeZone = defaultTimeZone }: { locale: Locale; timeZone?: string }
): string {
	return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	}).format(new Date(value));
}

export function formatDate(
	value: Date | string,
	{ locale, timeZone = defaultTimeZone }: { locale: Locale; timeZone?: string }
): string {
	return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		dateStyle: 'medium',
		timeZone
	}).format(new Date(value));
}

export function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}
