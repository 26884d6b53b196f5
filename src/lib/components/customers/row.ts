import type { SortKey } from '$lib/customers/list-query';

/** One customer as the table shows it (dates as ISO strings: the same from load and endpoint). */
export type CustomerRow = {
	id: string;
	kind: 'person' | 'company';
	name: string;
	phones: string[];
	email: string | null;
	company: string | null;
	source: string | null;
	tags: string[];
	ownerId: string | null;
	ownerName: string | null;
	createdAt: string;
	dealCount: number;
	duplicate: boolean;
};

export type RowsPage = { rows: CustomerRow[]; total: number; offset: number };

export type Column = {
	key: 'name' | 'phone' | 'email' | 'company' | 'tags' | 'source' | 'owner' | 'deals' | 'createdAt';
	sort?: SortKey;
	/** Tailwind classes showing the column from a breakpoint on. */
	show: string;
	align?: 'right';
};

// Which columns show at which width. The grid template below must list the same columns.
export const columns: Column[] = [
	{ key: 'name', sort: 'name', show: '' },
	{ key: 'phone', show: 'hidden md:block' },
	{ key: 'email', show: 'hidden xl:block' },
	{ key: 'company', sort: 'company', show: 'hidden md:block' },
	{ key: 'tags', show: 'hidden xl:block' },
	{ key: 'source', sort: 'source', show: 'hidden xl:block' },
	{ key: 'owner', sort: 'owner', show: 'hidden md:block' },
	{ key: 'deals', sort: 'deals', show: '', align: 'right' },
	{ key: 'createdAt', sort: 'createdAt', show: 'hidden 2xl:block' }
];

/** Phones: name and deals; tablets add phone, company, owner; wide screens everything. */
export const gridTemplate =
	'grid-cols-[minmax(0,1fr)_6rem] ' +
	'md:grid-cols-[minmax(0,1.6fr)_8.5rem_minmax(0,1fr)_8rem_6.5rem] ' +
	'xl:grid-cols-[minmax(0,2fr)_8.5rem_minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,0.8fr)_6.5rem_8rem_6.5rem] ' +
	'2xl:grid-cols-[minmax(0,2fr)_8.5rem_minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,0.8fr)_6.5rem_8rem_6.5rem_6.5rem]';
