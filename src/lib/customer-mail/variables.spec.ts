import { describe, expect, it } from 'vitest';
import { fillVariables } from './variables';

const values = {
	ten_khach_hang: 'Chị Đặng Thu Thảo',
	ten_co_hoi: 'Lọc nước tổng',
	gia_tri: '45.000.000 ₫',
	chu_ky: 'Lê Văn Nam\nPhòng Kinh doanh'
};

describe('template variables', () => {
	it('fills every known variable, spaces inside the braces allowed', () => {
		const r = fillVariables(
			'Kính gửi {{ten_khach_hang}}, {{ gia_tri }} cho {{ten_co_hoi}}.\n{{chu_ky}}',
			values
		);
		expect(r.text).toBe(
			'Kính gửi Chị Đặng Thu Thảo, 45.000.000 ₫ cho Lọc nước tổng.\nLê Văn Nam\nPhòng Kinh doanh'
		);
		expect(r).toMatchObject({ unknown: [], empty: [] });
	});

	it('leaves unknown variables visible and reports each once', () => {
		const r = fillVariables('Chào {{ten_kh}} và {{ten_kh}}, {{}}', values);
		expect(r.text).toBe('Chào {{ten_kh}} và {{ten_kh}}, {{}}');
		expect(r.unknown).toEqual(['{{ten_kh}}', '{{}}']);
	});

	it('leaves a known variable without a value visible and reports it', () => {
		const r = fillVariables('Kính gửi {{ten_khach_hang}},', { ...values, ten_khach_hang: '  ' });
		expect(r.text).toBe('Kính gửi {{ten_khach_hang}},');
		expect(r.empty).toEqual(['ten_khach_hang']);
	});

	it('fills in one pass: a value that looks like a variable stays as it is', () => {
		const r = fillVariables('{{ten_co_hoi}}', { ...values, ten_co_hoi: '{{chu_ky}}' });
		expect(r.text).toBe('{{chu_ky}}');
	});

	it('keeps text that is not a variable exactly as typed', () => {
		const text = '{ten_co_hoi} {{{ten_co_hoi}}} <b>&amp;</b> \u202Eabc';
		expect(fillVariables(text, values).text).toBe(
			'{ten_co_hoi} {Lọc nước tổng} <b>&amp;</b> \u202Eabc'
		);
	});
});
