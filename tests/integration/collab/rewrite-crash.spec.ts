import { and, eq, sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsMap, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, moveDeal } from '../../../src/lib/board/ops';
import { readDeals } from '../../../src/lib/board/read';
import { Prng } from '../../../src/lib/board/testing/prng';
import * as collabLog from '../../../src/lib/server/collab/log';
import {
	collabDocuments,
	collabGenerations,
	collabUpdates
} from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { connect } from '../../support/collab-client';
import { createOwnerBoard } from '../../support/factories';
import { sender } from '../notify/jobs-support';
import { cookieFor } from '../security/http';

// SPEC B23 under a crash: the server is SIGKILLed while its compaction is inside the rewrite of
// a grown shard, after it archived the old generation and wrote the fresh copy and before it
// committed. Nothing of the half-done rewrite may remain, nothing stored may be lost, and the
// next compaction completes the rewrite with the same cards.

// pg-boss looks for jobs whose worker died every 2 s instead of 30.
const app = await startApp({ env: { CHOT_JOBS_MAINTENANCE_SECONDS: '2' } });
afterAll(() => app.stop());

const { owner, pipelineId, shardName } = await createOwnerBoard(app.db);
const as = { kind: 'user', userId: owner.id } as const;

async function storedDoc(name: string) {
	const doc = new Y.Doc();
	await collabLog.loadInto(app.db, { docName: name, doc });
	return doc;
}

const row = async () =>
	(
		await app.db
			.select({ generation: collabDocuments.generation, state: collabDocuments.state })
			.from(collabDocuments)
			.where(eq(collabDocuments.name, shardName))
	)[0];

/** The server's backend running the compaction's delete of merged log rows, if it is waiting. */
const deleteWaiting = async () =>
	(
		await app.db.execute<{ pid: number }>(sql`
			select pid from pg_stat_activity
			where pid <> pg_backend_pid() and wait_event_type = 'Lock'
				and query ilike 'delete from "collab_updates"%'`)
	).length > 0;

it('[B23] leaves nothing of a rewrite cut by SIGKILL, and the next compaction completes it', async () => {
	// A grown shard: 300 cards, then 15,000 moves (about twice a fresh copy, past the server's
	// rewrite threshold), stored as generation 0, plus one logged move to merge.
	const pipelineDoc = await storedDoc(pipelineDocName(pipelineId));
	const stageIds = readStages(pipelineDoc).map((s) => s.id);
	const shard = new Y.Doc();
	const scope = { pipelineDoc, dealDoc: shard };
	const prng = new Prng(20261201);
	for (let i = 0; i < 300; i++) {
		createDeal(
			scope,
			{
				id: prng.uuid(),
				title: `Hợp đồng bảo trì số ${i}`,
				stageId: prng.pick(stageIds),
				ownerId: owner.id,
				// No inline customer: the server would make it a record once the shard loads and
				// write that into the card, racing the comparisons below.
				amount: 5_000_000 + i * 10_000
			},
			as
		);
	}
	const ids = [...dealsMap(shard).keys()];
	for (let m = 0; m < 15_000; m++) {
		moveDeal(scope, { dealId: prng.pick(ids), toStageId: prng.pick(stageIds) }, as);
	}
	await app.db
		.insert(collabDocuments)
		.values({ name: shardName, state: Y.encodeStateAsUpdate(shard) })
		.onConflictDoUpdate({
			target: collabDocuments.name,
			set: { state: Y.encodeStateAsUpdate(shard) }
		});
	const stateBefore = (await row())!.state;
	const before = Y.encodeStateVector(shard);
	const target = readDeals(shard).find((d) => d.id === ids[1])!.stageId;
	moveDeal(scope, { dealId: ids[0]!, toStageId: target, after: ids[1] }, as);
	const [logged] = await app.db
		.insert(collabUpdates)
		.values({ docName: shardName, update: Y.encodeStateAsUpdate(shard, before), userId: owner.id })
		.returning({ seq: collabUpdates.seq });
	const expected = readDeals(shard);

	// Hold the logged row: the compaction's last statement, the delete of what it merged, waits.
	let release!: () => void;
	const released = new Promise<void>((r) => (release = r));
	let holding!: () => void;
	const held = new Promise<void>((r) => (holding = r));
	const lock = app.db.transaction(async (tx) => {
		await tx.execute(sql`select seq from collab_updates where seq = ${logged!.seq} for update`);
		holding();
		await released;
	});
	await held;
	const boss = await sender(app.databaseUrl);
	try {
		await boss.send('compact-doc', { docName: shardName }, { singletonKey: shardName });
	} finally {
		await boss.stop({ graceful: false, wait: true });
	}
	await expect.poll(deleteWaiting, { timeout: 20_000 }).toBe(true);
	// Inside the rewrite: that transaction has written the archive (it holds the table's write lock).
	const archiving = await app.db.execute(sql`
		select 1 from pg_locks l
		join pg_class c on c.oid = l.relation
		join pg_stat_activity a on a.pid = l.pid
		where c.relname = 'collab_generations' and l.mode = 'RowExclusiveLock'
			and a.query ilike 'delete from "collab_updates"%'`);
	expect(archiving.length).toBe(1);

	await app.kill('SIGKILL');
	// Its backend finishes the delete once the row is free, then finds its client gone: rollback.
	release();
	await lock;
	await expect.poll(deleteWaiting, { timeout: 10_000 }).toBe(false);
	await expect
		.poll(
			async () =>
				(
					await app.db.execute(sql`
						select 1 from pg_stat_activity
						where pid <> pg_backend_pid() and query ilike 'delete from "collab_updates"%'
							and state <> 'idle'`)
				).length,
			{ timeout: 10_000 }
		)
		.toBe(0);
	const after = (await row())!;
	expect(after.generation).toBe(0);
	expect(Buffer.from(after.state).equals(Buffer.from(stateBefore))).toBe(true);
	expect(
		await app.db
			.select({ generation: collabGenerations.generation })
			.from(collabGenerations)
			.where(eq(collabGenerations.docName, shardName))
	).toEqual([]);
	expect(
		await app.db
			.select({ seq: collabUpdates.seq })
			.from(collabUpdates)
			.where(and(eq(collabUpdates.docName, shardName), eq(collabUpdates.seq, logged!.seq)))
	).toEqual([{ seq: logged!.seq }]);

	// Back up: a client is served every card, the logged move included.
	await app.restart();
	const cookie = await cookieFor(app, owner.id);
	const client = connect({ origin: app.origin, documentName: shardName, cookie });
	await client.synced;
	expect(readDeals(client.doc)).toEqual(expected);
	client.destroy();

	// The next compaction rewrites the shard: the same cards. The one the crash cut short is still
	// marked active, and a document's compactions are 'stately' (one active at a time), so the
	// one the unload asked for waits until pg-boss retries the dead one, once its expiry (300 s)
	// has passed. Five minutes pass here (the job's start is moved back; maintenance every 2 s).
	const orphaned = await app.db.execute(sql`
		update pgboss.job set started_on = now() - interval '301 seconds'
		where name = 'compact-doc' and singleton_key = ${shardName} and state = 'active'
		returning id`);
	expect(orphaned.length).toBe(1);
	await expect.poll(async () => (await row())!.generation, { timeout: 30_000 }).toBe(1);
	expect(readDeals(await storedDoc(shardName))).toEqual(expected);
	const archived = await app.db
		.select({ generation: collabGenerations.generation })
		.from(collabGenerations)
		.where(eq(collabGenerations.docName, shardName));
	expect(archived).toEqual([{ generation: 0 }]);
}, 120_000);
