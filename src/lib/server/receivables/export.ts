import { json } from '@sveltejs/kit';
import { translator, type Locale, type MessageKey } from '$lib/i18n';
import { agingBuckets } from '$lib/money/schedule';
import type { FilterIssue, ReceivableFilters } from '$lib/receivables/filters';
import type { Tx } from '../db';
import type { ExportColumn, ExportInput } from '../export/table';
import { allRows, localDay, type ReceivableRow, type Viewer } from './receivables.repo';

// The receivables report as a file: the page's filters and grouping, every matching row (not
// only the page shown), a column per aging bucket, and a link back to the deal where there is one.

export function receivablesExport(
	db: Tx,
	{
		viewer,
		filters,
		locale,
		timeZone,
		origin
	}: {
		viewer: Viewer;
		filters: ReceivableFilters;
		locale: Locale;
		timeZone: string;
		origin: string;
	}
): ExportInput<ReceivableRow> {
	const t = translator(locale);
	const { group } = filters;
	const columns: ExportColumn<ReceivableRow>[] = [];
	const label: Record<ReceivableFilters['group'], MessageKey> = {
		deal: 'receivables.col.deal',
		customer: 'receivables.col.customer',
		owner: 'receivables.col.owner',
		contract: 'receivables.col.contract'
	};
	columns.push({ header: t(label[group]), kind: 'text', width: 36, value: (r) => r.label });
	if (group === 'deal' || group === 'contract') {
		columns.push(
			{
				header: t('receivables.col.customer'),
				kind: 'text',
				width: 28,
				value: (r) => r.customerName
			},
			{ header: t('receivables.col.owner'), kind: 'text', width: 22, value: (r) => r.ownerName }
		);
	}
	if (group === 'deal')
		columns.push({
			header: t('receivables.col.wonOn'),
			kind: 'date',
			width: 14,
			value: (r) => r.detail
		});
	if (group === 'customer' || group === 'owner')
		columns.push({
			header: t('receivables.col.deals'),
			kind: 'money',
			width: 12,
			value: (r) => r.deals
		});
	columns.push(
		{ header: t('receivables.col.value'), kind: 'money', width: 18, value: (r) => r.value },
		{ header: t('receivables.col.paid'), kind: 'money', width: 18, value: (r) => r.paid },
		...agingBuckets.map((b): ExportColumn<ReceivableRow> => ({
			header: t(`receivables.bucket.${b}`),
			kind: 'money',
			width: 18,
			value: (r) => r.buckets[b]
		})),
		{ header: t('receivables.col.total'), kind: 'money', width: 18, value: (r) => r.total }
	);
	if (group === 'deal' || group === 'contract')
		columns.push({
			header: t('receivables.export.link'),
			kind: 'text',
			width: 40,
			value: (r) =>
				r.dealId && r.pipelineId
					? `${origin}/o/${viewer.orgId}/boards/${r.pipelineId}?deal=${r.dealId}`
					: null
		});
	return {
		filename: `${t('receivables.export.file')}-${filters.asOf ?? localDay(timeZone)}`,
		sheet: t('receivables.export.sheet'),
		columns,
		rows: allRows(db, { viewer, timeZone, filters }),
		timeZone
	};
}

/** 400 with the fields named, in the viewer's language. */
export function invalidFilters(locale: Locale, issues: readonly FilterIssue[]) {
	const fields = [...new Set(issues.map((i) => i.field))];
	return json(
		{
			code: 'invalid_filters',
			message: translator(locale)('receivables.error.invalid', { fields: fields.join(', ') }),
			field: fields[0]
		},
		{ status: 400, headers: { 'cache-control': 'no-store' } }
	);
}
