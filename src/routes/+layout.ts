import { loadLocale } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// English messages are a chunk of their own (i18n/index.ts): loaded here, before anything renders.
export const load: LayoutLoad = async ({ data }) => {
	await loadLocale(data.locale);
	return data;
};
