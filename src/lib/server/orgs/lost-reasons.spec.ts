import { describe, expect, it } from 'vitest';
import { parseLostReasons } from './lost-reasons';

describe('parseLostReasons', () => {
	it('keeps each non-blank line as typed, trimmed, in order', () => {
		expect(parseLostReasons('  Giá cao \n\nChọn đối thủ <b>X</b>\r\n🚫 Hết ngân sách\n')).toEqual({
			ok: true,
			reasons: ['Giá cao', 'Chọn đối thủ <b>X</b>', '🚫 Hết ngân sách']
		});
	});

	it('refuses an empty list, duplicates, overlong reasons, too many and control characters', () => {
		expect(parseLostReasons(' \n ')).toEqual({
			ok: false,
			error: { key: 'orgs.lostReasons.empty' }
		});
		expect(parseLostReasons('Giá cao\ngiá cao')).toMatchObject({
			ok: false,
			error: { key: 'orgs.lostReasons.duplicate' }
		});
		expect(parseLostReasons('x'.repeat(101))).toMatchObject({
			ok: false,
			error: { key: 'orgs.lostReasons.tooLong', params: { max: 100 } }
		});
		expect(
			parseLostReasons(Array.from({ length: 31 }, (_, i) => `Lý do ${i}`).join('\n'))
		).toMatchObject({ ok: false, error: { key: 'orgs.lostReasons.tooMany' } });
		expect(parseLostReasons('Giá\u0007 cao')).toMatchObject({
			ok: false,
			error: { key: 'form.controlChars' }
		});
	});
});
