import { describe, expect, it } from 'vitest';
import { dealCustomer, formatPhone } from './display';

describe('formatPhone', () => {
	it('writes Vietnamese numbers the national way and others internationally', () => {
		expect(formatPhone('+84912345678')).toBe('0912 345 678');
		expect(formatPhone('+842838221234')).toBe('028 3822 1234');
		expect(formatPhone('+6591234567')).toBe('+65 9123 4567');
	});
});

describe('dealCustomer', () => {
	const live = { id: 'c1', name: 'Chị Hoa', deleted: false };

	it('links a deal to its live customer by the record’s current name', () => {
		expect(dealCustomer({ customerId: 'c1', customerName: 'Hoa' }, live)).toEqual({
			kind: 'customer',
			id: 'c1',
			name: 'Chị Hoa'
		});
	});

	it('shows the snapshot name as gone once the customer is deleted or unknown', () => {
		const deleted = { ...live, deleted: true };
		expect(dealCustomer({ customerId: 'c1', customerName: 'Hoa' }, deleted)).toEqual({
			kind: 'gone',
			name: 'Hoa'
		});
		expect(dealCustomer({ customerId: 'c9', customerName: ' ' }, undefined)).toEqual({
			kind: 'gone',
			name: null
		});
	});

	it('shows a typed name with no record yet as inline, and nothing as none', () => {
		expect(dealCustomer({ customerName: 'Anh Tuấn' }, undefined)).toEqual({
			kind: 'inline',
			name: 'Anh Tuấn'
		});
		expect(dealCustomer({}, undefined)).toEqual({ kind: 'none' });
	});
});
