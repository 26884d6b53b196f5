// How a search query is read, shared by the server (SQL search) and the browser (offline search
// over the boards already loaded), so both find the same things. Text is folded as PostgreSQL's
// chot_fold folds names (unaccent + lower): `Nguyễn Văn Đức` → `nguyen van duc`. A query made of
// digits (and the spaces, dots, dashes, brackets and plus people type in phones) is also a phone
// query, reduced to the national digits stored for matching: `+84 912 345 678` → `912345678`,
// which is inside `0912345678`, as `0912345678` and `345678` are.

/** Shortest digit run searched as (part of) a phone number. */
export const MIN_PHONE_DIGITS = 4;
/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 100;
/** Most words of a query used for word matching and typo correction. */
export const MAX_QUERY_WORDS = 8;

// Characters NFD does not decompose but unaccent maps (Vietnamese needs only đ/Đ; dashes and
// curly quotes come with text pasted from documents).
const EXTRA: Record<string, string> = {
	'–': '-',
	'—': '-',
	'‘': "'",
	'’': "'",
	'“': '"',
	'”': '"',
	đ: 'd',
	Đ: 'd',
	ð: 'd',
	ø: 'o',
	Ø: 'o',
	ł: 'l',
	Ł: 'l',
	ß: 'ss',
	æ: 'ae',
	Æ: 'ae',
	œ: 'oe',
	Œ: 'oe'
};

/** Accents off, đ → d, lower case, whitespace collapsed: `  Trần  ĐỨC ` → `tran duc`. */
export function fold(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.replace(/[đĐðøØłŁßæÆœŒ–—‘’“”]/g, (c) => EXTRA[c] ?? c)
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/** The words of folded text, as the search dictionary splits them (`wi-fi` → `wi`, `fi`). */
export function words(folded: string): string[] {
	return folded.split(/[^a-z0-9]+/).filter(Boolean);
}

/**
 * The digits to look for in stored phones (national form, `0912345678`), or null when the query
 * is not a phone: only digits and phone punctuation, at least MIN_PHONE_DIGITS digits.
 */
export function phoneDigits(query: string): string | null {
	const trimmed = query.trim();
	if (!/^\+?[\d\s.\-()]+$/.test(trimmed)) return null;
	let digits = trimmed.replace(/\D/g, '');
	// The country code of Vietnam, written +84, 0084, or 84 before a 9-digit national number.
	if (trimmed.startsWith('+84')) digits = digits.slice(2);
	else if (digits.startsWith('0084')) digits = digits.slice(4);
	else if (digits.length === 11 && digits.startsWith('84')) digits = digits.slice(2);
	else if (trimmed.startsWith('+')) digits = digits.replace(/^0+/, '');
	return digits.length >= MIN_PHONE_DIGITS ? digits : null;
}

/** The national digits of a stored E.164 phone, as SQL's chot_phone_digits: `+84912…` → `0912…`. */
export function storedPhoneDigits(e164: string): string {
	return e164.startsWith('+84') ? '0' + e164.slice(3).replace(/\D/g, '') : e164.replace(/\D/g, '');
}

export type ParsedQuery = {
	/** The folded query (`nguyen van an`). */
	text: string;
	/** Its words, at most MAX_QUERY_WORDS. */
	words: string[];
	/** Digits to find in phones, or null. */
	digits: string | null;
};

export function parseQuery(query: string): ParsedQuery {
	const text = fold(query);
	return { text, words: words(text).slice(0, MAX_QUERY_WORDS), digits: phoneDigits(query) };
}

/** How many edits (Damerau: a swap of two neighbours is one) a word may be off by. */
export function typoBudget(word: string): number {
	return word.length <= 1 ? 0 : word.length <= 4 ? 1 : 2;
}

/** Optimal-string-alignment distance, giving up (returning max + 1) once over `max`. */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let prev2: number[] = [];
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d = Math.min(d, prev2[j - 2]! + 1);
			}
			cur.push(d);
			best = Math.min(best, d);
		}
		if (best > max) return max + 1;
		prev2 = prev;
		prev = cur;
	}
	return prev[b.length]!;
}

/**
 * How well a record's text (and phone) matches a query, the way the server ranks: 0 the text
 * starts with the query, 1 the phone holds its digits, 2 the text holds it, 3 every query word
 * starts one of the text's words, 4 the same within a typo or two; null when it does not match.
 */
export function rank(
	query: ParsedQuery,
	{ text, phone }: { text: string; phone?: string | null }
): number | null {
	if (query.digits && phone && storedPhoneDigits(phone).includes(query.digits)) return 1;
	if (!query.text) return null;
	const folded = fold(text);
	if (folded.startsWith(query.text)) return 0;
	if (folded.includes(query.text)) return 2;
	if (query.words.length === 0) return null;
	const own = words(folded);
	const last = query.words.length - 1;
	if (query.words.every((w) => own.some((o) => o.startsWith(w)))) return 3;
	const near = query.words.every((w, i) =>
		own.some((o) => {
			const budget = typoBudget(w);
			if (budget === 0) return o.startsWith(w);
			// The last word may still be being typed: compare it with the start of the word.
			const target = i === last && o.length > w.length ? o.slice(0, w.length) : o;
			return editDistance(w, target, budget) <= budget;
		})
	);
	return near ? 4 : null;
}
