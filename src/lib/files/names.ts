// File names as users give them, shared by the browser and the server. A name is stored exactly
// as given (Unicode, `../`, bidi overrides and all) and never used as a path; these helpers say
// what it is and how to show or send it without letting it mislead or escape.

/** Longest name accepted, in UTF-16 code units (as the browser counts `String.length`). */
export const MAX_NAME_LENGTH = 255;
/** Longest note accepted with a file. */
export const MAX_NOTE_LENGTH = 500;

// Characters that change how text around them is drawn without being seen: bidi embeddings,
// overrides and isolates (U+202E turns `gpj.exe` into what reads as `exe.jpg`), marks,
// zero-width joiners and the BOM.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
// C0 and C1 control characters (line breaks, escape, NUL…).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;

/** The extension after the last dot, lower-cased; null when there is none. */
export function extensionOf(name: string): string | null {
	const dot = name.lastIndexOf('.');
	if (dot <= 0 || dot === name.length - 1) return null;
	const ext = name.slice(dot + 1);
	if (/[/\\]/.test(ext)) return null;
	return ext.toLowerCase();
}

/**
 * The name as the list shows it: invisible formatting and control characters become a visible
 * U+FFFD, so `hợp-đồng‮fdp.exe` cannot pass for something it is not. Shown as text (escaped),
 * inside a `<bdi>` so it cannot reorder what surrounds it either.
 */
export function visibleName(name: string): string {
	return name.replace(INVISIBLE, '\ufffd').replace(CONTROL, '\ufffd');
}

/** Why a name cannot be stored, or null. NUL cannot go into PostgreSQL text. */
export function nameProblem(name: string): 'required' | 'tooLong' | 'invalid' | null {
	if (name.trim() === '') return 'required';
	if (name.length > MAX_NAME_LENGTH) return 'tooLong';
	if (name.includes('\u0000')) return 'invalid';
	return null;
}

/** Bytes for people: 532 KB, 3,4 MB (binary units, the locale's decimal mark). */
export function formatSize(bytes: number, locale: 'vi' | 'en'): string {
	const units = ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	const digits = unit === 0 || value >= 100 ? 0 : 1;
	const n = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
		maximumFractionDigits: digits
	}).format(value);
	return `${n} ${units[unit]}`;
}

/**
 * The name a download is saved under: what the user gave, with everything that could make it a
 * path or disguise it replaced by `_`: path separators, characters Windows forbids, quotes,
 * control and invisible bidi characters, runs of dots, and dots or spaces at either end.
 */
export function safeFileName(name: string): string {
	let s = name
		.normalize('NFC')
		.replace(INVISIBLE, '_')
		.replace(CONTROL, '_')
		.replace(/[/\\:*?"<>|]/g, '_')
		.replace(/\.{2,}/g, '_')
		.replace(/^[\s.]+|[\s.]+$/gu, '');
	if (s === '' || /^_*$/.test(s)) s = 'tep' + (extensionOf(name) ? `.${extensionOf(name)}` : '');
	// Keep it short enough for every file system, extension included.
	const chars = [...s];
	if (chars.length > 150) {
		const ext = extensionOf(s);
		const tail = ext && ext.length <= 10 ? `.${ext}` : '';
		s = chars.slice(0, 150 - tail.length).join('') + tail;
	}
	return s;
}

/** `safeFileName` in printable ASCII for the `filename=` fallback: Vietnamese loses its marks. */
export function asciiFileName(name: string): string {
	return safeFileName(name)
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/[%;,]/g, '_');
}
