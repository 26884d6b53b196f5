import { generateKeyBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName, readStages } from '$lib/board/doc';
import { createDeal, initPipeline, moveDeal } from '$lib/board/ops';
import { Prng } from '$lib/board/testing/prng';
import * as sessions from '$lib/server/auth/session';
import type { Db } from '$lib/server/db';
import {
	collabDocuments,
	customers as customersTable,
	memberships,
	pipelines,
	users,
	type Role
} from '$lib/server/db/schema';
import * as orgs from '$lib/server/orgs/orgs.repo';

// The board bench's data, written straight into the bench server's database the way the app
// would leave it: organisations, members with sessions (the bench's clients log in with their
// cookies; no password is ever checked, so no Argon2 hash is computed), pipelines whose documents
// start as a stored snapshot (as `pipelinesRepo.createDefault` does), and deals shards holding
// deals created with the named ops, stored the same way.

export type Member = { id: string; role: Role; token: string };
export type Customer = { id: string; name: string; phone: string };
export type Team = {
	orgId: string;
	owner: Member;
	managers: Member[];
	reps: Member[];
	customers: Customer[];
};
export type SeededPipeline = { id: string; docName: string; state: Uint8Array; stageIds: string[] };
export type SeededShard = { docName: string; dealIds: string[]; state: Uint8Array };

const STAGES = ['Tiếp cận', 'Khảo sát nhu cầu', 'Báo giá', 'Đàm phán', 'Ký hợp đồng', 'Triển khai'];
const CUSTOMERS = [
	'Công ty TNHH Thực phẩm Bình Minh',
	'Công ty CP Xây dựng Hưng Thịnh',
	'Nhà hàng Phố Cổ',
	'Công ty TNHH Dệt may Sông Hồng',
	'Cửa hàng Vật liệu Đức Anh'
];
const WORK = [
	'Cung cấp thiết bị văn phòng',
	'Bảo trì hệ thống điều hoà',
	'Phần mềm kế toán',
	'Lắp đặt camera'
];

let seq = 0;

/** An organisation with an owner, `managers` managers and `reps` sales reps, each with a session. */
export async function createTeam(
	db: Db,
	{ name, managers = 0, reps = 0 }: { name: string; managers?: number; reps?: number }
): Promise<Team> {
	const roles: Role[] = [
		'owner',
		...Array<Role>(managers).fill('manager'),
		...Array<Role>(reps).fill('sales')
	];
	const rows = await db
		.insert(users)
		.values(
			roles.map((role) => ({
				email: `bench-${Date.now().toString(36)}-${++seq}@example.vn`,
				name:
					role === 'owner'
						? 'Trần Thị Bích'
						: role === 'manager'
							? 'Lê Văn Cường'
							: 'Phạm Minh Đức',
				passwordHash: 'bench: never logs in with a password',
				emailVerifiedAt: new Date()
			}))
		)
		.returning({ id: users.id });
	const ids = rows.map((r) => r.id);
	const org = await orgs.create(db, {
		ownerId: ids[0]!,
		settings: { name },
		withDefaultPipeline: false
	});
	if (ids.length > 1)
		await db
			.insert(memberships)
			.values(ids.slice(1).map((userId, i) => ({ orgId: org.id, userId, role: roles[i + 1]! })));
	const members = await Promise.all(
		ids.map(async (id, i) => ({
			id,
			role: roles[i]!,
			token: (await sessions.create(db, { userId: id, userAgent: 'chot-bench' })).token
		}))
	);
	// Cards name existing customers, as they do once the server has turned a quick-add's inline
	// customer into a record (the projection would otherwise create one per card on load).
	const customers = await db
		.insert(customersTable)
		.values(
			CUSTOMERS.map((name, i) => ({
				orgId: org.id,
				kind: 'company' as const,
				name,
				phones: [`+8491234567${i}`],
				ownerId: ids[0]!,
				createdBy: ids[0]!
			}))
		)
		.returning({ id: customersTable.id, name: customersTable.name, phones: customersTable.phones });
	return {
		orgId: org.id,
		customers: customers.map((c) => ({ id: c.id, name: c.name, phone: c.phones[0]! })),
		owner: members[0]!,
		managers: members.filter((m) => m.role === 'manager'),
		reps: members.filter((m) => m.role === 'sales')
	};
}

/** A pipeline with the default Vietnamese stages; its document stored as a snapshot. */
export async function createPipeline(
	db: Db,
	{
		orgId,
		createdBy,
		name,
		position
	}: { orgId: string; createdBy: string; name: string; position: string | null }
): Promise<SeededPipeline> {
	const [row] = await db
		.insert(pipelines)
		.values({ orgId, name, position: generateKeyBetween(position, null), createdBy })
		.returning({ id: pipelines.id, position: pipelines.position });
	const doc = new Y.Doc();
	initPipeline(
		doc,
		{
			name,
			stages: STAGES.map((stage, i) => ({
				id: uuidv7(),
				name: stage,
				color: '#0f766e',
				winProbability: [10, 20, 40, 60, 80, 100][i]!,
				rotDays: 14
			}))
		},
		{ kind: 'server', reason: 'bench' }
	);
	const state = Y.encodeStateAsUpdate(doc);
	const docName = pipelineDocName(row!.id);
	await db.insert(collabDocuments).values({ name: docName, state, throughSeq: 0 });
	const stageIds = readStages(doc).map((s) => s.id);
	doc.destroy();
	return { id: row!.id, docName, state, stageIds };
}

/** A deals shard of `ownerId` with `deals` deals spread over the stages (each naming one of the
 * organisation's customers), stored as a snapshot; with `moveEach`, every deal is then moved
 * once, to the end of a random column, as a board that has been worked on holds them. */
export async function createShard(
	db: Db,
	{
		pipeline,
		ownerId,
		customers,
		deals,
		seed,
		moveEach = false
	}: {
		pipeline: SeededPipeline;
		ownerId: string;
		customers: Customer[];
		deals: number;
		seed: number;
		moveEach?: boolean;
	}
): Promise<SeededShard> {
	const prng = new Prng(seed);
	const pipelineDoc = new Y.Doc();
	Y.applyUpdate(pipelineDoc, pipeline.state);
	const dealDoc = new Y.Doc();
	const origin = { kind: 'user', userId: ownerId } as const;
	const dealIds: string[] = [];
	const last = new Map<string, string>();
	let at = Date.UTC(2026, 9, 1, 2);
	for (let i = 0; i < deals; i++) {
		const id = uuidv7();
		const stageId = prng.pick(pipeline.stageIds);
		const after = last.get(stageId);
		const customer = prng.pick(customers);
		createDeal(
			{ pipelineDoc, dealDoc },
			{
				id,
				title: `${prng.pick(WORK)} — chi nhánh ${i + 1}`,
				stageId,
				ownerId,
				amount: prng.int(5, 900) * 1_000_000,
				customerId: customer.id,
				customerName: customer.name,
				customerPhone: customer.phone,
				starred: prng.chance(0.1),
				...(after ? { after } : {}),
				at: (at += 60_000)
			},
			origin
		);
		last.set(stageId, id);
		dealIds.push(id);
	}
	if (moveEach) {
		for (const dealId of dealIds) {
			const toStageId = prng.pick(pipeline.stageIds);
			moveDeal({ pipelineDoc, dealDoc }, { dealId, toStageId, at: (at += 60_000) }, origin);
		}
	}
	const docName = dealsDocName(pipeline.id, ownerId);
	const state = Y.encodeStateAsUpdate(dealDoc);
	await db.insert(collabDocuments).values({ name: docName, state, throughSeq: 0 });
	pipelineDoc.destroy();
	dealDoc.destroy();
	return { docName, dealIds, state };
}
