import { filtersQuery, type DealFilters } from '$lib/deals/filters';
import { formatVndShort } from '$lib/format/money';
import type { Translate } from '$lib/i18n';

// The active filters as removable chips: each chip's link is the list's URL without it.

export type Chip = { id: string; label: string; href: string };

type Names = {
	people: ReadonlyMap<string, string>;
	pipelines: ReadonlyMap<string, string>;
	stages: ReadonlyMap<string, string>;
};

const href = (f: DealFilters) => `?${filtersQuery(f)}`;

export function filterChips(
	f: DealFilters,
	{
		t,
		names,
		day,
		locale
	}: { t: Translate; names: Names; day: (d: string) => string; locale: 'vi' | 'en' }
): Chip[] {
	const chips: Chip[] = [];
	const range = (from: string | null, to: string | null) =>
		from && to
			? t('deals.range.between', { from, to })
			: from
				? t('deals.range.from', { from })
				: t('deals.range.to', { to: to ?? '' });
	for (const o of f.owners) {
		chips.push({
			id: `owner:${o}`,
			label:
				o === 'me'
					? t('deals.filter.owner.me')
					: (names.people.get(o) ?? t('deals.chip.unknownPerson')),
			href: href({ ...f, owners: f.owners.filter((x) => x !== o) })
		});
	}
	for (const s of f.statuses) {
		chips.push({
			id: `status:${s}`,
			label: t(`deals.status.${s}`),
			href: href({ ...f, statuses: f.statuses.filter((x) => x !== s) })
		});
	}
	for (const p of f.pipelines) {
		chips.push({
			id: `pipeline:${p}`,
			label: names.pipelines.get(p) ?? t('deals.chip.unknownPipeline'),
			href: href({ ...f, pipelines: f.pipelines.filter((x) => x !== p) })
		});
	}
	for (const s of f.stages) {
		chips.push({
			id: `stage:${s}`,
			label: names.stages.get(s) ?? t('deals.chip.unknownStage'),
			href: href({ ...f, stages: f.stages.filter((x) => x !== s) })
		});
	}
	if (f.starred) {
		chips.push({
			id: 'starred',
			label: t('deals.chip.starred'),
			href: href({ ...f, starred: false })
		});
	}
	if (f.overdue) {
		chips.push({
			id: 'overdue',
			label: t('deals.chip.overdue'),
			href: href({ ...f, overdue: false })
		});
	}
	if (f.createdFrom || f.createdTo) {
		chips.push({
			id: 'created',
			label: t('deals.chip.created', {
				range: range(f.createdFrom && day(f.createdFrom), f.createdTo && day(f.createdTo))
			}),
			href: href({ ...f, createdFrom: null, createdTo: null })
		});
	}
	if (f.closeFrom || f.closeTo) {
		chips.push({
			id: 'close',
			label: t('deals.chip.close', {
				range: range(f.closeFrom && day(f.closeFrom), f.closeTo && day(f.closeTo))
			}),
			href: href({ ...f, closeFrom: null, closeTo: null })
		});
	}
	if (f.standbyFrom || f.standbyTo) {
		chips.push({
			id: 'standby',
			label: t('deals.chip.standby', {
				range: range(f.standbyFrom && day(f.standbyFrom), f.standbyTo && day(f.standbyTo))
			}),
			href: href({ ...f, standbyFrom: null, standbyTo: null })
		});
	}
	if (f.amountMin !== null || f.amountMax !== null) {
		const money = (v: number | null) => (v === null ? null : formatVndShort(v, locale));
		chips.push({
			id: 'amount',
			label: t('deals.chip.amount', { range: range(money(f.amountMin), money(f.amountMax)) }),
			href: href({ ...f, amountMin: null, amountMax: null })
		});
	}
	return chips;
}
