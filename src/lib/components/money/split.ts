// "Chia đều N đợt": the remaining amount as N monthly instalments. Amounts are whole thousands of
// đồng when there is enough to split (nobody invoices 3.333.333 đ), and the last instalment takes
// what rounding left over, so the instalments always add up to the amount exactly.

export type PlannedInstalment = { dueOn: string; amount: number };

/** `YYYY-MM-DD` plus `months` calendar months, the day kept or clamped to the month's end. */
export function addMonths(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const index = y * 12 + (m - 1) + months;
	const year = Math.floor(index / 12);
	const month = (index % 12) + 1;
	const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
	const day = Math.min(d, last);
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function splitEvenly(amount: number, count: number, start: string): PlannedInstalment[] {
	if (!Number.isSafeInteger(amount) || amount <= 0 || !Number.isInteger(count) || count < 1)
		return [];
	const unit = amount >= count * 1000 ? 1000 : 1;
	const each = Math.floor(amount / count / unit) * unit;
	return Array.from({ length: count }, (_, i) => ({
		dueOn: addMonths(start, i),
		amount: i === count - 1 ? amount - each * (count - 1) : each
	}));
}
