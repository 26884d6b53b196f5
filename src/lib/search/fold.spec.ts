import { describe, expect, it } from 'vitest';
import {
	editDistance,
	fold,
	parseQuery,
	phoneDigits,
	rank,
	storedPhoneDigits,
	words
} from './fold';

describe('fold', () => {
	it('takes accents off Vietnamese, đ included, and lowers the case', () => {
		expect(fold('Nguyễn Văn An')).toBe('nguyen van an');
		expect(fold('TRẦN ĐỨC')).toBe('tran duc');
		expect(fold('Đặng Thu Trang')).toBe('dang thu trang');
		expect(fold('Ỷ Lan, Ước, Ấn, Ở')).toBe('y lan, uoc, an, o');
	});

	it('collapses and trims whitespace', () => {
		expect(fold('  Trần\t\tĐức  Minh ')).toBe('tran duc minh');
	});

	it('reads text in decomposed form (NFD) the same as composed', () => {
		expect(fold('Nguyễn'.normalize('NFD'))).toBe('nguyen');
	});

	it('splits folded text into the words the dictionary holds', () => {
		expect(words(fold('Mạng Wi-Fi toàn khách sạn'))).toEqual([
			'mang',
			'wi',
			'fi',
			'toan',
			'khach',
			'san'
		]);
	});
});

describe('phoneDigits', () => {
	it('reduces every way of writing a Vietnamese number to digits inside its national form', () => {
		const national = storedPhoneDigits('+84912345678');
		expect(national).toBe('0912345678');
		for (const q of [
			'0912 345 678',
			'+84912345678',
			'+84 912 345 678',
			'912345678',
			'84912345678',
			'0084 912 345 678',
			'0912.345.678',
			'(091) 234-5678'
		]) {
			const digits = phoneDigits(q);
			expect(digits, q).not.toBeNull();
			expect(national.includes(digits!), q).toBe(true);
		}
	});

	it('takes any 4 or more digits, and nothing shorter', () => {
		expect(phoneDigits('345678')).toBe('345678');
		expect(phoneDigits('5678')).toBe('5678');
		expect(phoneDigits('678')).toBeNull();
	});

	it('is not a phone query when letters are mixed in', () => {
		expect(phoneDigits('máy 2 chiều 12000')).toBeNull();
		expect(phoneDigits('0912abc')).toBeNull();
	});

	it('keeps the country code of numbers outside Vietnam', () => {
		expect(storedPhoneDigits('+12025550123')).toBe('12025550123');
		expect(phoneDigits('+1 202 555 0123')).toBe('12025550123');
	});
});

describe('editDistance', () => {
	it('counts a swap of neighbours as one edit', () => {
		expect(editDistance('vna', 'van', 2)).toBe(1);
		expect(editDistance('nguyne', 'nguyen', 2)).toBe(1);
	});

	it('counts insertions, deletions and substitutions', () => {
		expect(editDistance('tran', 'trann', 2)).toBe(1);
		expect(editDistance('duc', 'du', 2)).toBe(1);
		expect(editDistance('minh', 'manh', 2)).toBe(1);
	});

	it('gives up past the budget', () => {
		expect(editDistance('an', 'nguyen', 2)).toBe(3);
		expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
	});
});

describe('rank', () => {
	const an = { text: 'Nguyễn Văn An', phone: '+84912345678' };

	it('ranks the start of the text first, then phone, substring, words, typos', () => {
		expect(rank(parseQuery('nguyen van'), an)).toBe(0);
		expect(rank(parseQuery('345678'), an)).toBe(1);
		expect(rank(parseQuery('van an'), an)).toBe(2);
		expect(rank(parseQuery('an nguyen'), an)).toBe(3);
		expect(rank(parseQuery('Nguyen Vna An'), an)).toBe(4);
	});

	it('finds nothing when a word is too far off or absent', () => {
		expect(rank(parseQuery('tran duc'), an)).toBeNull();
		expect(rank(parseQuery('nguyen xyz an'), an)).toBeNull();
		expect(rank(parseQuery('0987654321'), an)).toBeNull();
	});
});
