import { describe, expect, it } from 'vitest';
import { readCustomerForm } from './forms';

function form(entries: [string, string][]) {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
}

describe('the customer form', () => {
	it('normalises every phone, drops blank rows and repeats, and splits tags on commas', () => {
		const read = readCustomerForm(
			form([
				['kind', 'company'],
				['name', '  Công ty Minh Phát '],
				['phones', '0912 345 678'],
				['phones', ''],
				['phones', '+84 912.345.678'],
				['phones', '028 3822 1234'],
				['tags', 'VIP, đại lý'],
				['tags', 'vip'],
				['taxCode', '0101234567-001'],
				['email', ''],
				['ownerId', '']
			])
		);
		expect(read).toEqual({
			ok: true,
			fields: {
				kind: 'company',
				name: 'Công ty Minh Phát',
				phones: ['+84912345678', '+842838221234'],
				email: null,
				address: null,
				company: null,
				taxCode: '0101234567-001',
				source: null,
				tags: ['VIP', 'đại lý'],
				notes: null,
				ownerId: null
			}
		});
	});

	it('puts a bad phone’s message on its own row and returns what was typed', () => {
		const read = readCustomerForm(
			form([
				['name', 'Chị Hoa'],
				['phones', '0912345678'],
				['phones', 'gọi sau']
			])
		);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.errors).toEqual({
			'phones.1': { key: 'customers.error.phone', params: { phone: 'gọi sau' } }
		});
		expect(read.values.phones).toEqual(['0912345678', 'gọi sau']);
	});

	it('asks for a name and refuses a malformed tax code', () => {
		const read = readCustomerForm(
			form([
				['name', ' '],
				['taxCode', '12345']
			])
		);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.errors.name).toEqual({ key: 'customers.error.name' });
		expect(read.errors.taxCode).toEqual({ key: 'customers.error.taxCode' });
	});
});
