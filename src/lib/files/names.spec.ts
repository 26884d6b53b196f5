import { describe, expect, it } from 'vitest';
import {
	asciiFileName,
	extensionOf,
	formatSize,
	nameProblem,
	safeFileName,
	visibleName
} from './names';

describe('file names', () => {
	it('finds the extension after the last dot only', () => {
		expect(extensionOf('Báo giá.v2.PDF')).toBe('pdf');
		expect(extensionOf('.bashrc')).toBeNull();
		expect(extensionOf('hop-dong')).toBeNull();
		expect(extensionOf('a.b/c')).toBeNull();
	});

	it('makes invisible bidi and control characters visible in the list', () => {
		expect(visibleName('hop-dong-\u202Egnp.pdf')).toBe('hop-dong-\ufffdgnp.pdf');
		expect(visibleName('a\nb\u0007.pdf')).toBe('a\ufffdb\ufffd.pdf');
		expect(visibleName('Hợp đồng.pdf')).toBe('Hợp đồng.pdf');
	});

	it('saves downloads under a name that is neither a path nor a disguise', () => {
		expect(safeFileName('../../etc/passwd.pdf')).toBe('____etc_passwd.pdf');
		expect(safeFileName('..\\..\\boot.ini.txt')).not.toMatch(/[\\/]|\.\./);
		expect(safeFileName('hop-dong-\u202Egnp.pdf')).toBe('hop-dong-_gnp.pdf');
		expect(safeFileName('Báo "giá" <1>.pdf')).toBe('Báo _giá_ _1_.pdf');
		expect(safeFileName('  .hidden.pdf. ')).toBe('hidden.pdf');
		expect(safeFileName('\u202E')).toBe('tep');
	});

	it('keeps Vietnamese in the UTF-8 name and strips its marks for the ASCII fallback', () => {
		expect(safeFileName('Hợp đồng Đà Nẵng.pdf')).toBe('Hợp đồng Đà Nẵng.pdf');
		expect(asciiFileName('Hợp đồng Đà Nẵng.pdf')).toBe('Hop dong Da Nang.pdf');
		expect(asciiFileName('báo giá 100%; v2.pdf')).toBe('bao gia 100__ v2.pdf');
		expect(asciiFileName('合同.pdf')).toBe('__.pdf');
	});

	it('shortens very long names but keeps the extension', () => {
		const long = safeFileName('a'.repeat(300) + '.xlsx');
		expect([...long]).toHaveLength(150);
		expect(long.endsWith('.xlsx')).toBe(true);
	});

	it('refuses names that cannot be stored', () => {
		expect(nameProblem('   ')).toBe('required');
		expect(nameProblem('a'.repeat(256))).toBe('tooLong');
		expect(nameProblem('a\u0000.pdf')).toBe('invalid');
		expect(nameProblem('../../etc/passwd.pdf')).toBeNull();
	});

	it('formats sizes with the locale’s decimal mark', () => {
		expect(formatSize(512, 'vi')).toBe('512 B');
		expect(formatSize(3.5 * 1024 * 1024, 'vi')).toBe('3,5 MB');
		expect(formatSize(3.5 * 1024 * 1024, 'en')).toBe('3.5 MB');
		expect(formatSize(25 * 1024 * 1024, 'vi')).toBe('25 MB');
	});
});
