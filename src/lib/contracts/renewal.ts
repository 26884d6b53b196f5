/** The number a renewal suggests: `HĐ-01` → `HĐ-01-GH1`, `HĐ-01-GH1` → `HĐ-01-GH2`. */
export function suggestNumber(number: string): string {
	const m = /^(.*)-GH(\d+)$/.exec(number);
	const next = m ? `${m[1]}-GH${Number(m[2]) + 1}` : `${number}-GH1`;
	// Within the 50 characters a number may have: the suffix matters more than the start.
	const chars = [...next];
	return chars.length > 50 ? chars.slice(-50).join('') : next;
}

/** A đồng amount as people type it in a form: "150.000.000". */
export function amountText(value: number): string {
	return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(value);
}
