import * as auth from './messages/auth';
import * as boards from './messages/boards';
import * as commissions from './messages/commissions';
import * as common from './messages/common';
import * as contracts from './messages/contracts';
import * as files from './messages/files';
import * as ledger from './messages/ledger';
import * as deal from './messages/deal';
import * as deals from './messages/deals';
import * as customers from './messages/customers';
import * as customerMail from './messages/customerMail';
import * as mail from './messages/mail';
import * as notify from './messages/notify';
import * as orgs from './messages/orgs';
import * as payments from './messages/payments';
import * as pipelines from './messages/pipelines';
import * as receivables from './messages/receivables';
import * as search from './messages/search';
import * as shell from './messages/shell';
import * as tasks from './messages/tasks';

// Typed dictionaries, one file per domain. Each `en` is typed against its `vi`, so a key missing
// from either language fails the typecheck.
export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'vi';

const vi = {
	...common.vi,
	...contracts.vi,
	...shell.vi,
	...auth.vi,
	...orgs.vi,
	...mail.vi,
	...boards.vi,
	...pipelines.vi,
	...deal.vi,
	...deals.vi,
	...customers.vi,
	...files.vi,
	...search.vi,
	...payments.vi,
	...ledger.vi,
	...commissions.vi,
	...receivables.vi,
	...notify.vi,
	...tasks.vi,
	...customerMail.vi
};

export type MessageKey = keyof typeof vi;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export type Dictionary = Record<MessageKey, string>;

// Vietnamese is in every page's scripts; English is its own chunk, loaded only where it is used
// (`loadLocale`, awaited by the root layout's load before anything renders). Both in one chunk
// were 187 KB that every page loaded, and made the board's first screen slower.
const dictionaries: { vi: Dictionary; en?: Dictionary } = { vi };

/** Makes `locale`'s messages available; resolves at once when they already are. */
export async function loadLocale(locale: Locale): Promise<void> {
	if (locale === 'en' && !dictionaries.en) dictionaries.en = (await import('./en')).en;
}

// The server (pages, mail, jobs) and tests speak both languages from the start.
if (!('window' in globalThis)) await loadLocale('en');

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
	return typeof value === 'string' && value in vi;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const template = dictionaries[locale]?.[key] ?? dictionaries.vi[key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (m, name: string) =>
		name in params ? String(params[name]) : m
	);
}

export function translator(locale: Locale): Translate {
	return (key, params) => translate(locale, key, params);
}

/** Picks vi or en from an Accept-Language header; Vietnamese unless English is preferred. */
export function negotiate(header: string | null): Locale {
	if (!header) return defaultLocale;
	const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
	return first.startsWith('en') ? 'en' : defaultLocale;
}
