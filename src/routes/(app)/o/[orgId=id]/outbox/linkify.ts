export type Segment = { text: string; href?: string };

// http(s) URLs up to whitespace or a character that cannot end one in running text.
const URL_RE = /https?:\/\/[^\s<>"'`]+/gi;
// Sentence punctuation right after a link belongs to the sentence, not the link.
const TRAILING = /[.,;:!?)\]}»”’]+$/;

/**
 * Splits plain text into text and link segments, so a page can render links as anchors while
 * Svelte escapes everything (no {@html}). Only absolute http(s) URLs become links.
 */
export function linkify(text: string): Segment[] {
	const out: Segment[] = [];
	let last = 0;
	for (const match of text.matchAll(URL_RE)) {
		const raw = match[0].replace(TRAILING, '');
		const start = match.index;
		const href = httpUrl(raw);
		if (!href) continue;
		if (start > last) out.push({ text: text.slice(last, start) });
		out.push({ text: raw, href });
		last = start + raw.length;
	}
	if (last < text.length) out.push({ text: text.slice(last) });
	return out;
}

function httpUrl(raw: string): string | null {
	try {
		const u = new URL(raw);
		return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
	} catch {
		return null;
	}
}
