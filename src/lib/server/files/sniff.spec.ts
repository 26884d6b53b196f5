import { describe, expect, it } from 'vitest';
import { sniff } from './sniff';

const bytes = (...parts: (string | number[])[]) =>
	Buffer.concat(
		parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))
	);

const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'rest of a png');
const PDF = bytes('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');

// A ZIP local file header naming one entry (stored, empty), as Office writes them.
function zipEntry(name: string) {
	const header = Buffer.alloc(30);
	header.writeUInt32LE(0x04034b50, 0);
	header.writeUInt16LE(Buffer.byteLength(name), 26);
	return Buffer.concat([header, Buffer.from(name)]);
}
const zip = (...names: string[]) => Buffer.concat(names.map(zipEntry));

const check = (head: Uint8Array, name: string) => sniff({ head, name, complete: true });

describe('sniff', () => {
	it('accepts the allowed types when the name agrees', () => {
		expect(check(PDF, 'Báo giá.pdf')).toMatchObject({
			ok: true,
			type: { mime: 'application/pdf' }
		});
		expect(check(PNG, 'ban-ve.PNG')).toMatchObject({ ok: true, type: { mime: 'image/png' } });
		expect(check(bytes([0xff, 0xd8, 0xff, 0xe0]), 'anh.jpeg')).toMatchObject({
			ok: true,
			type: { mime: 'image/jpeg' }
		});
		expect(check(bytes('GIF89a'), 'a.gif')).toMatchObject({ ok: true });
		expect(check(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'a.webp')).toMatchObject({ ok: true });
		expect(check(bytes('Tên,SĐT\nAn,0912345678\n'), 'khach.csv')).toMatchObject({
			ok: true,
			type: { mime: 'text/csv' }
		});
		expect(check(bytes('ghi chú'), 'note.txt')).toMatchObject({
			ok: true,
			type: { mime: 'text/plain' }
		});
	});

	it('tells Word, Excel and PowerPoint apart by the folders inside the ZIP', () => {
		const docx = zip('[Content_Types].xml', '_rels/.rels', 'word/document.xml');
		const xlsx = zip('[Content_Types].xml', 'xl/workbook.xml');
		const pptx = zip('[Content_Types].xml', 'ppt/presentation.xml');
		expect(check(docx, 'hop-dong.docx')).toMatchObject({ ok: true, type: { label: 'Word' } });
		expect(check(xlsx, 'bang-gia.xlsx')).toMatchObject({ ok: true, type: { label: 'Excel' } });
		expect(check(pptx, 'gioi-thieu.pptx')).toMatchObject({
			ok: true,
			type: { label: 'PowerPoint' }
		});
	});

	it('refuses other ZIP archives and macro-enabled documents', () => {
		expect(check(zip('setup.exe'), 'a.docx')).toMatchObject({ ok: false, reason: 'unsupported' });
		const docm = zip('[Content_Types].xml', 'word/document.xml', 'word/vbaProject.bin');
		expect(check(docm, 'a.docx')).toMatchObject({ ok: false, reason: 'macro' });
	});

	it('refuses a .pdf that is really HTML, SVG or XML, whatever the case or byte-order mark', () => {
		for (const page of [
			'<!DOCTYPE html><html><script>alert(1)</script>',
			'\ufeff  \n<HTML><body>',
			'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
			'<?xml version="1.0"?><x/>'
		]) {
			expect(check(bytes(page), 'bao-gia.pdf'), page).toMatchObject({ ok: false, reason: 'html' });
		}
		const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html>', 'utf16le')]);
		expect(check(utf16, 'a.pdf')).toMatchObject({ ok: false, reason: 'html' });
	});

	it('refuses executables and scripts under any name', () => {
		const elf = bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
		const pe = Buffer.alloc(128);
		pe.write('MZ', 0);
		pe.writeUInt32LE(64, 0x3c);
		pe.write('PE\0\0', 64, 'latin1');
		const macho = bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]);
		for (const [exe, label] of [
			[elf, 'ELF'],
			[pe, 'PE'],
			[macho, 'Mach-O']
		] as const) {
			expect(check(exe, 'hop-dong.pdf'), label).toMatchObject({ ok: false, reason: 'executable' });
		}
		expect(check(bytes('#!/bin/sh\nrm -rf /'), 'a.pdf')).toMatchObject({
			ok: false,
			reason: 'script'
		});
		expect(check(bytes('@ECHO OFF\r\ndel *'), 'a.txt')).toMatchObject({
			ok: false,
			reason: 'script'
		});
	});

	it('does not take a text that happens to start with MZ for a program', () => {
		expect(check(bytes('MZ Corp, Hà Nội\n'), 'lien-he.txt')).toMatchObject({ ok: true });
	});

	it('refuses a text file carrying a web page', () => {
		expect(check(bytes('ten,ghi chu\nAn,<script>x</script>\n'), 'a.csv')).toMatchObject({
			ok: false,
			reason: 'html'
		});
	});

	it('refuses an accepted type under another type’s name, saying what it is', () => {
		expect(check(PNG, 'hop-dong.pdf')).toMatchObject({
			ok: false,
			reason: 'mismatch',
			type: { label: 'PNG' }
		});
		expect(check(PDF, 'hop-dong')).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(check(bytes('chỉ là chữ'), 'hop-dong.pdf')).toMatchObject({
			ok: false,
			reason: 'mismatch',
			type: { label: 'TXT' }
		});
	});

	it('accepts legacy Office files only under an Office name', () => {
		const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], [0, 0, 0, 0]);
		expect(check(ole, 'bao-gia.xls')).toMatchObject({
			ok: true,
			type: { mime: 'application/vnd.ms-excel' }
		});
		expect(check(ole, 'setup.msi')).toMatchObject({ ok: false, reason: 'unsupported' });
	});

	it('refuses binary content it does not know, and empty files', () => {
		expect(check(bytes([0x1f, 0x8b, 8, 0, 0, 0]), 'a.txt')).toMatchObject({
			ok: false,
			reason: 'unsupported'
		});
		expect(check(new Uint8Array(0), 'a.txt')).toMatchObject({ ok: false, reason: 'empty' });
	});

	it('reads a UTF-8 character cut at the end of the first piece as text, not as damage', () => {
		const cut = Buffer.from('Nguyễn', 'utf8').subarray(0, 5);
		expect(sniff({ head: cut, name: 'a.txt', complete: false })).toMatchObject({ ok: true });
		expect(sniff({ head: cut, name: 'a.txt', complete: true })).toMatchObject({
			ok: false,
			reason: 'unsupported'
		});
	});
});
