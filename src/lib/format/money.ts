// Money is integer đồng (bigint in PostgreSQL; number or bigint here). Formatted for vi-VN
// whatever the UI language: "1.500.000 ₫".
const vnd = new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' });

export function formatVnd(amount: number | bigint): string {
	return vnd.format(amount);
}
