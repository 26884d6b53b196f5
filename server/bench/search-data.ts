import { sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';

// The search area's data set: Vietnamese customers and deals made by generate_series inside
// PostgreSQL (a million rows in seconds, no round trips), with names drawn as Vietnam's are
// distributed (Nguyễn is about four in ten), so a common query matches many rows as it would in
// a real organisation. setseed makes the set the same on every run.

const surnames = [
	...Array<string>(38).fill('Nguyễn'),
	...Array<string>(11).fill('Trần'),
	...Array<string>(9).fill('Lê'),
	...Array<string>(7).fill('Phạm'),
	...Array<string>(5).fill('Hoàng'),
	...Array<string>(4).fill('Huỳnh'),
	...Array<string>(4).fill('Phan'),
	...Array<string>(3).fill('Vũ'),
	...Array<string>(3).fill('Võ'),
	...Array<string>(2).fill('Đặng'),
	...Array<string>(2).fill('Bùi'),
	...Array<string>(2).fill('Đỗ'),
	'Hồ',
	'Ngô',
	'Dương',
	'Lý',
	'Đinh',
	'Trương',
	'Lâm',
	'Mai'
];
const middles = [
	'Văn',
	'Văn',
	'Thị',
	'Thị',
	'Đức',
	'Minh',
	'Thu',
	'Quốc',
	'Hữu',
	'Ngọc',
	'Thanh',
	'Xuân',
	'Hoàng',
	'Kim',
	'Gia',
	'Bảo',
	'Công',
	'Thảo'
];
const givens = [
	'An',
	'Anh',
	'Bình',
	'Cường',
	'Dũng',
	'Duy',
	'Giang',
	'Hà',
	'Hải',
	'Hạnh',
	'Hiếu',
	'Hoa',
	'Hùng',
	'Huy',
	'Hương',
	'Khánh',
	'Khoa',
	'Lan',
	'Linh',
	'Long',
	'Mai',
	'Minh',
	'Nam',
	'Nga',
	'Ngọc',
	'Nhung',
	'Phong',
	'Phúc',
	'Phương',
	'Quang',
	'Quân',
	'Sơn',
	'Tâm',
	'Thảo',
	'Thắng',
	'Thành',
	'Trang',
	'Trung',
	'Tuấn',
	'Tú',
	'Vân',
	'Việt',
	'Vinh',
	'Yến'
];
const products = [
	'Máy lọc nước RO',
	'Điều hoà 2 chiều',
	'Tủ lạnh Inverter',
	'Máy giặt sấy',
	'Bộ sofa phòng khách',
	'Camera an ninh',
	'Phần mềm quản lý kho',
	'Thi công nội thất',
	'Bảo trì thang máy',
	'Đồng phục nhân viên',
	'Năng lượng mặt trời áp mái',
	'Mạng Wi-Fi văn phòng',
	'Máy chấm công',
	'Website bán hàng',
	'Sửa chữa mái nhà xưởng'
];
// Mobile prefixes after the 0 (Viettel, Vinaphone, MobiFone, …): national numbers are 10 digits.
const prefixes = [
	'90',
	'91',
	'93',
	'94',
	'96',
	'97',
	'98',
	'86',
	'88',
	'89',
	'32',
	'33',
	'35',
	'37',
	'39',
	'70',
	'77',
	'79',
	'81',
	'85'
];

const arr = (items: readonly string[]) =>
	sql`array[${sql.join(
		items.map((s) => sql`${s}::text`),
		sql`, `
	)}]`;

// Random pieces per row (random() in the select list is evaluated for every row).
const pick = (name: string) =>
	sql.raw(`${name}[1 + floor(random() * array_length(${name}, 1))::int]`);
const personName = sql`${pick('s')} || ' ' || ${pick('m')} || ' ' || ${pick('g')}`;
const phone = sql`'+84' || ${pick('p')} || lpad(floor(random() * 10000000)::int::text, 7, '0')`;

/** Inserts `count` customers into `orgId` (in batches, so no statement holds a million rows). */
export async function seedCustomers(db: Db, { orgId, count }: { orgId: string; count: number }) {
	await db.execute(sql`select setseed(0.42)`);
	for (let from = 1; from <= count; from += 100_000) {
		const to = Math.min(count, from + 99_999);
		await db.execute(sql`
			insert into customers (id, org_id, kind, name, phones, created_at)
			select gen_random_uuid(), ${orgId}, 'person', ${personName}, array[${phone}],
				now() - random() * interval '1000 days'
			from generate_series(${from}::int, ${to}::int),
				(select ${arr(surnames)} as s, ${arr(middles)} as m, ${arr(givens)} as g,
					${arr(prefixes)} as p) as pool`);
	}
}

/**
 * Inserts `count` projected deals (at most one per customer) spread over `pipelineIds` and
 * `ownerIds`, titled by product, each naming its customer (id, name, first phone) as a card does
 * once the server has linked its inline customer, into the `deals` read model.
 */
export async function seedDeals(
	db: Db,
	{
		orgId,
		pipelineIds,
		ownerIds,
		count
	}: { orgId: string; pipelineIds: string[]; ownerIds: string[]; count: number }
) {
	await db.execute(sql`select setseed(0.43)`);
	const batch = 100_000;
	for (let from = 0; from < count; from += batch) {
		await db.execute(sql`
			insert into deals (id, org_id, pipeline_id, owner_id, title, position, customer_id,
				customer_name, customer_phone, amount, starred, status, created_at, updated_at,
				stage_entered_at)
			select gen_random_uuid(), ${orgId}, ${pick('pl')}::uuid, ${pick('o')}::uuid,
				${pick('pr')} || ' ' || (1 + floor(random() * 500)::int), 'a0', c.id, c.name,
				c.phones[1], (1 + floor(random() * 1000)::int) * 100000, false, 'open', now(), now(),
				now()
			from (select id, name, phones from customers where org_id = ${orgId}
					order by id limit ${Math.min(batch, count - from)} offset ${from}) as c,
				(select ${arr(products)} as pr, ${arr(pipelineIds)} as pl, ${arr(ownerIds)} as o) as pool`);
	}
	// As autovacuum would soon: statistics, and GIN pending lists merged into the indexes.
	await db.execute(sql`vacuum analyze customers`);
	await db.execute(sql`vacuum analyze deals`);
}
