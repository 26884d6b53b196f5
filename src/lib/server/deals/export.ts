import type { DealColumn } from '$lib/deals/columns';
import type { DealFilters } from '$lib/deals/filters';
import { nationalPhone } from '$lib/format/phone';
import { translator, type Locale, type Translate } from '$lib/i18n';
import type { Tx } from '../db';
import type { ExportColumn, ExportInput } from '../export/table';
import * as deals from './deals.repo';
import type { DealListRow, Viewer } from './deals.repo';

// The columns of a deals export, in the list's order: the ones shown on the page, plus the star
// and a link back to the deal, so a row in a spreadsheet leads to its card.

export function dealExportColumns(
	t: Translate,
	{ columns, orgId, origin }: { columns: readonly DealColumn[]; orgId: string; origin: string }
): ExportColumn<DealListRow>[] {
	const byId: Record<DealColumn, ExportColumn<DealListRow>> = {
		title: { header: t('deals.col.title'), kind: 'text', width: 36, value: (r) => r.title },
		customer: {
			header: t('deals.col.customer'),
			kind: 'text',
			width: 28,
			value: (r) => r.customerName
		},
		phone: {
			header: t('deals.col.phone'),
			kind: 'text',
			width: 16,
			value: (r) => nationalPhone(r.customerPhone)
		},
		amount: { header: t('deals.col.amount'), kind: 'money', width: 18, value: (r) => r.amount },
		paid: {
			header: t('deals.export.paid'),
			kind: 'money',
			width: 18,
			value: (r) => r.paid ?? 0
		},
		stage: { header: t('deals.col.stage'), kind: 'text', width: 20, value: (r) => r.stageName },
		pipeline: {
			header: t('deals.col.pipeline'),
			kind: 'text',
			width: 20,
			value: (r) => r.pipelineName
		},
		owner: { header: t('deals.col.owner'), kind: 'text', width: 22, value: (r) => r.ownerName },
		status: {
			header: t('deals.col.status'),
			kind: 'text',
			width: 12,
			value: (r) => t(`deals.status.${r.status}`)
		},
		expectedClose: {
			header: t('deals.col.expectedClose'),
			kind: 'date',
			width: 14,
			value: (r) => r.expectedCloseDate
		},
		source: { header: t('deals.col.source'), kind: 'text', width: 16, value: (r) => r.source },
		lostReason: {
			header: t('deals.col.lostReason'),
			kind: 'text',
			width: 28,
			value: (r) => r.lostReason
		},
		standby: {
			header: t('deals.col.standby'),
			kind: 'date',
			width: 14,
			value: (r) => r.standbyUntil
		},
		created: {
			header: t('deals.col.created'),
			kind: 'datetime',
			width: 18,
			value: (r) => r.createdAt
		},
		updated: {
			header: t('deals.col.updated'),
			kind: 'datetime',
			width: 18,
			value: (r) => r.updatedAt
		}
	};
	const star: ExportColumn<DealListRow> = {
		header: t('deals.col.starred'),
		kind: 'text',
		width: 10,
		value: (r) => (r.starred ? '★' : null)
	};
	const link: ExportColumn<DealListRow> = {
		header: t('deals.col.link'),
		kind: 'text',
		width: 40,
		value: (r) => `${origin}/o/${orgId}/boards/${r.pipelineId}?deal=${r.id}`
	};
	const [first, ...rest] = columns.map((c) => byId[c]);
	return [first!, star, ...rest, link];
}

/** `2026-01-31` in the time zone: the date in an export's file name. */
export function localDay(timeZone: string, at = new Date()): string {
	// Making a formatter costs far more than using one (ledger endpoints call this per request).
	let format = dayFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' });
		dayFormats.set(timeZone, format);
	}
	return format.format(at);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Everything csvResponse / xlsxResponse need for the deals the viewer may see. */
export function dealsExport(
	db: Tx,
	{
		viewer,
		filters,
		columns,
		locale,
		timeZone,
		origin
	}: {
		viewer: Viewer;
		filters: DealFilters;
		columns: readonly DealColumn[];
		locale: Locale;
		timeZone: string;
		origin: string;
	}
): ExportInput<DealListRow> {
	const t = translator(locale);
	return {
		filename: `${t('deals.export.file')}-${localDay(timeZone)}`,
		sheet: t('deals.export.sheet'),
		columns: dealExportColumns(t, { columns, orgId: viewer.orgId, origin }),
		// The list's own query, page after page: the same filters and permission, no limit.
		rows: deals.all(db, { ...viewer, filters, columns }),
		timeZone
	};
}
