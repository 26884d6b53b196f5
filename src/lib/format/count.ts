// Counts of things (deals, customers) in the UI language's grouping: "5.012" in Vietnamese,
// "5,012" in English.
const formats = {
	vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }),
	en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 })
};

export function formatCount(n: number, locale: 'vi' | 'en' = 'vi'): string {
	return formats[locale].format(n);
}
