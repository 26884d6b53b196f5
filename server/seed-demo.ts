import { inArray, sql } from 'drizzle-orm';
import { generateNKeysBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName } from '$lib/board/doc';
import { createDeal, initPipeline, setStatus, type NewStage } from '$lib/board/ops';
import { normalisePhone } from '$lib/phone';
import { hashPassword } from '$lib/server/auth/password';
import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import {
	collabDocuments,
	customers,
	memberships,
	pipelines,
	tasks,
	users,
	type Role
} from '$lib/server/db/schema';
import type { Logger } from '$lib/server/log';
import * as orgs from '$lib/server/orgs/orgs.repo';
import { rebuild as rebuildProjections } from '$lib/server/projection/rebuild';

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

type DemoDeal = {
	title: string;
	/** Index into the pipeline's stages. */
	stage: number;
	owner: string;
	amount: number;
	/** Index into demoCustomers. */
	customer?: number;
	/** When it entered its stage: old ones show the rot warning. */
	daysAgo: number;
	starred?: boolean;
	status?: 'won';
};

const nam = 'nam@demo.chot.vn';
const ha = 'ha@demo.chot.vn';
const huy = 'huy@demo.chot.vn';

const projectDeals: DemoDeal[] = [
	{
		title: 'Thi công nội thất văn phòng tầng 5',
		stage: 0,
		owner: nam,
		amount: 450_000_000,
		customer: 0,
		daysAgo: 2
	},
	{
		title: 'Hệ thống camera cho chuỗi nhà hàng',
		stage: 0,
		owner: ha,
		amount: 85_000_000,
		customer: 1,
		daysAgo: 9
	},
	{
		title: 'Tư vấn phần mềm quản lý kho',
		stage: 0,
		owner: huy,
		amount: 120_000_000,
		customer: 3,
		daysAgo: 1
	},
	{
		title: 'Lắp điều hoà trung tâm khách sạn',
		stage: 1,
		owner: nam,
		amount: 1_250_000_000,
		customer: 5,
		daysAgo: 4,
		starred: true
	},
	{
		title: 'Trang bị phòng học thông minh',
		stage: 1,
		owner: ha,
		amount: 680_000_000,
		customer: 8,
		daysAgo: 12
	},
	{
		title: 'Bảo trì thang máy 12 tháng',
		stage: 2,
		owner: nam,
		amount: 96_000_000,
		customer: 0,
		daysAgo: 3
	},
	{
		title: 'Cung cấp máy chấm công khuôn mặt',
		stage: 2,
		owner: ha,
		amount: 38_500_000,
		customer: 10,
		daysAgo: 16
	},
	{
		title: 'Website bán hàng và app đặt món',
		stage: 2,
		owner: huy,
		amount: 210_000_000,
		customer: 1,
		daysAgo: 5,
		starred: true
	},
	{
		title: 'Hệ thống năng lượng mặt trời áp mái',
		stage: 3,
		owner: nam,
		amount: 2_400_000_000,
		customer: 3,
		daysAgo: 6,
		starred: true
	},
	{
		title: 'Đồng phục nhân viên 300 bộ',
		stage: 3,
		owner: ha,
		amount: 165_000_000,
		customer: 5,
		daysAgo: 20
	},
	{
		title: 'Phần mềm CRM cho 40 người dùng',
		stage: 4,
		owner: huy,
		amount: 320_000_000,
		customer: 8,
		daysAgo: 2
	},
	{
		title: 'Sửa chữa mái nhà xưởng',
		stage: 4,
		owner: nam,
		amount: 540_000_000,
		customer: 0,
		daysAgo: 1
	},
	{
		title: 'Lắp đặt mạng Wi-Fi toàn khách sạn',
		stage: 5,
		owner: ha,
		amount: 275_000_000,
		customer: 5,
		daysAgo: 10,
		status: 'won'
	}
];

const retailDeals: DemoDeal[] = [
	{
		title: 'Tủ lạnh Inverter 2 cánh',
		stage: 0,
		owner: nam,
		amount: 15_990_000,
		customer: 6,
		daysAgo: 1
	},
	{
		title: 'Máy lọc nước RO gia đình',
		stage: 0,
		owner: ha,
		amount: 7_450_000,
		customer: 7,
		daysAgo: 5
	},
	{
		title: 'Bộ sofa phòng khách',
		stage: 1,
		owner: ha,
		amount: 24_800_000,
		customer: 4,
		daysAgo: 2,
		starred: true
	},
	{
		title: 'Máy giặt sấy 10 kg',
		stage: 1,
		owner: nam,
		amount: 18_200_000,
		customer: 9,
		daysAgo: 8
	},
	{
		title: 'Điều hoà 2 chiều 12.000 BTU',
		stage: 2,
		owner: nam,
		amount: 13_600_000,
		customer: 11,
		daysAgo: 4
	},
	{
		title: 'Nồi chiên không dầu và máy xay',
		stage: 3,
		owner: ha,
		amount: 4_350_000,
		customer: 2,
		daysAgo: 3,
		status: 'won'
	}
];

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

	const reps = people.filter((p) => p.role === 'sales').map((p) => idOf(p.email));
	const customerRows = await db
		.insert(customers)
		.values(
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
		)
		.returning({ id: customers.id, name: customers.name, phones: customers.phones });

	const positions = generateNKeysBetween(null, null, 2);
	const pipelineIdsSeeded: string[] = [];
	const seedOrigin = { kind: 'job', job: 'seed-demo' } as const;
	for (const [i, { name, stages, deals }] of [
		{ name: 'Bán hàng dự án', stages: projectStages, deals: projectDeals },
		{ name: 'Bán lẻ', stages: retailStages, deals: retailDeals }
	].entries()) {
		const [pipeline] = await db
			.insert(pipelines)
			.values({ orgId: org.id, name, position: positions[i]!, createdBy: idOf(owner.email) })
			.returning();
		pipelineIdsSeeded.push(pipeline!.id);
		const pipelineDoc = new Y.Doc();
		const stageIds = stages.map(() => uuidv7());
		initPipeline(
			pipelineDoc,
			{ name, stages: stages.map((s, k) => ({ ...s, id: stageIds[k]! })) },
			seedOrigin
		);
		await db.insert(collabDocuments).values({
			name: pipelineDocName(pipeline!.id),
			state: Y.encodeStateAsUpdate(pipelineDoc)
		});
		// Each owner's cards in their own shard, written as the shard's first snapshot.
		const shards = new Map<string, Y.Doc>();
		for (const d of deals) {
			const ownerId = idOf(d.owner);
			let dealDoc = shards.get(ownerId);
			if (!dealDoc) shards.set(ownerId, (dealDoc = new Y.Doc()));
			const customer = d.customer === undefined ? undefined : customerRows[d.customer]!;
			const at = now.getTime() - d.daysAgo * 86_400_000;
			const dealId = uuidv7();
			createDeal(
				{ pipelineDoc, dealDoc },
				{
					id: dealId,
					title: d.title,
					stageId: stageIds[d.stage]!,
					ownerId,
					amount: d.amount,
					starred: d.starred ?? false,
					...(customer
						? {
								customerId: customer.id,
								customerName: customer.name,
								...(customer.phones[0] ? { customerPhone: customer.phones[0] } : {})
							}
						: {}),
					createdBy: ownerId,
					at
				},
				seedOrigin
			);
			if (d.status === 'won') {
				setStatus(dealDoc, { dealId, status: 'won', at }, seedOrigin);
			}
		}
		for (const [ownerId, dealDoc] of shards) {
			await db.insert(collabDocuments).values({
				name: dealsDocName(pipeline!.id, ownerId),
				state: Y.encodeStateAsUpdate(dealDoc)
			});
		}
	}
	// The cards were written as the shards' first snapshots, not through the collab server: fill
	// the stages and deals tables from them now, as `npm run projections:rebuild` would.
	await rebuildProjections(db, { pipelineIds: pipelineIdsSeeded });

	// A few tasks of their own, so Công việc and the reminders have something on the first day.
	// Local times in Vietnam (UTC+7, no daylight saving): day offset and hour:minute.
	const localDay = new Date(now.getTime() + 7 * 3_600_000);
	const at = (days: number, hour: number, minute = 0) =>
		new Date(
			Date.UTC(
				localDay.getUTCFullYear(),
				localDay.getUTCMonth(),
				localDay.getUTCDate() + days,
				hour - 7,
				minute
			)
		);
	const demoTasks = [
		{
			title: 'Gửi lại báo giá bảo trì thang máy',
			who: 'nam@demo.chot.vn',
			due: at(-1, 16),
			before: 60
		},
		{
			title: 'Gọi xác nhận lịch khảo sát khách sạn',
			who: 'nam@demo.chot.vn',
			due: at(0, 15, 30),
			before: 15
		},
		{
			title: 'Chuẩn bị hồ sơ năng lực cho Hoà Bình Xanh',
			who: 'ha@demo.chot.vn',
			due: at(1, 9),
			before: 1440
		},
		{
			title: 'Nhắc công nợ đợt 2 — Nhà thuốc Tâm An',
			who: 'chau@demo.chot.vn',
			due: at(2, 10),
			before: 60
		},
		{ title: 'Họp giao ban đầu tuần', who: 'huy@demo.chot.vn', due: at(3, 8, 30), before: 15 }
	];
	await db.insert(tasks).values(
		demoTasks.map((t) => ({
			id: uuidv7(),
			orgId: org.id,
			source: 'own' as const,
			title: t.title,
			dueAt: t.due,
			remindBefore: t.before,
			remindAt: new Date(t.due.getTime() - t.before * 60_000),
			assigneeId: idOf(t.who),
			createdBy: idOf('huy@demo.chot.vn')
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
