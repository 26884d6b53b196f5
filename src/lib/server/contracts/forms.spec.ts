import { describe, expect, it } from 'vitest';
import { contractSchema, parseBody, renewSchema } from './forms';

// The contract form's answers: every wrong field named at once, so a person fixes them in one go.
describe('contract form', () => {
	it('names a reversed term together with the other problems', () => {
		const parsed = parseBody(contractSchema, {
			number: '',
			title: 'Bảo trì',
			value: '-5',
			startsOn: '2026-01-01',
			endsOn: '2025-01-01'
		});
		expect(parsed.ok).toBe(false);
		if (!parsed.ok)
			expect(Object.keys(parsed.errors).sort()).toEqual(['endsOn', 'number', 'value']);
	});

	it('leaves a blank end date alone', () => {
		const parsed = parseBody(contractSchema, {
			number: 'HĐ-1',
			title: 'Bảo trì',
			value: 0,
			startsOn: '2026-01-01',
			endsOn: ''
		});
		expect(parsed).toMatchObject({ ok: true, data: { endsOn: null, value: 0 } });
	});

	it('names a reversed renewal term', () => {
		const parsed = parseBody(renewSchema, {
			number: 'HĐ-1-GH1',
			startsOn: '2027-02-01',
			endsOn: '2027-01-01'
		});
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors.endsOn?.key).toBe('contracts.error.endsBeforeStart');
	});
});
