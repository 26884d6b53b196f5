// Money is integer đồng (bigint in PostgreSQL; number or bigint here). Formatted for vi-VN
// whatever the UI language: "1.500.000 ₫".
const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

export function formatVnd(amount: number | bigint): string {
	return vnd.format(amount);
}

/** Short form for cards and column headers: "1,5 tr", "2,3 tỷ", "850 k"; full below 1,000. */
export function formatVndShort(amount: number, locale: 'vi' | 'en' = 'vi'): string {
	const units: [number, string, string][] = [
		[1e9, 'tỷ', 'bn'],
		[1e6, 'tr', 'm'],
		[1e3, 'k', 'k']
	];
	const abs = Math.abs(amount);
	for (const [size, vi, en] of units) {
		if (abs >= size) {
			const n = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
				maximumFractionDigits: abs >= size * 100 ? 0 : 1
			}).format(amount / size);
			return `${n} ${locale === 'vi' ? vi : en}`;
		}
	}
	return formatVnd(amount);
}

// Multipliers people type after a number: "1,5tr", "1,5 triệu", "2 tỷ", "500k", "500 nghìn".
const multipliers: [RegExp, number][] = [
	[/^(tỷ|tỉ|ty|ti|b|bn)$/u, 1e9],
	[/^(tr|triệu|trieu|m)$/u, 1e6],
	[/^(k|nghìn|nghin|ngàn|ngan)$/u, 1e3]
];

/**
 * Reads an amount typed the Vietnamese way into integer đồng: `1.500.000`, `1 500 000`,
 * `1500000`, `1,5tr`, `1,5 triệu`, `2 tỷ`, `500k`, with an optional `đ`/`₫`/`vnd`. With a
 * multiplier, `,` or `.` is the decimal mark; without one, `.`, `,` and spaces only group
 * thousands (so `1.500` is one thousand five hundred, never one and a half). Anything else,
 * negatives and fractions of a đồng, is null: the caller shows a message rather than guessing.
 */
export function parseVnd(input: string): number | null {
	const s = input
		.trim()
		.toLowerCase()
		.replace(/\s*(đồng|dong|vnd|vnđ|đ|₫)$/u, '')
		.trim();
	const m = /^(\d[\d.,\s]*?)\s*([\p{L}]*)$/u.exec(s);
	if (!m) return null;
	const [, num = '', unit = ''] = m;
	let value: number;
	if (unit) {
		const mult = multipliers.find(([re]) => re.test(unit))?.[1];
		if (!mult || !/^\d+([.,]\d+)?$/.test(num.trim())) return null;
		value = Number(num.trim().replace(',', '.')) * mult;
		if (!Number.isInteger(Math.round(value * 1000) / 1000)) return null;
		value = Math.round(value);
	} else {
		const grouped = num.trim();
		if (!/^\d{1,3}([.,\s]\d{3})*$/.test(grouped) && !/^\d+$/.test(grouped)) return null;
		// One separator style per number: "1.500,000" is a typo, not an amount.
		const seps = new Set(grouped.replace(/\d/g, ''));
		if (seps.size > 1) return null;
		value = Number(grouped.replace(/[.,\s]/g, ''));
	}
	return Number.isSafeInteger(value) && value <= 1e15 ? value : null;
}
