import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName } from '../../../src/lib/board/doc';
import { createDeal, initPipeline, setPipelineSettings } from '../../../src/lib/board/ops';
import { normalisePhone } from '../../../src/lib/phone';
import type { Db } from '../../../src/lib/server/db';
import { collabDocuments, customers, pipelines } from '../../../src/lib/server/db/schema';
import { rebuild } from '../../../src/lib/server/projection/rebuild';

// Boards for the search specs, written as the demo seed writes them: the documents as their
// first snapshots, then the `deals` rows through the real projection (rebuild), so search reads
// exactly what the live projection would have written.

const origin = { kind: 'job', job: 'search-spec' } as const;

export type SeedDeal = {
	ownerId: string;
	title: string;
	amount?: number;
	customer?: { id?: string; name: string; phone?: string };
};

export async function seedBoard(
	db: Db,
	{
		orgId,
		name,
		visibility,
		deals
	}: { orgId: string; name: string; visibility: 'all' | 'own'; deals: SeedDeal[] }
) {
	const [pipeline] = await db
		.insert(pipelines)
		.values({ orgId, name, position: `a${Math.random().toString(36).slice(2, 6)}` })
		.returning();
	const pipelineDoc = new Y.Doc();
	const stageId = uuidv7();
	initPipeline(
		pipelineDoc,
		{
			name,
			stages: [{ id: stageId, name: 'Tiếp cận', color: '#64748b', winProbability: 10, rotDays: 7 }]
		},
		origin
	);
	setPipelineSettings(pipelineDoc, { visibility }, origin);
	await db
		.insert(collabDocuments)
		.values({ name: pipelineDocName(pipeline!.id), state: Y.encodeStateAsUpdate(pipelineDoc) });

	const shards = new Map<string, Y.Doc>();
	const ids: string[] = [];
	for (const d of deals) {
		let dealDoc = shards.get(d.ownerId);
		if (!dealDoc) shards.set(d.ownerId, (dealDoc = new Y.Doc()));
		const id = uuidv7();
		ids.push(id);
		const phone = d.customer?.phone ? normalisePhone(d.customer.phone) : null;
		createDeal(
			{ pipelineDoc, dealDoc },
			{
				id,
				title: d.title,
				stageId,
				ownerId: d.ownerId,
				amount: d.amount ?? 1_000_000,
				...(d.customer
					? {
							customerName: d.customer.name,
							...(d.customer.id ? { customerId: d.customer.id } : {}),
							...(phone ? { customerPhone: phone } : {})
						}
					: {}),
				createdBy: d.ownerId,
				at: Date.now()
			},
			origin
		);
	}
	for (const [ownerId, dealDoc] of shards) {
		await db.insert(collabDocuments).values({
			name: dealsDocName(pipeline!.id, ownerId),
			state: Y.encodeStateAsUpdate(dealDoc)
		});
	}
	await rebuild(db, { pipelineIds: [pipeline!.id] });
	return { pipelineId: pipeline!.id, dealIds: ids };
}

export async function createCustomer(
	db: Db,
	{
		orgId,
		name,
		phones = [],
		deleted = false
	}: { orgId: string; name: string; phones?: string[]; deleted?: boolean }
) {
	const [row] = await db
		.insert(customers)
		.values({
			orgId,
			name,
			phones: phones.map((p) => normalisePhone(p)).filter((p): p is string => p !== null),
			deletedAt: deleted ? new Date() : null
		})
		.returning();
	return row!;
}
