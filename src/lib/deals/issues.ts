import { isMessageKey, type Translate } from '$lib/i18n';
import type { FilterIssue } from './filters';

/** One filter issue as a sentence in the user's language: "Ngày tạo (đến): ngày không hợp lệ…". */
export function describeIssue(t: Translate, issue: FilterIssue): string {
	const labelKey = `deals.param.${issue.param}`;
	const label = isMessageKey(labelKey)
		? t(labelKey)
		: t('deals.param.other', { param: issue.param });
	return t('deals.filter.issue', { label, message: t(issue.key, issue.params) });
}

/** The query without the parameters that have issues: the "remove the invalid conditions" link. */
export function withoutIssues(params: URLSearchParams, issues: readonly FilterIssue[]): string {
	const bad = new Set(issues.map((i) => i.param));
	const out = new URLSearchParams();
	for (const [k, v] of params) if (!bad.has(k)) out.append(k, v);
	return out.toString();
}
