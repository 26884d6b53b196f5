// Months travel as `YYYY-MM-01` from the server and `YYYY-MM` in URLs; people read `01/2026`.

export function monthLabel(month: string): string {
	return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}

export function monthSlug(month: string): string {
	return month.slice(0, 7);
}

export function shiftMonth(month: string, n: number): string {
	const y = Number(month.slice(0, 4));
	const m = Number(month.slice(5, 7));
	const idx = y * 12 + (m - 1) + n;
	return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}-01`;
}

/** Basis points as a percentage: 250 → "2,5 %". */
export function ratePercent(bp: number, locale: 'vi' | 'en'): string {
	const n = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		maximumFractionDigits: 2
	}).format(bp / 100);
	return `${n} %`;
}
