import { z } from 'zod';
import { text } from '$lib/forms/validate';
import { locales } from '$lib/i18n';

// An organisation's settings form, shared by /orgs/new and Settings › General.

// Offered in the select; any other zone Intl knows is accepted too (and shown when stored).
export const TIME_ZONES = [
	'Asia/Ho_Chi_Minh',
	'Asia/Bangkok',
	'Asia/Jakarta',
	'Asia/Singapore',
	'Asia/Kuala_Lumpur',
	'Asia/Manila',
	'Asia/Hong_Kong',
	'Asia/Shanghai',
	'Asia/Taipei',
	'Asia/Seoul',
	'Asia/Tokyo',
	'Australia/Sydney',
	'Asia/Kolkata',
	'Asia/Dubai',
	'Europe/London',
	'Europe/Paris',
	'Europe/Berlin',
	'America/New_York',
	'America/Los_Angeles',
	'UTC'
] as const;

export const CURRENCIES = ['VND', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const NAME_MAX = 120;

/**
 * The zone's canonical spelling if Intl knows it, else null. Offsets such as "+07:00" are
 * refused: a named zone keeps daylight-saving rules right.
 */
export function normaliseTimeZone(value: string): string | null {
	const listed = TIME_ZONES.find((z) => z.toLowerCase() === value.toLowerCase());
	if (listed) return listed;
	if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(value)) return null;
	try {
		return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

export const settingsSchema = z.object({
	name: text({ max: NAME_MAX }),
	timeZone: z
		.string()
		.trim()
		.max(64, 'orgs.error.timeZone')
		.transform((v, ctx) => {
			const zone = normaliseTimeZone(v);
			if (!zone) {
				ctx.addIssue({ code: 'custom', message: 'orgs.error.timeZone' });
				return z.NEVER;
			}
			return zone;
		}),
	currency: z.enum(CURRENCIES, { error: 'orgs.error.currency' }),
	locale: z.enum(locales, { error: 'form.invalid' })
});
export type SettingsInput = z.output<typeof settingsSchema>;

/** "UTC+07:00 · Asia/Ho_Chi_Minh" labels for the select, offsets as of `now`. */
export function timeZoneOptions({ current, now = new Date() }: { current?: string; now?: Date }) {
	const zones: string[] = [...TIME_ZONES];
	if (current && !zones.includes(current)) zones.unshift(current);
	return zones.map((zone) => ({
		value: zone,
		label: zone === 'UTC' ? 'UTC' : `${offsetOf(zone, now)} · ${zone}`
	}));
}

function offsetOf(zone: string, now: Date) {
	const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })
		.formatToParts(now)
		.find((p) => p.type === 'timeZoneName')?.value;
	// "GMT+07:00" → "UTC+07:00"; "GMT" alone is an offset of zero.
	return !part || part === 'GMT' ? 'UTC+00:00' : part.replace('GMT', 'UTC');
}
