import { Hocuspocus } from '@hocuspocus/server';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import { activitiesExtension } from '../../server/collab/activities.extension';
import { createCollabWriter } from '../../server/collab/direct';
import { lastContactExtension } from '../../server/collab/last-contact.extension';
import { persistenceExtension } from '../../server/collab/persistence.extension';
import { projectionExtension } from '../../server/collab/projection.extension';
import { redisRelay } from '../../server/collab/relay';
import { pipelineDocName, readStages } from '../../src/lib/board/doc';
import { createDeal, moveDeal } from '../../src/lib/board/ops';
import type { Db } from '../../src/lib/server/db';
import { createLogger } from '../../src/lib/server/log';
import type { Runtime } from '../../src/lib/server/runtime';
import { acked, connect } from './collab-client';

/**
 * The app's collab server in the test process: a real Hocuspocus with the extensions that store
 * documents and keep the tables and cards in step (persistence, board projection, contact logs
 * and tasks, last contact), behind a plain WebSocket server, and the server's own writer
 * (`changeDoc`). A socket's user comes from a `user=<id>` cookie; the app's upgrade checks
 * sessions, which the access specs cover.
 */
export async function collabStack({
	db,
	flushAfterMs = 50,
	lockHeartbeatMs,
	redisUrl
}: {
	db: Db;
	flushAfterMs?: number;
	lockHeartbeatMs?: number;
	/** Shares live documents with other stacks through this Redis, as the app's instances do. */
	redisUrl?: string;
}) {
	const log = createLogger({ level: 'silent' });
	const changeDoc: Runtime['changeDoc'] = (name, fn) => writer(name, fn);
	const persistence = persistenceExtension({
		db,
		log,
		lockHeartbeatMs,
		requestCompaction: async () => {}
	});
	const projection = projectionExtension({ db, log, changeDoc, flushAfterMs, retryAfterMs: 200 });
	const activities = activitiesExtension({ db, log, flushAfterMs });
	const lastContact = lastContactExtension({ db, log, changeDoc, flushAfterMs });
	const redis = redisUrl
		? redisRelay({ url: redisUrl, generationOf: persistence.generationOf })
		: undefined;
	const hocuspocus = new Hocuspocus({
		name: 'test',
		quiet: true,
		extensions: [...(redis ? [redis] : []), persistence, projection, activities, lastContact]
	});
	const writer = createCollabWriter(hocuspocus, (entry) => persistence.append(entry), {
		holdMs: 0
	});
	const wss = new WebSocketServer({ noServer: true });
	const server = http.createServer();
	server.on('upgrade', (req, socket, head) => {
		const userId = /user=([0-9a-f-]{36})/.exec(req.headers.cookie ?? '')?.[1];
		wss.handleUpgrade(req, socket, head, (ws) => hocuspocus.handleConnection(ws, req, { userId }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const clients: ReturnType<typeof connect>[] = [];
	function connectAs(userId: string, documentName: string, doc?: Y.Doc) {
		const c = connect({ origin, documentName, cookie: `user=${userId}`, doc });
		clients.push(c);
		return c;
	}

	return {
		hocuspocus,
		changeDoc,
		origin,
		persistence,
		/** A user's live copy of a document, synced. */
		async open(userId: string, documentName: string) {
			const c = connectAs(userId, documentName);
			await c.synced;
			return c;
		},
		/** A user's copy of a document, connecting (`doc`: a replica kept from before). */
		connect: connectAs,
		async stop() {
			for (const c of clients) c.destroy();
			hocuspocus.closeConnections();
			await writer.releaseAll();
			await projection.drain();
			await activities.drain();
			await lastContact.drain();
			await persistence.drain();
			await persistence.close();
			await redis?.onDestroy();
			await new Promise((resolve) => server.close(resolve));
		}
	};
}

export type CollabStack = Awaited<ReturnType<typeof collabStack>>;

/**
 * The owner's live copies of their board's pipeline and shard, the shard given 20 deals
 * ("Cơ hội 0" …) moved 600 times between the stages: mostly history, so that a compaction with
 * small thresholds rewrites it (SPEC B23). Resolves once the server has acknowledged all of it.
 */
export async function openGrownShard(
	stack: CollabStack,
	board: { owner: { id: string }; pipelineId: string; shardName: string }
) {
	const by = { kind: 'user', userId: board.owner.id } as const;
	const pipeline = await stack.open(board.owner.id, pipelineDocName(board.pipelineId));
	const stageIds = readStages(pipeline.doc).map((s) => s.id);
	const shard = await stack.open(board.owner.id, board.shardName);
	const scope = { pipelineDoc: pipeline.doc, dealDoc: shard.doc };
	const ids: string[] = [];
	for (let i = 0; i < 20; i++) {
		const id = uuidv7();
		ids.push(id);
		createDeal(
			scope,
			{ id, title: `Cơ hội ${i}`, stageId: stageIds[0]!, ownerId: board.owner.id },
			by
		);
	}
	for (let i = 0; i < 600; i++) {
		moveDeal(scope, { dealId: ids[(i * 7) % 20]!, toStageId: stageIds[i % stageIds.length]! }, by);
	}
	await acked(shard.provider);
	return { pipeline, shard, ids, by };
}
