import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName } from '../../../src/lib/board/doc';
import { createDeal, initPipeline, setStatus } from '../../../src/lib/board/ops';
import type { Db } from '../../../src/lib/server/db';
import { collabDocuments, pipelines } from '../../../src/lib/server/db/schema';
import { rebuild } from '../../../src/lib/server/projection/rebuild';

// Shared by the worker crash specs: a controllable clock file, a pg-boss client that only sends,
// and standby deals written as stored documents and projected by the real rebuild.

export function fakeClock() {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chot-clock-')), 'now');
	const set = (at: Date | string) => fs.writeFileSync(file, String(new Date(at).getTime()));
	set(new Date());
	return { file, set, remove: () => fs.rmSync(path.dirname(file), { recursive: true }) };
}

/** A pg-boss that sends jobs into the app's queues and runs nothing itself. */
export async function sender(databaseUrl: string) {
	const boss = new PgBoss({
		connectionString: databaseUrl,
		schema: 'pgboss',
		max: 2,
		supervise: false,
		schedule: false
	});
	boss.on('error', () => {});
	await boss.start();
	return boss;
}

const origin = { kind: 'job', job: 'test-seed' } as const;

/** One pipeline whose deals (one per owner in turn) are on standby until `until`. */
export async function seedStandbyDeals(
	db: Db,
	{
		orgId,
		ownerIds,
		count,
		until
	}: { orgId: string; ownerIds: string[]; count: number; until: string }
) {
	const [row] = await db
		.insert(pipelines)
		.values({ orgId, name: 'Chờ', position: 'z9', createdBy: ownerIds[0]! })
		.returning({ id: pipelines.id });
	const pipelineDoc = new Y.Doc();
	const stageIds = [uuidv7(), uuidv7()];
	initPipeline(
		pipelineDoc,
		{
			name: 'Chờ',
			stages: stageIds.map((id, i) => ({
				id,
				name: i === 0 ? 'Tiếp cận' : 'Báo giá',
				color: '#0f766e',
				winProbability: 20,
				rotDays: 0
			}))
		},
		origin
	);
	const shards = new Map<string, Y.Doc>();
	const deals: { id: string; ownerId: string; stageId: string }[] = [];
	for (let i = 0; i < count; i++) {
		const ownerId = ownerIds[i % ownerIds.length]!;
		const name = dealsDocName(row!.id, ownerId);
		let dealDoc = shards.get(name);
		if (!dealDoc) shards.set(name, (dealDoc = new Y.Doc()));
		const id = uuidv7();
		const stageId = stageIds[i % 2]!;
		const at = Date.now() - 86_400_000 * 30;
		createDeal(
			{ pipelineDoc, dealDoc },
			{
				id,
				title: `Giao dịch chờ ${i + 1}`,
				stageId,
				ownerId,
				amount: 1_000_000,
				createdBy: ownerId,
				at
			},
			origin
		);
		setStatus(dealDoc, { dealId: id, status: 'standby', standbyUntil: until, at: at + 1 }, origin);
		deals.push({ id, ownerId, stageId });
	}
	await db
		.insert(collabDocuments)
		.values([
			{ name: pipelineDocName(row!.id), state: Y.encodeStateAsUpdate(pipelineDoc) },
			...[...shards].map(([name, doc]) => ({ name, state: Y.encodeStateAsUpdate(doc) }))
		]);
	await rebuild(db, { pipelineIds: [row!.id] });
	return { pipelineId: row!.id, stageIds, deals };
}

export async function until(
	what: string,
	check: () => Promise<boolean | { done: boolean; state: unknown }>,
	{ timeoutMs = 120_000, everyMs = 250 } = {}
) {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		const r = await check();
		if (r === true || (typeof r === 'object' && r.done)) return;
		if (typeof r === 'object') last = r.state;
		await new Promise((r) => setTimeout(r, everyMs));
	}
	throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}
