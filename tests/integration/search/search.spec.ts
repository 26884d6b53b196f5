import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fold } from '../../../src/lib/search/fold';
import { search } from '../../../src/lib/server/search/search.repo';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser } from '../../support/factories';
import { createCustomer, seedBoard } from './seed';

// Search over a Vietnamese data set (issue 4, item 7): customers as the ledger holds them and
// deals as the projection writes them from real board documents.
const { db } = await testDb();

const owner = await createUser(db, { name: 'Nguyễn Thị Lan' });
const org = await createOrg(db, { ownerId: owner.id, name: 'Công ty TNHH Sao Việt' });
const manager = await createUser(db, { name: 'Trần Quốc Huy' });
const repA = await createUser(db, { name: 'Lê Văn Nam' });
const repB = await createUser(db, { name: 'Phạm Thu Hà' });
await addMember(db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(db, { orgId: org.id, userId: repA.id, role: 'sales' });
await addMember(db, { orgId: org.id, userId: repB.id, role: 'sales' });

const an = await createCustomer(db, {
	orgId: org.id,
	name: 'Nguyễn Văn An',
	phones: ['0912 345 678']
});
const duc = await createCustomer(db, {
	orgId: org.id,
	name: 'Trần Đức Minh',
	phones: ['0987 654 321']
});
// Near misses that must rank below, or not match at all.
await createCustomer(db, { orgId: org.id, name: 'Nguyễn Văn Anh', phones: ['0903 111 222'] });
await createCustomer(db, { orgId: org.id, name: 'Nguyễn Thị Ân', phones: ['0934 111 890'] });
await createCustomer(db, { orgId: org.id, name: 'Lê Thị Hồng Nhung', phones: ['0978 246 810'] });
await createCustomer(db, { orgId: org.id, name: 'Trần Văn Đức', phones: ['0868 135 792'] });
const gone = await createCustomer(db, {
	orgId: org.id,
	name: 'Nguyễn Văn An',
	phones: ['0912 345 679'],
	deleted: true
});
const stranger = await createUser(db, { name: 'Người Ngoài' });
const otherOrg = await createOrg(db, { ownerId: stranger.id, name: 'Đơn vị khác' });
const foreign = await createCustomer(db, {
	orgId: otherOrg.id,
	name: 'Nguyễn Văn An',
	phones: ['0912 345 678']
});

// A pipeline where reps see only their own deals, and one where they see everyone's.
const own = await seedBoard(db, {
	orgId: org.id,
	name: 'Bán hàng dự án',
	visibility: 'own',
	deals: [
		{
			ownerId: repA.id,
			title: 'Máy lọc nước RO gia đình',
			amount: 8_900_000,
			customer: { id: an.id, name: an.name, phone: '0912345678' }
		},
		{
			ownerId: repB.id,
			title: 'Điều hoà trung tâm khách sạn',
			amount: 480_000_000,
			customer: { name: 'Khách sạn Biển Ngọc', phone: '0236 3888 999' }
		}
	]
});
const [repADeal, repBDeal] = own.dealIds;
const shared = await seedBoard(db, {
	orgId: org.id,
	name: 'Bán lẻ',
	visibility: 'all',
	deals: [
		{
			ownerId: repB.id,
			title: 'Điều hoà 2 chiều 12.000 BTU',
			amount: 15_500_000,
			customer: { id: duc.id, name: duc.name, phone: '0987 654 321' }
		}
	]
});
const [sharedDeal] = shared.dealIds;

const asManager = { orgId: org.id, userId: manager.id, role: 'manager' as const };
const asRepA = { orgId: org.id, userId: repA.id, role: 'sales' as const };
const asRepB = { orgId: org.id, userId: repB.id, role: 'sales' as const };

const customerIds = async (q: string) =>
	(await search(db, { ...asManager, q })).customers.map((c) => c.id);

describe('search over customers', () => {
	it('finds Nguyễn Văn An by "nguyen van an", first', async () => {
		const { customers } = await search(db, { ...asManager, q: 'nguyen van an' });
		expect(customers[0]).toMatchObject({ id: an.id, name: 'Nguyễn Văn An', phone: '+84912345678' });
	});

	it('finds the same customer by 0912345678, +84 912 345 678 and 345678', async () => {
		for (const q of ['0912345678', '+84 912 345 678', '345678', '0912 345 678', '912345678']) {
			expect(await customerIds(q), q).toEqual([an.id]);
		}
	});

	it('finds Trần Đức by "Tran Duc", before Trần Văn Đức', async () => {
		const { customers } = await search(db, { ...asManager, q: 'Tran Duc' });
		expect(customers.map((c) => c.name)).toEqual(['Trần Đức Minh', 'Trần Văn Đức']);
	});

	it('finds Nguyễn Văn An by the mistyped "Nguyen Vna An" and says how it read it', async () => {
		const results = await search(db, { ...asManager, q: 'Nguyen Vna An' });
		expect(results.customers[0]?.id).toBe(an.id);
		expect(results.corrected).toBe('nguyen van an');
	});

	it('finds a name by its words in any order, skipping the middle name', async () => {
		expect(await customerIds('an nguyen')).toContain(an.id);
		// Surname and given name, as people say a name: Nguyễn Văn An and Nguyễn Thị Ân come first.
		expect((await customerIds('nguyen an')).slice(0, 2)).toContain(an.id);
	});

	it('folds accents typed in the query too: "đức" finds Duc and Đức alike', async () => {
		expect(await customerIds('trần đức')).toContain(duc.id);
		expect(await customerIds('TRAN ĐUC MINH')).toEqual([duc.id]);
	});

	it('never finds deleted customers or another organisation’s', async () => {
		const found = await customerIds('nguyen van an');
		expect(found).not.toContain(gone.id);
		expect(found).not.toContain(foreign.id);
		expect(await customerIds('0912345679')).toEqual([]);
	});

	it('finds nothing for a query that matches nothing, without inventing a correction', async () => {
		const results = await search(db, { ...asManager, q: 'xyzzy qwerty' });
		expect(results).toEqual({ customers: [], deals: [], corrected: null });
	});

	it('learns the words of customers added later (the typo dictionary follows inserts)', async () => {
		const late = await createCustomer(db, { orgId: org.id, name: 'Huỳnh Bảo Khuê' });
		const { customers } = await search(db, { ...asManager, q: 'huynh bao khue' });
		expect(customers.map((c) => c.id)).toEqual([late.id]);
		const mistyped = await search(db, { ...asManager, q: 'huynh bao kheu' });
		expect(mistyped.customers.map((c) => c.id)).toEqual([late.id]);
	});
});

describe('search over deals', () => {
	it('finds a deal by its title without accents', async () => {
		const { deals } = await search(db, { ...asManager, q: 'may loc nuoc' });
		expect(deals).toEqual([
			expect.objectContaining({
				id: repADeal,
				title: 'Máy lọc nước RO gia đình',
				customerName: 'Nguyễn Văn An',
				amount: 8_900_000,
				pipelineId: own.pipelineId,
				pipelineName: 'Bán hàng dự án'
			})
		]);
	});

	it('finds a deal by its customer’s name and by any digits of its customer’s phone', async () => {
		expect((await search(db, { ...asManager, q: 'nguyen van an' })).deals.map((d) => d.id)).toEqual(
			[repADeal]
		);
		for (const q of ['0987654321', '+84 987 654 321', '654321']) {
			expect(
				(await search(db, { ...asManager, q })).deals.map((d) => d.id),
				q
			).toEqual([sharedDeal]);
		}
	});

	it('finds a mistyped deal title', async () => {
		const { deals } = await search(db, { ...asManager, q: 'dieu hoa trugn tam' });
		expect(deals.map((d) => d.id)).toEqual([repBDeal]);
	});
});

describe('permissions', () => {
	it('in an "own only" pipeline, a rep never gets another rep’s deals', async () => {
		for (const q of ['dieu hoa', 'khach san bien ngoc', '3888999', 'dieu hoa trugn tam']) {
			const ids = (await search(db, { ...asRepA, q })).deals.map((d) => d.id);
			expect(ids, q).not.toContain(repBDeal);
		}
		// The shared pipeline's deal of rep B is visible to rep A.
		expect((await search(db, { ...asRepA, q: 'dieu hoa' })).deals.map((d) => d.id)).toEqual([
			sharedDeal
		]);
	});

	it('the owner of the deal and a manager find it', async () => {
		expect((await search(db, { ...asRepB, q: 'dieu hoa' })).deals.map((d) => d.id).sort()).toEqual(
			[repBDeal, sharedDeal].sort()
		);
		expect(
			(await search(db, { ...asManager, q: 'khach san bien ngoc' })).deals.map((d) => d.id)
		).toEqual([repBDeal]);
	});

	it('a rep still finds every customer: customers belong to the whole organisation', async () => {
		expect(
			(await search(db, { ...asRepA, q: 'tran duc minh' })).customers.map((c) => c.id)
		).toEqual([duc.id]);
	});
});

describe('folding', () => {
	it('folds in the browser exactly as chot_fold does in PostgreSQL', async () => {
		const samples = [
			'Nguyễn Văn An',
			'TRẦN ĐỨC MINH',
			'Đặng Thu Trang',
			'Huỳnh Bảo Khuê',
			'Lê Thị Hồng Nhung',
			'Ỷ Lan – Ước Mơ',
			'Điều hoà 2 chiều 12.000 BTU',
			'Phở Hà Nội & Bún bò Huế'
		];
		for (const s of samples) {
			const [row] = (await db.execute<{ f: string }>(sql`select public.chot_fold(${s}) as f`)) as {
				f: string;
			}[];
			// SQL keeps runs of spaces; the browser collapses them: compare word for word.
			expect(fold(s), s).toBe(row!.f.replace(/\s+/g, ' ').trim());
		}
	});
});
