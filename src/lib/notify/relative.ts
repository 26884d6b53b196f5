import { formatDate } from '$lib/format/date';
import type { Locale, Translate } from '$lib/i18n';

// "5 phút trước" for what is recent, the date for anything older than a week.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(
	at: string | Date,
	{ now, t, locale, timeZone }: { now: number; t: Translate; locale: Locale; timeZone?: string }
): string {
	const ms = now - new Date(at).getTime();
	if (ms < MINUTE) return t('notify.justNow');
	const rtf = new Intl.RelativeTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { numeric: 'auto' });
	if (ms < HOUR) return rtf.format(-Math.floor(ms / MINUTE), 'minute');
	if (ms < DAY) return rtf.format(-Math.floor(ms / HOUR), 'hour');
	if (ms < 7 * DAY) return rtf.format(-Math.floor(ms / DAY), 'day');
	return formatDate(at, { locale, timeZone });
}
