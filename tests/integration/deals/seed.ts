import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName } from '../../../src/lib/board/doc';
import {
	createDeal,
	deleteStage,
	initPipeline,
	setPipelineSettings,
	setStatus,
	updateDealFields
} from '../../../src/lib/board/ops';
import type { Db } from '../../../src/lib/server/db';
import { collabDocuments, pipelines } from '../../../src/lib/server/db/schema';
import { rebuild } from '../../../src/lib/server/projection/rebuild';
import { addMember, createOrg, createUser } from '../../support/factories';

// An organisation with deals in two pipelines, projected by the real projection: the board
// documents are written as stored snapshots and `rebuild` (the code the live projection shares)
// fills `stages`, `deals` and `pipeline_settings` from them. Pipeline "Dự án" is own-only (reps
// see only their own deals), "Bán lẻ" is visible to all.

const origin = { kind: 'job', job: 'test-seed' } as const;

type Owner = 'nam' | 'ha' | 'huy';
type Spec = {
	pipeline: 'project' | 'retail';
	owner: Owner;
	stage: number;
	title: string;
	amount: number;
	at: string;
	starred?: boolean;
	customerName?: string;
	customerPhone?: string;
	expectedCloseDate?: string;
	status?:
		| { status: 'won' }
		| { status: 'lost'; lostReason: string }
		| {
				status: 'standby';
				standbyUntil: string;
		  };
};

export const specs = {
	namA1: {
		pipeline: 'project',
		owner: 'nam',
		stage: 0,
		title: 'Lắp điều hoà văn phòng',
		amount: 15_000_000,
		at: '2026-01-05T02:00:00Z',
		starred: true,
		customerName: 'Nguyễn Văn An',
		customerPhone: '0912 345 678',
		expectedCloseDate: '2026-02-15'
	},
	namA2: {
		pipeline: 'project',
		owner: 'nam',
		stage: 2,
		title: 'Đức Phát - hệ thống camera',
		amount: 50_000_000,
		at: '2026-01-10T03:00:00Z',
		status: { status: 'won' }
	},
	namA3: {
		pipeline: 'project',
		owner: 'nam',
		// "Báo giá", deleted into "Đàm phán" below: the deal shows in Đàm phán's column.
		stage: 1,
		title: 'Máy lọc nước "Aqua", 20 bộ',
		amount: 5_000_000,
		at: '2026-01-20T04:00:00Z',
		status: { status: 'standby', standbyUntil: '2026-03-01' }
	},
	haA1: {
		pipeline: 'project',
		owner: 'ha',
		stage: 0,
		title: 'Bảo trì thang máy',
		amount: 20_000_000,
		// 00:30 on 1 February in Hồ Chí Minh City, still 31 January in UTC.
		at: '2026-01-31T17:30:00Z',
		customerName: 'Trần Đức Minh'
	},
	haA2: {
		pipeline: 'project',
		owner: 'ha',
		stage: 2,
		title: 'Duc Anh - phần mềm kế toán',
		amount: 8_000_000,
		at: '2026-01-12T05:00:00Z',
		starred: true,
		status: { status: 'standby', standbyUntil: '2026-02-01' }
	},
	haA3: {
		pipeline: 'project',
		owner: 'ha',
		stage: 0,
		title: '=HYPERLINK("http://evil.example","Bấm")',
		amount: 3_000_000,
		at: '2026-01-15T06:00:00Z',
		status: { status: 'lost', lostReason: 'Giá cao' }
	},
	namB1: {
		pipeline: 'retail',
		owner: 'nam',
		stage: 0,
		title: 'Bán lẻ 20 bình nước',
		amount: 1_500_000,
		at: '2026-01-06T02:00:00Z'
	},
	haB1: {
		pipeline: 'retail',
		owner: 'ha',
		stage: 1,
		title: '@Khách sỉ Hoà Bình',
		amount: 2_000_000,
		at: '2026-01-07T02:00:00Z',
		starred: true
	},
	huyB1: {
		pipeline: 'retail',
		owner: 'huy',
		stage: 1,
		title: 'Ánh Dương - tổng đài',
		amount: 100_000_000,
		at: '2026-01-08T02:00:00Z',
		status: { status: 'won' }
	}
} satisfies Record<string, Spec>;
export type DealKey = keyof typeof specs;

export async function seedDeals(db: Db) {
	const lan = await createUser(db, { name: 'Nguyễn Thị Lan' });
	const org = await createOrg(db, { ownerId: lan.id, name: 'Công ty TNHH Ánh Dương' });
	const people = {
		huy: await createUser(db, { name: 'Trần Quốc Huy' }),
		nam: await createUser(db, { name: 'Lê Văn Nam' }),
		ha: await createUser(db, { name: 'Phạm Thu Hà' }),
		chau: await createUser(db, { name: 'Võ Minh Châu' })
	};
	await addMember(db, { orgId: org.id, userId: people.huy.id, role: 'manager' });
	await addMember(db, { orgId: org.id, userId: people.nam.id, role: 'sales' });
	await addMember(db, { orgId: org.id, userId: people.ha.id, role: 'sales' });
	await addMember(db, { orgId: org.id, userId: people.chau.id, role: 'accountant' });
	const outsider = await createUser(db, { name: 'Người Ngoài' });
	const otherOrg = await createOrg(db, { ownerId: outsider.id, name: 'Đơn vị khác' });

	const boards = {
		project: await board(db, {
			orgId: org.id,
			name: 'Dự án',
			position: 'a1',
			stages: ['Tiếp cận', 'Báo giá', 'Đàm phán'],
			visibility: 'own',
			createdBy: lan.id
		}),
		retail: await board(db, {
			orgId: org.id,
			name: 'Bán lẻ',
			position: 'a2',
			stages: ['Khách mới', 'Đã tư vấn'],
			visibility: 'all',
			createdBy: lan.id
		})
	};
	const ownerIds: Record<Owner, string> = {
		nam: people.nam.id,
		ha: people.ha.id,
		huy: people.huy.id
	};
	const shards = new Map<string, Y.Doc>();
	const ids = {} as Record<DealKey, string>;
	for (const [key, s] of Object.entries(specs) as [DealKey, Spec][]) {
		const b = boards[s.pipeline];
		const ownerId = ownerIds[s.owner];
		const name = dealsDocName(b.id, ownerId);
		let dealDoc = shards.get(name);
		if (!dealDoc) shards.set(name, (dealDoc = new Y.Doc()));
		const id = uuidv7();
		ids[key] = id;
		const at = Date.parse(s.at);
		createDeal(
			{ pipelineDoc: b.doc, dealDoc },
			{
				id,
				title: s.title,
				stageId: b.stageIds[s.stage]!,
				ownerId,
				amount: s.amount,
				starred: s.starred ?? false,
				customerName: s.customerName,
				customerPhone: s.customerPhone,
				createdBy: ownerId,
				at
			},
			origin
		);
		if (s.expectedCloseDate) {
			updateDealFields(dealDoc, { dealId: id, expectedCloseDate: s.expectedCloseDate, at }, origin);
		}
		if (s.status) setStatus(dealDoc, { dealId: id, ...s.status, at: at + 1000 }, origin);
	}
	// Deals that still name a deleted stage show in the stage it was merged into (SPEC B12).
	deleteStage(
		boards.project.doc,
		{ stageId: boards.project.stageIds[1]!, moveDealsTo: boards.project.stageIds[2]! },
		origin
	);
	await db.insert(collabDocuments).values([
		...Object.values(boards).map((b) => ({
			name: pipelineDocName(b.id),
			state: Y.encodeStateAsUpdate(b.doc)
		})),
		...[...shards].map(([name, doc]) => ({ name, state: Y.encodeStateAsUpdate(doc) }))
	]);
	await rebuild(db, { pipelineIds: Object.values(boards).map((b) => b.id) });

	const viewer = (user: { id: string }, role: 'owner' | 'manager' | 'sales' | 'accountant') => ({
		orgId: org.id,
		userId: user.id,
		role
	});
	return {
		org,
		otherOrg,
		lan,
		outsider,
		...people,
		boards: {
			project: { id: boards.project.id, stageIds: boards.project.stageIds },
			retail: { id: boards.retail.id, stageIds: boards.retail.stageIds }
		},
		ids,
		keyOf: (id: string) => (Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id) as DealKey,
		as: {
			owner: viewer(lan, 'owner'),
			manager: viewer(people.huy, 'manager'),
			nam: viewer(people.nam, 'sales'),
			ha: viewer(people.ha, 'sales'),
			accountant: viewer(people.chau, 'accountant')
		}
	};
}
export type Seeded = Awaited<ReturnType<typeof seedDeals>>;

async function board(
	db: Db,
	{
		orgId,
		name,
		position,
		stages,
		visibility,
		createdBy
	}: {
		orgId: string;
		name: string;
		position: string;
		stages: string[];
		visibility: 'all' | 'own';
		createdBy: string;
	}
) {
	const [row] = await db
		.insert(pipelines)
		.values({ orgId, name, position, createdBy })
		.returning({ id: pipelines.id });
	const doc = new Y.Doc();
	const stageIds = stages.map(() => uuidv7());
	initPipeline(
		doc,
		{
			name,
			stages: stages.map((n, i) => ({
				id: stageIds[i]!,
				name: n,
				color: '#0f766e',
				winProbability: 10 * (i + 1),
				rotDays: 7
			}))
		},
		origin
	);
	setPipelineSettings(doc, { visibility }, origin);
	return { id: row!.id, doc, stageIds };
}

/** Every deal key a viewer may see, per the pipelines' visibility. */
export const visibleTo = {
	all: Object.keys(specs) as DealKey[],
	nam: ['namA1', 'namA2', 'namA3', 'namB1', 'haB1', 'huyB1'] as DealKey[],
	ha: ['haA1', 'haA2', 'haA3', 'namB1', 'haB1', 'huyB1'] as DealKey[]
};
