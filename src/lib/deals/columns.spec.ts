import { describe, expect, it } from 'vitest';
import { defaultColumns, parseColumns, shownColumns } from './columns';

describe('shown columns', () => {
	it('keep the title first and the chosen ones in the list order', () => {
		expect(shownColumns(['created', 'amount'], { statuses: [] })).toEqual([
			'title',
			'amount',
			'created'
		]);
	});

	it('put the reopen date right after the title when standby deals are listed', () => {
		expect(shownColumns(defaultColumns, { statuses: ['standby', 'open'] }).slice(0, 2)).toEqual([
			'title',
			'standby'
		]);
		expect(shownColumns(['amount'], { statuses: ['lost'] })).toEqual([
			'title',
			'lostReason',
			'amount'
		]);
	});

	it('drop the status column when the filter leaves one status', () => {
		expect(shownColumns(defaultColumns, { statuses: ['won'] })).not.toContain('status');
		expect(shownColumns(defaultColumns, { statuses: ['won', 'lost'] })).toContain('status');
	});
});

describe('export columns parameter', () => {
	it('keeps the given order with the title first, and refuses unknown ids', () => {
		expect(parseColumns('amount,title,standby,amount')).toEqual(['title', 'amount', 'standby']);
		expect(parseColumns('title,price')).toBeNull();
		expect(parseColumns(' , ')).toBeNull();
	});
});
