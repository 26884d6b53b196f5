import { getContext, setContext } from 'svelte';
import { formatDate, formatDateTime } from '$lib/format/date';
import { formatVnd } from '$lib/format/money';
import { translate, type Locale, type MessageKey, type Params } from './index';

const KEY = Symbol('i18n');

// Per-request (per-page-tree) translator through context: never a module singleton, because the
// server renders pages for many users at once.
export class I18n {
	#get: () => { locale: Locale; timeZone: string };

	constructor(get: () => { locale: Locale; timeZone: string }) {
		this.#get = get;
	}

	get locale() {
		return this.#get().locale;
	}

	t = (key: MessageKey, params?: Params) => translate(this.#get().locale, key, params);
	money = (amount: number | bigint) => formatVnd(amount);
	date = (value: Date | string) => formatDate(value, this.#get());
	dateTime = (value: Date | string) => formatDateTime(value, this.#get());
}

export function setI18n(get: () => { locale: Locale; timeZone: string }) {
	return setContext(KEY, new I18n(get));
}

export function useI18n(): I18n {
	return getContext<I18n>(KEY);
}
