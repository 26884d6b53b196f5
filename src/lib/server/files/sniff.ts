import { extensionOf } from '$lib/files/names';
import type { FileKind } from '$lib/files/types';

// What a file is, decided from its first bytes (magic numbers), never from the name or the
// Content-Type the browser sent. Only the allow-list below is accepted; everything the browser
// could run or render as a page (HTML, SVG, XML, scripts, executables) is refused, whatever the
// name says. The name's extension must then agree with the content, so that what the user sees
// in the list is what opens on their computer.

export type FileType = {
	mime: string;
	kind: FileKind;
	/** How the type is named in messages (the same in both languages). */
	label: string;
	extensions: readonly string[];
};

const T = {
	pdf: { mime: 'application/pdf', kind: 'pdf', label: 'PDF', extensions: ['pdf'] },
	png: { mime: 'image/png', kind: 'image', label: 'PNG', extensions: ['png'] },
	jpeg: {
		mime: 'image/jpeg',
		kind: 'image',
		label: 'JPEG',
		extensions: ['jpg', 'jpeg', 'jpe', 'jfif']
	},
	gif: { mime: 'image/gif', kind: 'image', label: 'GIF', extensions: ['gif'] },
	webp: { mime: 'image/webp', kind: 'image', label: 'WebP', extensions: ['webp'] },
	docx: {
		mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		kind: 'office',
		label: 'Word',
		extensions: ['docx']
	},
	xlsx: {
		mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		kind: 'office',
		label: 'Excel',
		extensions: ['xlsx']
	},
	pptx: {
		mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		kind: 'office',
		label: 'PowerPoint',
		extensions: ['pptx']
	},
	doc: { mime: 'application/msword', kind: 'office', label: 'Word', extensions: ['doc'] },
	xls: { mime: 'application/vnd.ms-excel', kind: 'office', label: 'Excel', extensions: ['xls'] },
	ppt: {
		mime: 'application/vnd.ms-powerpoint',
		kind: 'office',
		label: 'PowerPoint',
		extensions: ['ppt']
	},
	txt: { mime: 'text/plain', kind: 'text', label: 'TXT', extensions: ['txt'] },
	csv: { mime: 'text/csv', kind: 'text', label: 'CSV', extensions: ['csv'] }
} as const satisfies Record<string, FileType>;

export const fileTypes: readonly FileType[] = Object.values(T);

/** The kind of a stored file, from the type detected when it was uploaded. */
export function kindOf(mime: string): FileKind {
	return fileTypes.find((t) => t.mime === mime)?.kind ?? 'office';
}

export type SniffRefusal =
	'empty' | 'html' | 'executable' | 'script' | 'macro' | 'unsupported' | 'mismatch';

export type SniffResult =
	| { ok: true; type: FileType }
	/** `type`: what the content is, when it is an accepted type under the wrong name. */
	| { ok: false; reason: SniffRefusal; type?: FileType };

/** How many leading bytes `sniff` wants (it is given the first stored chunk, 1 MiB). */
export const SNIFF_BYTES = 1024 * 1024;

/**
 * Decides a file's type from its first bytes. `complete` says `head` is the whole file (a text
 * file cut in the middle of a UTF-8 sequence is then malformed, not merely cut).
 */
export function sniff({
	head,
	name,
	complete
}: {
	head: Uint8Array;
	name: string;
	complete: boolean;
}): SniffResult {
	if (head.length === 0) return { ok: false, reason: 'empty' };
	const refused = dangerous(head);
	if (refused) return { ok: false, reason: refused };
	const found = detect(head, name, complete);
	if (!('mime' in found)) return found;
	const ext = extensionOf(name);
	if (ext === null || !found.extensions.includes(ext)) {
		return { ok: false, reason: 'mismatch', type: found };
	}
	return { ok: true, type: found };
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0) {
	if (b.length < at + sig.length) return false;
	for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
	return true;
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

// Checked before anything else: these are refused even under an accepted type's name.
function dangerous(b: Uint8Array): SniffRefusal | null {
	if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'executable'; // ELF
	// Mach-O (32/64-bit, both byte orders) and universal binaries (also Java classes).
	for (const sig of [
		[0xfe, 0xed, 0xfa, 0xce],
		[0xfe, 0xed, 0xfa, 0xcf],
		[0xce, 0xfa, 0xed, 0xfe],
		[0xcf, 0xfa, 0xed, 0xfe],
		[0xca, 0xfe, 0xba, 0xbe]
	]) {
		if (startsWith(b, sig)) return 'executable';
	}
	if (isPe(b)) return 'executable';
	const text = leadingText(b);
	if (text.startsWith('#!') || text.startsWith('<?php') || /^@echo\s+off/i.test(text)) {
		return 'script';
	}
	// HTML, SVG, XML and anything else a browser might render as a document.
	if (text.startsWith('<')) return 'html';
	return null;
}

// DOS/Windows executables start with "MZ". A text file may too, so it counts only with the PE
// header where the DOS header points, or with the binary bytes a DOS header is made of.
function isPe(b: Uint8Array) {
	if (!startsWith(b, ascii('MZ'))) return false;
	if (b.length >= 0x40) {
		const peAt = b[0x3c]! | (b[0x3d]! << 8) | (b[0x3e]! << 16) | (b[0x3f]! << 24);
		if (peAt > 0 && peAt + 4 <= b.length && startsWith(b, [0x50, 0x45, 0, 0], peAt)) return true;
	}
	return b.subarray(0, 64).some((x) => x < 0x09);
}

// The first bytes as text for the markup and script checks: a UTF-8 or UTF-16 byte-order mark
// and leading white space skipped, lower-cased; UTF-16 is read too (an HTML page can be UTF-16).
function leadingText(b: Uint8Array): string {
	let s: string;
	if (startsWith(b, [0xff, 0xfe])) s = new TextDecoder('utf-16le').decode(b.subarray(2, 1026));
	else if (startsWith(b, [0xfe, 0xff])) s = new TextDecoder('utf-16be').decode(b.subarray(2, 1026));
	else s = new TextDecoder('utf-8').decode(b.subarray(0, 1024));
	return s.replace(/^[\ufeff\s\0]+/, '').toLowerCase();
}

function detect(b: Uint8Array, name: string, complete: boolean): FileType | SniffResult {
	if (startsWith(b, ascii('%PDF-'))) return T.pdf;
	if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return T.png;
	if (startsWith(b, [0xff, 0xd8, 0xff])) return T.jpeg;
	if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return T.gif;
	if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return T.webp;
	if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return officeOpenXml(b);
	// OLE2 compound file: Word/Excel/PowerPoint 97–2003, but also .msi installers and others,
	// which look the same from outside; accepted only under one of the three Office names.
	if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
		const ext = extensionOf(name);
		const legacy = ([T.doc, T.xls, T.ppt] as FileType[]).find(
			(t) => ext !== null && t.extensions.includes(ext)
		);
		return legacy ?? { ok: false, reason: 'unsupported' };
	}
	const text = plainText(b, complete);
	if (text === 'markup') return { ok: false, reason: 'html' };
	if (text === 'text') return extensionOf(name) === 'csv' ? T.csv : T.txt;
	return { ok: false, reason: 'unsupported' };
}

// docx/xlsx/pptx are ZIP archives with `[Content_Types].xml` and a `word/`, `xl/` or `ppt/`
// folder. The local file headers in the first bytes name the entries; any other ZIP is refused,
// and so are macro-enabled documents (they carry a `vbaProject.bin`).
function officeOpenXml(b: Uint8Array): FileType | SniffResult {
	const names = zipEntryNames(b);
	if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return { ok: false, reason: 'macro' };
	if (!names.includes('[Content_Types].xml')) return { ok: false, reason: 'unsupported' };
	if (names.some((n) => n.startsWith('word/'))) return T.docx;
	if (names.some((n) => n.startsWith('xl/'))) return T.xlsx;
	if (names.some((n) => n.startsWith('ppt/'))) return T.pptx;
	return { ok: false, reason: 'unsupported' };
}

function zipEntryNames(b: Uint8Array): string[] {
	const names: string[] = [];
	const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
	const decoder = new TextDecoder('utf-8');
	// Every local file header in the buffer (entries written with a data descriptor do not say
	// their size up front, so they cannot be skipped over; searching finds the next one anyway).
	for (let at = 0; at + 30 <= b.length; at++) {
		if (b[at] !== 0x50 || b[at + 1] !== 0x4b || b[at + 2] !== 0x03 || b[at + 3] !== 0x04) continue;
		const nameLength = view.getUint16(at + 26, true);
		if (nameLength === 0 || at + 30 + nameLength > b.length) continue;
		names.push(decoder.decode(b.subarray(at + 30, at + 30 + nameLength)));
		at += 29 + nameLength;
	}
	return names;
}

// UTF-8 text (a byte-order mark allowed) without NUL or control characters other than tab,
// line feed, form feed and carriage return. Markup at the start was refused before this.
function plainText(b: Uint8Array, complete: boolean): 'text' | 'markup' | null {
	for (const x of b) {
		if (x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0c && x !== 0x0d) return null;
		if (x === 0x7f) return null;
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: !complete });
	} catch {
		return null;
	}
	// Not dangerous as we serve text (an attachment, text/plain, nosniff), but nobody attaches
	// a web page to a deal as a text file in good faith.
	return /<(script|html|iframe|object|embed|svg)\b/i.test(text) ? 'markup' : 'text';
}
