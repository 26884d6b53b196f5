import { inArray, sql } from 'drizzle-orm';
import { generateNKeysBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { pipelineDocName } from '$lib/board/doc';
import { initPipeline, type NewStage } from '$lib/board/ops';
import { normalisePhone } from '$lib/phone';
import { hashPassword } from '$lib/server/auth/password';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import {
	collabDocuments,
	customers,
	memberships,
	pipelines,
	users,
	type Role
} from '$lib/server/db/schema';
import type { Logger } from '$lib/server/log';
import * as orgs from '$lib/server/orgs/orgs.repo';

// The demo organisation that `npm start` seeds into an empty embedded database (and
// `npm run seed:demo` anywhere), so a newcomer can log in and look around at once.
export const DEMO_PASSWORD = 'chot-demo-2026';

const people: { name: string; email: string; role: Role }[] = [
	{ name: 'Nguyễn Thị Lan', email: 'lan@demo.chot.vn', role: 'owner' },
	{ name: 'Trần Quốc Huy', email: 'huy@demo.chot.vn', role: 'manager' },
	{ name: 'Lê Văn Nam', email: 'nam@demo.chot.vn', role: 'sales' },
	{ name: 'Phạm Thu Hà', email: 'ha@demo.chot.vn', role: 'sales' },
	{ name: 'Võ Minh Châu', email: 'chau@demo.chot.vn', role: 'accountant' }
];

const projectStages: Omit<NewStage, 'id'>[] = [
	{ name: 'Tiếp cận', color: '#64748b', winProbability: 10, rotDays: 7 },
	{ name: 'Khảo sát nhu cầu', color: '#0ea5e9', winProbability: 20, rotDays: 10 },
	{ name: 'Báo giá', color: '#6366f1', winProbability: 40, rotDays: 14 },
	{ name: 'Đàm phán', color: '#f59e0b', winProbability: 60, rotDays: 14 },
	{ name: 'Ký hợp đồng', color: '#10b981', winProbability: 80, rotDays: 7 },
	{ name: 'Triển khai', color: '#0f766e', winProbability: 100, rotDays: 30 }
];

const retailStages: Omit<NewStage, 'id'>[] = [
	{ name: 'Khách mới', color: '#64748b', winProbability: 10, rotDays: 3 },
	{ name: 'Đã tư vấn', color: '#0ea5e9', winProbability: 30, rotDays: 5 },
	{ name: 'Chờ thanh toán', color: '#f59e0b', winProbability: 70, rotDays: 3 },
	{ name: 'Đã giao hàng', color: '#10b981', winProbability: 100, rotDays: 0 }
];

const demoCustomers = [
	{
		kind: 'company',
		name: 'Công ty CP Xây dựng Hoà Bình Xanh',
		phone: '028 3930 1234',
		email: 'lienhe@hoabinhxanh.vn',
		taxCode: '0301234567',
		source: 'Hội chợ',
		address: '235 Võ Thị Sáu, Quận 3, TP. Hồ Chí Minh'
	},
	{
		kind: 'person',
		name: 'Nguyễn Văn An',
		phone: '0912 345 678',
		email: 'an.nguyen@gmail.com',
		source: 'Facebook',
		company: 'Nhà hàng Phở An'
	},
	{
		kind: 'person',
		name: 'Trần Đức Minh',
		phone: '0987 654 321',
		email: 'minh.tran@yahoo.com',
		source: 'Zalo'
	},
	{
		kind: 'company',
		name: 'Công ty TNHH Thực phẩm Bình Minh',
		phone: '024 3826 5678',
		email: 'kinhdoanh@binhminhfood.vn',
		taxCode: '0109876543',
		source: 'Website',
		address: '18 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội'
	},
	{
		kind: 'person',
		name: 'Lê Thị Hồng Nhung',
		phone: '0903 111 222',
		email: 'nhung.le@outlook.com',
		source: 'Giới thiệu'
	},
	{
		kind: 'company',
		name: 'Khách sạn Biển Ngọc Đà Nẵng',
		phone: '0236 3888 999',
		email: 'sales@bienngoc.vn',
		taxCode: '0401122334',
		source: 'Website',
		address: '120 Võ Nguyên Giáp, Sơn Trà, Đà Nẵng'
	},
	{
		kind: 'person',
		name: 'Phạm Quang Vinh',
		phone: '0978 246 810',
		source: 'Zalo',
		company: 'Cửa hàng Điện máy Vinh'
	},
	{
		kind: 'person',
		name: 'Đặng Thu Trang',
		phone: '0934 567 890',
		email: 'trang.dang@gmail.com',
		source: 'Facebook'
	},
	{
		kind: 'company',
		name: 'Công ty CP Giáo dục Ánh Sao',
		phone: '028 6271 3456',
		email: 'info@anhsao.edu.vn',
		taxCode: '0315566778',
		source: 'Giới thiệu',
		address: '45 Nguyễn Thị Minh Khai, Quận 1, TP. Hồ Chí Minh'
	},
	{
		kind: 'person',
		name: 'Hoàng Minh Tuấn',
		phone: '0868 135 792',
		email: 'tuan.hoang@gmail.com',
		source: 'Hội chợ'
	},
	{
		kind: 'company',
		name: 'Nhà thuốc Tâm An',
		phone: '0292 3812 345',
		taxCode: '1800223344',
		source: 'Website',
		address: '72 Ba Tháng Hai, Ninh Kiều, Cần Thơ'
	},
	{
		kind: 'person',
		name: 'Bùi Thị Mai Anh',
		phone: '0359 864 200',
		email: 'maianh.bui@icloud.com',
		source: 'Zalo'
	}
] as const;

export async function seedDemoIfEmpty({ db, log }: { db: Db; log: Logger; config: Config }) {
	const [{ n }] = (await db.execute<{ n: number }>(
		sql`select count(*)::int as n from users`
	)) as unknown as [{ n: number }];
	if (n === 0) {
		await seedDemo({ db });
		log.info('seeded the demo organisation');
	}
	return demoNotice({ db });
}

/** Seeds the demo organisation unless its owner already exists. Returns whether it seeded. */
export async function seedDemo({ db }: { db: Db }) {
	const existing = await db
		.select({ id: users.id })
		.from(users)
		.where(
			inArray(
				users.email,
				people.map((p) => p.email)
			)
		);
	if (existing.length > 0) return false;

	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const now = new Date();
	const created = await db
		.insert(users)
		.values(
			people.map((p) => ({ name: p.name, email: p.email, passwordHash, emailVerifiedAt: now }))
		)
		.returning({ id: users.id, email: users.email });
	const idOf = (email: string) => created.find((u) => u.email === email)!.id;
	const owner = people.find((p) => p.role === 'owner')!;

	const org = await orgs.create(db, {
		ownerId: idOf(owner.email),
		settings: { name: 'Công ty TNHH Thương mại Sao Việt' },
		now,
		// The demo brings its own two pipelines below.
		withDefaultPipeline: false
	});
	await db
		.insert(memberships)
		.values(
			people
				.filter((p) => p.role !== 'owner')
				.map((p) => ({ orgId: org.id, userId: idOf(p.email), role: p.role }))
		);
	for (const p of people) {
		await db.execute(sql`update users set active_org_id = ${org.id} where id = ${idOf(p.email)}`);
	}

	const positions = generateNKeysBetween(null, null, 2);
	const seedOrigin = { kind: 'job', job: 'seed-demo' } as const;
	for (const [i, { name, stages }] of [
		{ name: 'Bán hàng dự án', stages: projectStages },
		{ name: 'Bán lẻ', stages: retailStages }
	].entries()) {
		const [pipeline] = await db
			.insert(pipelines)
			.values({ orgId: org.id, name, position: positions[i]!, createdBy: idOf(owner.email) })
			.returning();
		const doc = new Y.Doc();
		initPipeline(doc, { name, stages: stages.map((s) => ({ ...s, id: uuidv7() })) }, seedOrigin);
		await db
			.insert(collabDocuments)
			.values({ name: pipelineDocName(pipeline!.id), state: Y.encodeStateAsUpdate(doc) });
	}

	const reps = people.filter((p) => p.role === 'sales').map((p) => idOf(p.email));
	await db.insert(customers).values(
		demoCustomers.map((c, i) => ({
			orgId: org.id,
			kind: c.kind,
			name: c.name,
			phones: [normalisePhone(c.phone)].filter((p): p is string => p !== null),
			email: 'email' in c ? c.email : null,
			company: 'company' in c ? c.company : null,
			taxCode: 'taxCode' in c ? c.taxCode : null,
			address: 'address' in c ? c.address : null,
			source: c.source,
			ownerId: reps[i % reps.length],
			createdBy: idOf(owner.email)
		}))
	);
	return true;
}

async function demoNotice({ db }: { db: Db }): Promise<string[]> {
	const rows = await db
		.select({ email: users.email })
		.from(users)
		.where(
			inArray(
				users.email,
				people.map((p) => p.email)
			)
		);
	if (rows.length === 0) return [];
	const roleNames: Record<Role, string> = {
		owner: 'Chủ sở hữu',
		manager: 'Quản lý',
		sales: 'Kinh doanh',
		accountant: 'Kế toán'
	};
	return [
		'  Tài khoản demo / demo logins (mật khẩu / password: ' + DEMO_PASSWORD + '):',
		...people
			.filter((p) => rows.some((r) => r.email === p.email))
			.map((p) => `    ${roleNames[p.role].padEnd(12)} ${p.email}`)
	];
}
