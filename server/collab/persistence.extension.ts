import {
	Connection,
	type Document,
	IncomingMessage,
	MessageType,
	type Extension,
	type beforeHandleMessagePayload,
	type onLoadDocumentPayload
} from '@hocuspocus/server';
import { inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { STALE_GENERATION } from '$lib/board/doc';
import { isOrigin } from '$lib/board/origin';
import { isStale, refersToUnknown } from '$lib/server/collab/generations';
import { createDocLocks } from '$lib/server/collab/locks';
import * as collabLog from '$lib/server/collab/log';
import type { Db } from '$lib/server/db';
import { collabDocuments } from '$lib/server/db/schema';
import type { Logger } from '$lib/server/log';
import type { CollabContext } from './auth.extension';
import { isLogged } from './direct';

// y-protocols sync message types.
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
// The origins of updates this extension must not log: the stored state being loaded, and
// updates another instance already logged before publishing them through Redis.
const LOAD_ORIGIN = Symbol('collab-load');
const REDIS_ORIGIN = '__hocuspocus__redis__origin__';

/**
 * "Saved means saved" (design.md): every client update is appended to `collab_updates` before
 * Hocuspocus applies and acknowledges it. Hocuspocus 3.4 applies a message, then sends the
 * SyncStatus ack, in the `.then` of the `beforeHandleMessage` hook, so awaiting the insert here
 * holds the ack until PostgreSQL has the update; a failed insert closes the connection unacked
 * (the client keeps the change and resends it on reconnect). Updates the server makes itself
 * (direct connections, extensions) are logged from the document's update event, and
 * `onStoreDocument` waits for those writes, so `await directConnection.transact()` is durable.
 * Compaction runs in a job (compact-doc), never on this path.
 *
 * Generations (architecture.md › Growth): while a document is loaded this instance holds its
 * shared lock (locks.ts), so no compaction rewrites it meanwhile; every log row carries the
 * generation it was made against. A client whose copy belongs to an older generation (its sync
 * step 1 lacks the founder, or an update refers to items this generation never had) is closed
 * with the reason STALE_GENERATION before anything of it is applied or logged, and before it is
 * sent anything: it rebases its copy through the board's rebase endpoint and starts afresh.
 * When the lock connection was lost and its locks are taken again, every document held through
 * the gap is checked: one rewritten meanwhile is evicted (all its connections closed as stale,
 * every later message refused the same way until it unloads), so the older copy in memory is
 * served for at most a heartbeat, not until it happens to unload.
 */
export function persistenceExtension({
	db,
	logDb = db,
	log,
	compactAfter = 500,
	lockHeartbeatMs,
	requestCompaction
}: {
	db: Db;
	/** Where the update log is written (its own pool, so acknowledgements never queue behind
	 * other work for a connection). */
	logDb?: Db;
	log: Logger;
	/** Log rows of one document after which a compaction is requested. */
	compactAfter?: number;
	/** How often the document locks' connection is checked (locks.ts). */
	lockHeartbeatMs?: number;
	requestCompaction: (docName: string) => Promise<unknown>;
}) {
	// Every log write goes through one group-committing writer (log.ts), the server's own too.
	const writer = collabLog.createLogWriter(logDb);
	const locks = createDocLocks(db.$client, {
		heartbeatMs: lockHeartbeatMs,
		onRetaken: (docNames) => {
			evictRewritten(docNames).catch((err: unknown) =>
				log.error({ err, docNames }, 'could not check the generations of re-locked documents')
			);
		}
	});
	// Per loaded document: log rows written since its last compaction request, server-side
	// writes still in flight, the generation loaded, and whether it was found rewritten under it.
	type Loaded = {
		logged: number;
		pending: Set<Promise<unknown>>;
		generation: number;
		founder: number | null;
		doc: Document;
		evicted: boolean;
	};
	const docs = new Map<string, Loaded>();
	// Connections found holding an older generation: nothing more of theirs is handled.
	const stale = new WeakSet<Connection>();
	// Every write in flight, for shutdown.
	const inflight = new Set<Promise<unknown>>();
	// Each connection's writes run one after another, so its updates are logged (and then applied
	// and acknowledged) in the order it sent them.
	const tails = new WeakMap<Connection, Promise<unknown>>();

	function track<T>(p: Promise<T>) {
		inflight.add(p);
		p.finally(() => inflight.delete(p)).catch(() => {});
		return p;
	}

	function counted(docName: string) {
		const state = docs.get(docName);
		if (!state) return;
		state.logged += 1;
		if (state.logged >= compactAfter) {
			state.logged = 0;
			compactLater(docName);
		}
	}

	// A rewrite may have slipped in while the locks were lost (locks.ts): a document whose stored
	// generation moved past the loaded one is closed for everyone, as a stale replica would be.
	// Its clients rebase and reload; what was logged against the older generation meanwhile is
	// rebased by the next compaction. It stays refused until Hocuspocus unloads it (server-side
	// writers still open keep it a moment longer; their rows are rebased the same way).
	async function evictRewritten(docNames: string[]) {
		const rows = await db
			.select({ name: collabDocuments.name, generation: collabDocuments.generation })
			.from(collabDocuments)
			.where(inArray(collabDocuments.name, docNames));
		for (const { name, generation } of rows) {
			const state = docs.get(name);
			if (!state || state.evicted || generation === state.generation) continue;
			state.evicted = true;
			log.warn(
				{ documentName: name, loaded: state.generation, stored: generation },
				'a document was rewritten while its lock was lost: closing its connections'
			);
			for (const connection of state.doc.getConnections()) connection.close(staleGeneration());
		}
	}

	function compactLater(docName: string) {
		requestCompaction(docName).catch((err: unknown) =>
			log.warn({ err, docName }, 'could not enqueue a collab compaction')
		);
	}

	const extension = {
		extensionName: 'persistence',
		// Above the Redis extension (1000), whose onStoreDocument may end the hook chain when
		// another instance holds its lock: waiting for this instance's own writes must not be skipped.
		priority: 1100,

		async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
			// Held from before the read until the document unloads: no rewrite under it.
			await locks.hold(documentName);
			let loaded: Awaited<ReturnType<typeof collabLog.loadInto>>;
			try {
				// Throws on a database error or a corrupt stored update: Hocuspocus then refuses the
				// connection instead of serving an empty (or partial) document.
				loaded = await collabLog.loadInto(db, {
					docName: documentName,
					doc: document,
					origin: LOAD_ORIGIN
				});
			} catch (err) {
				await locks.release(documentName).catch(() => {});
				throw err;
			}
			const state: Loaded = {
				logged: loaded.logLength,
				pending: new Set<Promise<unknown>>(),
				generation: loaded.generation,
				founder: loaded.founder,
				doc: document,
				evicted: false
			};
			docs.set(documentName, state);
			document.on('update', (update: Uint8Array, origin: unknown) => {
				// Client updates were logged before they were applied; Redis ones by their instance.
				// Server changes made through rt.changeDoc were logged before they were applied.
				if (
					origin === LOAD_ORIGIN ||
					origin === REDIS_ORIGIN ||
					origin instanceof Connection ||
					isLogged(origin)
				)
					return;
				// A server-side change made on a user's behalf (origin `user`) is theirs.
				const userId = isOrigin(origin) && origin.kind === 'user' ? origin.userId : null;
				const write = track(
					writer.append({ docName: documentName, update, userId, generation: state.generation })
				).then(() => counted(documentName));
				state.pending.add(write);
				write
					.finally(() => state.pending.delete(write))
					.catch((err: unknown) =>
						log.error({ err, documentName }, 'could not log a server-side collab update')
					);
			});
			return document;
		},

		async beforeHandleMessage({
			connection,
			documentName,
			document,
			update: data,
			context
		}: beforeHandleMessagePayload) {
			const state = docs.get(documentName);
			if (stale.has(connection) || state?.evicted) throw staleGeneration();
			const message = syncMessage(data);
			if (!message) return;
			// Before anything is sent back: a stale replica must not be given this generation.
			if (message.kind === SYNC_STEP_1) {
				if (isStale(Y.decodeStateVector(message.payload), state?.founder ?? null)) {
					stale.add(connection);
					throw staleGeneration();
				}
				return;
			}
			// Read-only connections' updates are refused by Hocuspocus: never log them.
			if (connection.readOnly) return;
			// A sync step 2 is sent on every (re)connect; most add nothing the document lacks.
			if (
				message.kind === SYNC_STEP_2 &&
				Y.snapshotContainsUpdate(Y.snapshot(document), message.payload)
			)
				return;
			// What is logged must load again: a malformed update closes the connection instead.
			const decoded = collabLog.assertDecodable(message.payload);
			if (
				state?.founder != null &&
				refersToUnknown(decoded, (client) => state.doc.store.clients.has(client))
			) {
				stale.add(connection);
				throw staleGeneration();
			}
			// Queued at once, so a connection's updates share group commits instead of waiting a
			// round trip each (a writer at 20 updates/s fell behind waiting for its previous
			// commit); applied and acknowledged in the order sent, because each message also waits
			// for the one before it. If an earlier write fails, this one fails with it and the
			// connection closes; a later row may then be committed without having been applied,
			// which the client's resend on reconnect (or the next load) makes whole.
			const previous = tails.get(connection) ?? Promise.resolve();
			const write = track(
				writer.append({
					docName: documentName,
					update: message.payload,
					userId: (context as CollabContext).userId ?? null,
					generation: state?.generation ?? 0
				})
			);
			const done = Promise.all([previous, write]);
			tails.set(connection, done);
			await done;
			counted(documentName);
		},

		async onStoreDocument({ documentName }: { documentName: string }) {
			// Nothing to store: the log already has every update. Only wait for server-side writes.
			const state = docs.get(documentName);
			if (state) await Promise.all([...state.pending]);
		},

		async afterUnloadDocument({ documentName }: { documentName: string }) {
			const state = docs.get(documentName);
			docs.delete(documentName);
			// Released before the compaction is asked for, so that it may rewrite the document.
			await locks
				.release(documentName)
				.catch((err: unknown) => log.warn({ err, documentName }, 'could not release a doc lock'));
			if (state && state.logged > 0) compactLater(documentName);
		},

		/** Appends a server-side update before it is applied (direct.ts); resolves once stored. */
		append(entry: collabLog.LogEntry) {
			const generation = entry.generation ?? docs.get(entry.docName)?.generation ?? 0;
			return track(writer.append({ ...entry, generation }));
		},

		/** The generation of a loaded document (the Redis relay's channel, relay.ts). */
		generationOf: (docName: string) => docs.get(docName)?.generation,

		/** Documents whose lock this instance holds (tests). */
		heldLocks: () => locks.held(),

		/** Log inserts and rows so far: rows ÷ inserts is the group commit's batch size. */
		logStats: writer.stats,

		/** Resolves once every log write started so far has settled (for shutdown). */
		async drain() {
			while (inflight.size > 0) await Promise.allSettled([...inflight]);
			await writer.drain();
		},

		/** Gives back the document locks (shutdown, after the documents are closed). */
		close: () => locks.close()
	} satisfies Extension & {
		append(entry: collabLog.LogEntry): Promise<void>;
		generationOf(docName: string): number | undefined;
		heldLocks(): Map<string, number>;
		logStats: { batches: number; rows: number };
		drain(): Promise<void>;
		close(): Promise<void>;
	};
	return extension;
}

function staleGeneration() {
	return Object.assign(new Error('the client holds an older generation of the document'), {
		code: 4409,
		reason: STALE_GENERATION
	});
}

// A client's sync message (step 1 with its state vector, step 2 or update with a Yjs update),
// or null for any other message (awareness, stateless …). Malformed frames throw, closing the
// connection.
function syncMessage(data: Uint8Array) {
	const message = new IncomingMessage(data);
	message.readVarString();
	const type = message.readVarUint();
	if (type !== MessageType.Sync && type !== MessageType.SyncReply) return null;
	const kind = message.readVarUint();
	if (kind !== SYNC_STEP_1 && kind !== SYNC_STEP_2 && kind !== SYNC_UPDATE) return null;
	return { kind, payload: message.readVarUint8Array() };
}
