import { Hocuspocus } from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import IORedis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName, dealsMap } from '$lib/board/doc';
import { readCard } from '$lib/board/read';
import { setStar, updateDealFields } from '$lib/board/ops';
import { compact } from '$lib/server/collab/log';
import { collabDocuments } from '$lib/server/db/schema';
import { redisRelay } from '../../../server/collab/relay';
import { acked } from '../../support/collab-client';
import { collabStack, openGrownShard } from '../../support/collab-stack';
import { testDb } from '../../support/db';
import { createOwnerBoard } from '../../support/factories';
import { useRedis } from '../../support/redis';

// Board SPEC B23 with several instances (architecture.md › Growth): while one instance still
// holds generation g of a shard (its lock connection dropped and no heartbeat has noticed yet),
// another loads g+1. Hocuspocus's Redis extension relays by the sync protocol (a change publishes
// the instance's state vector, the others answer with all it lacks), so on one channel each copy
// would pour its whole generation into the other. Channels per generation (server/collab/relay.ts)
// keep them apart; within a generation the relay works as before.

const { db, client } = await testDb();
const redis = await useRedis();
// A's heartbeat never comes during the spec: the gap stays open until A takes a lock again.
const a = await collabStack({ db, redisUrl: redis.url, lockHeartbeatMs: 600_000 });
const b = await collabStack({ db, redisUrl: redis.url });
afterAll(async () => {
	await a.stop();
	await b.stop();
	await redis.stop();
});

// Every card as the board reads it (SPEC B25: a field may sit in the card's creation entry).
const cards = (doc: Y.Doc) =>
	Object.fromEntries([...dealsMap(doc)].map(([id, card]) => [id, readCard(id, card)]));
const clientsOf = (doc: Y.Doc) => [...doc.store.clients.keys()];

it('[B23] never relays between copies of different generations, and relays within one', async () => {
	const board = await createOwnerBoard(db, { name: 'Võ Thanh Tùng' });
	const { shard: onA, ids, by } = await openGrownShard(a, board);
	const olderClients = clientsOf(a.hocuspocus.documents.get(board.shardName)!);

	// A's lock connection dies; a compaction rewrites the shard under A's loaded copy.
	await client`
		select pg_terminate_backend(pid) from pg_stat_activity
		where application_name = 'chot-doc-locks' and datname = current_database()`;
	const rewrite = { minBytes: 1, factor: 1.2 };
	await expect
		.poll(async () => (await compact(db, { docName: board.shardName, rewrite })).generation, {
			timeout: 3000
		})
		.toBe(1);
	const [row] = await db
		.select({ founder: collabDocuments.founder })
		.from(collabDocuments)
		.where(eq(collabDocuments.name, board.shardName));
	const founder = row!.founder!;
	expect(founder).toBeTypeOf('number');

	// B loads the new generation; both copies are edited.
	const onB = await b.open(board.owner.id, board.shardName);
	expect(cards(onB.doc)).toEqual(cards(onA.doc));
	setStar(onA.doc, { dealId: ids[0]!, starred: true }, by);
	await acked(onA.provider);
	updateDealFields(onB.doc, { dealId: ids[1]!, title: 'Hợp đồng bảo trì năm 2027' }, by);
	await acked(onB.provider);
	// Each edit made its instance publish; an answer over Redis on one host takes milliseconds.
	await new Promise((r) => setTimeout(r, 1000));

	// Nothing of either generation reached the other copy, in memory or on the wire.
	const docB = b.hocuspocus.documents.get(board.shardName)!;
	expect(clientsOf(docB).filter((c) => olderClients.includes(c))).toEqual([]);
	expect(clientsOf(onB.doc).filter((c) => olderClients.includes(c))).toEqual([]);
	expect(docB.store.pendingStructs).toBeNull();
	expect(clientsOf(a.hocuspocus.documents.get(board.shardName)!)).not.toContain(founder);
	expect(clientsOf(onA.doc)).not.toContain(founder);
	expect(cards(onB.doc)[ids[0]!]!.starred).toBe(false);
	expect(cards(onA.doc)[ids[1]!]!.title).toBe('Cơ hội 1');

	// A takes a lock again (it loads another document), finds the shard rewritten and closes the
	// older copy; loaded again on A it is the new generation, and edits on B reach it live.
	await a.open(board.owner.id, dealsDocName(board.pipelineId, uuidv7()));
	expect(await onA.docClosed).toBe('stale-generation');
	await expect.poll(() => a.hocuspocus.documents.has(board.shardName)).toBe(false);
	const again = await a.open(board.owner.id, board.shardName);
	expect(clientsOf(again.doc)).toContain(founder);
	const seen = new Promise<unknown>((resolve) =>
		dealsMap(again.doc).observeDeep(() => resolve(cards(again.doc)[ids[2]!]!.starred))
	);
	setStar(onB.doc, { dealId: ids[2]!, starred: true }, by);
	expect(await seen).toBe(true);
	expect(cards(again.doc)[ids[1]!]!.title).toBe('Hợp đồng bảo trì năm 2027');
});

it('subscribes a generation of its own, and lets a document unload once Redis is gone', async () => {
	const name = `deals:${uuidv7()}:${uuidv7()}`;
	const errors: unknown[] = [];
	const relay = redisRelay({
		url: redis.url,
		generationOf: () => 3,
		onError: (e) => errors.push(e)
	});
	const hocuspocus = new Hocuspocus({ name: 'relay', quiet: true, extensions: [relay] });
	await hocuspocus.openDirectConnection(name);
	const probe = new IORedis(redis.url);
	try {
		await expect
			.poll(() => probe.pubsub('CHANNELS', `*${name}*`))
			.toEqual([`hocuspocus:${name}@g3`]);
		// A message that does not decode, from "another instance": reported, and the process
		// lives on (an unhandled rejection would fail this run).
		const other = Buffer.from('other', 'utf-8');
		await probe.publish(
			`hocuspocus:${name}@g3`,
			Buffer.concat([Buffer.from([other.length]), other, Buffer.from([0xff, 0xff, 0xff])])
		);
		await expect.poll(() => errors.length).toBe(1);
	} finally {
		probe.disconnect();
	}
	// At shutdown the Redis connections close before the last documents unload: their unsubscribe
	// must not reject, nor may a late publish (unhandled rejections ended SIGTERMed servers with exit
	// code 1).
	await relay.onDestroy();
	// Hocuspocus's extension answers other instances without awaiting the publish.
	await expect(relay.pub.publish(`hocuspocus:${name}@g3`, Buffer.from([0]))).resolves.toBe(0);
	await expect(
		relay.afterUnloadDocument({ instance: { documents: new Map() } as never, documentName: name })
	).resolves.toBeUndefined();
});
