import { json } from '@sveltejs/kit';
import { dealColumns, parseColumns, type DealColumn } from '$lib/deals/columns';
import { parseDealFilters, type DealFilters, type FilterIssue } from '$lib/deals/filters';
import { describeIssue } from '$lib/deals/issues';
import { translator, type Locale } from '$lib/i18n';
import { MAX_LIMIT } from './deals.repo';

// The query strings of the deals endpoints: the list's filters plus each endpoint's own
// parameters, all validated; a refusal names every bad parameter in the user's language.

type Read<T> = ({ ok: true } & T) | { ok: false; issues: FilterIssue[] };

export function readRowsQuery(
	params: URLSearchParams
): Read<{ filters: DealFilters; cursor: string | null; limit: number }> {
	const parsed = parseDealFilters(params, { allow: ['cursor', 'limit'] });
	const issues = parsed.ok ? [] : [...parsed.issues];
	const cursors = params.getAll('cursor');
	const limits = params.getAll('limit');
	if (cursors.length > 1) issues.push({ param: 'cursor', key: 'deals.filter.error.repeated' });
	if (cursors[0] !== undefined && !/^[A-Za-z0-9_-]{1,4000}$/.test(cursors[0])) {
		issues.push({ param: 'cursor', key: 'deals.filter.error.cursor' });
	}
	let limit = 100;
	if (limits.length > 1) issues.push({ param: 'limit', key: 'deals.filter.error.repeated' });
	else if (limits[0] !== undefined) {
		limit = /^\d{1,3}$/.test(limits[0]) ? Number(limits[0]) : 0;
		if (limit < 1 || limit > MAX_LIMIT) {
			issues.push({ param: 'limit', key: 'deals.filter.error.limit', params: { max: MAX_LIMIT } });
		}
	}
	if (!parsed.ok || issues.length > 0) return { ok: false, issues };
	return { ok: true, filters: parsed.filters, cursor: cursors[0] || null, limit };
}

export function readExportQuery(
	params: URLSearchParams
): Read<{ filters: DealFilters; columns: DealColumn[] }> {
	const parsed = parseDealFilters(params, { allow: ['cols'] });
	const issues = parsed.ok ? [] : [...parsed.issues];
	const cols = params.getAll('cols');
	let columns: DealColumn[] | null = [...dealColumns];
	if (cols.length > 1) issues.push({ param: 'cols', key: 'deals.filter.error.repeated' });
	else if (cols[0] !== undefined && cols[0].trim() !== '') {
		columns = parseColumns(cols[0]);
		if (!columns) issues.push({ param: 'cols', key: 'deals.filter.error.columns' });
	}
	if (!parsed.ok || issues.length > 0 || !columns) return { ok: false, issues };
	return { ok: true, filters: parsed.filters, columns };
}

export function messages(locale: Locale, issues: readonly FilterIssue[]): string[] {
	const t = translator(locale);
	return issues.map((i) => describeIssue(t, i));
}

/** 400 as JSON, for the page's own fetches. */
export function badRequestJson(locale: Locale, issues: readonly FilterIssue[]) {
	const lines = messages(locale, issues);
	return json({ message: lines.join('\n'), issues }, { status: 400 });
}

/** 400 as text, for a download link opened in the browser: it shows the message as it is. */
export function badRequestText(locale: Locale, issues: readonly FilterIssue[]) {
	return new Response(messages(locale, issues).join('\n') + '\n', {
		status: 400,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});
}
