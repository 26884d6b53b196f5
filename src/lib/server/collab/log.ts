import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db, Tx } from '../db';
import { collabDocuments, collabUpdates } from '../db/schema';

// Storage of Yjs documents: an append-only update log plus a compacted snapshot per document.
// A document's state is its snapshot plus every log row still present for it, in seq order.
// Load applies all remaining rows rather than only those above `through_seq`: a bigserial is
// assigned at insert but visible at commit, so a row with a lower seq can become visible after
// a compaction has passed it; compaction deletes exactly the rows it merged, so what is left is
// never in the snapshot twice (and applying a Yjs update twice is harmless anyway).

export class CorruptDocumentError extends Error {
	constructor(docName: string, options: { cause: unknown }) {
		super(`stored state of ${docName} is corrupt`, options);
		this.name = 'CorruptDocumentError';
	}
}

/** Throws unless the bytes decode as a Yjs update (what is logged must load again). */
export function assertDecodable(update: Uint8Array) {
	Y.decodeUpdate(update);
}

export type LogEntry = { docName: string; update: Uint8Array; userId: string | null };

/**
 * Group commit for the update log. Every live update waits for its row to be committed before
 * it is applied and acknowledged, so one insert (and one WAL flush) per update bounds the
 * server at a few hundred updates a second, most of it spent waiting on commits while the pool
 * fills. The writer sends what is queued as one multi-row insert as soon as fewer than
 * `maxInflight` inserts are running; while they run, new entries gather into the next one. A
 * lone update still goes out at once (no timer), so latency at low load is one insert.
 * Each entry's promise resolves when the insert holding it has committed, and rejects when it
 * failed (its client is then disconnected unacknowledged and resends; nothing was stored).
 * Order: entries of one batch get ascending seqs in queue order, but inserts running together
 * commit in any order, so a later entry may get a lower seq than an earlier one of another
 * batch. Nothing depends on seq order: a load applies every row in one transaction, and a
 * compaction that merges a later update of a client without its earlier one keeps it pending
 * in the snapshot until the earlier row is merged too (log.spec.ts).
 */
export function createLogWriter(
	db: Tx,
	{ maxRows = 500, maxBytes = 8 * 1024 * 1024, maxInflight = 4 } = {}
) {
	type Queued = LogEntry & { resolve: () => void; reject: (err: unknown) => void };
	let queue: Queued[] = [];
	let running = 0;
	const inflight = new Set<Promise<void>>();
	const stats = { batches: 0, rows: 0 };

	function pump() {
		while (running < maxInflight && queue.length > 0) {
			let bytes = 0;
			let n = 0;
			// At least one entry, however large (frames are limited elsewhere).
			while (
				n < queue.length &&
				n < maxRows &&
				(n === 0 || bytes + queue[n]!.update.length <= maxBytes)
			) {
				bytes += queue[n]!.update.length;
				n += 1;
			}
			const batch = queue.slice(0, n);
			queue = queue.slice(n);
			running += 1;
			const insert = insertBatch(db, batch)
				.then(
					() => {
						stats.batches += 1;
						stats.rows += batch.length;
						for (const e of batch) e.resolve();
					},
					(err: unknown) => {
						for (const e of batch) e.reject(err);
					}
				)
				.finally(() => {
					running -= 1;
					inflight.delete(insert);
					pump();
				});
			inflight.add(insert);
		}
	}

	return {
		/** Resolves once the entry's row is committed. */
		append(entry: LogEntry) {
			return new Promise<void>((resolve, reject) => {
				queue.push({ ...entry, resolve, reject });
				pump();
			});
		},
		/** Resolves once every entry queued so far has been written or has failed. */
		async drain() {
			while (queue.length > 0 || inflight.size > 0) await Promise.allSettled([...inflight]);
		},
		/** Inserts and rows written so far (for /metrics). */
		stats
	};
}

export type LogWriter = ReturnType<typeof createLogWriter>;

/**
 * One statement for any number of rows, its text always the same: postgres.js prepares it once
 * per connection. A multi-row `insert … values` built by drizzle was a new statement for every
 * batch size (parse, then a round trip to describe it, then bind), and building 500 rows' worth
 * of SQL took 13% of the server's CPU in the fan-out bench. Updates travel as base64 text
 * because postgres.js serialises text arrays but not bytea arrays; rows keep their queue order
 * (ordinality), so a batch's seqs ascend in the order entries were appended.
 */
function insertBatch(db: Tx, batch: readonly LogEntry[]) {
	const docNames = batch.map((e) => e.docName);
	const updates = batch.map((e) =>
		Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength).toString('base64')
	);
	const userIds = batch.map((e) => e.userId ?? '');
	return db.execute(sql`
		insert into ${collabUpdates} (doc_name, update, user_id)
		select d, decode(u, 'base64'), nullif(w, '')::uuid
		from unnest(${sql.param(docNames)}::text[], ${sql.param(updates)}::text[], ${sql.param(userIds)}::text[])
			with ordinality as t(d, u, w, i)
		order by i`);
}

/** Appends one update to a document's log; resolves once committed. */
export async function append(
	db: Tx,
	{ docName, update, userId }: { docName: string; update: Uint8Array; userId: string | null }
) {
	const [row] = await db
		.insert(collabUpdates)
		.values({ docName, update, userId })
		.returning({ seq: collabUpdates.seq });
	return row!.seq;
}

/**
 * Applies a document's stored state (snapshot, then its log in order) to `doc`. Throws
 * CorruptDocumentError when a stored update does not apply, and lets database errors through:
 * a caller must never go on with a partial or empty document.
 */
export async function loadInto(
	db: Tx,
	{ docName, doc, origin }: { docName: string; doc: Y.Doc; origin?: unknown }
) {
	// The log first, then the snapshot: a compaction that commits between the two reads moved
	// rows already read into the snapshot read after (applied twice, which Yjs ignores). The other
	// order would miss them: read the old snapshot, then find the rows deleted. Found by the board
	// durability harness (empty documents served in about 1 load in 16 under compaction).
	const rows = await db
		.select({ update: collabUpdates.update })
		.from(collabUpdates)
		.where(eq(collabUpdates.docName, docName))
		.orderBy(asc(collabUpdates.seq));
	const [snapshot] = await db
		.select({ state: collabDocuments.state })
		.from(collabDocuments)
		.where(eq(collabDocuments.name, docName));
	applyAll(
		doc,
		docName,
		[...(snapshot ? [snapshot.state] : []), ...rows.map((r) => r.update)],
		origin
	);
	return { logLength: rows.length };
}

/** The stored states of several documents, each encoded as one update (absent: never written). */
export async function readStates(db: Tx, { docNames }: { docNames: string[] }) {
	if (docNames.length === 0) return new Map<string, Uint8Array>();
	// Log before snapshot, for the reason given in loadInto.
	const rows = await db
		.select({ docName: collabUpdates.docName, update: collabUpdates.update })
		.from(collabUpdates)
		.where(inArray(collabUpdates.docName, docNames))
		.orderBy(asc(collabUpdates.seq));
	const snapshots = await db
		.select({ name: collabDocuments.name, state: collabDocuments.state })
		.from(collabDocuments)
		.where(inArray(collabDocuments.name, docNames));
	const parts = new Map<string, Uint8Array[]>();
	for (const s of snapshots) parts.set(s.name, [s.state]);
	for (const r of rows) {
		const list = parts.get(r.docName) ?? [];
		list.push(r.update);
		parts.set(r.docName, list);
	}
	const states = new Map<string, Uint8Array>();
	for (const [name, updates] of parts) {
		const doc = new Y.Doc();
		applyAll(doc, name, updates);
		states.set(name, Y.encodeStateAsUpdate(doc));
		doc.destroy();
	}
	return states;
}

/**
 * Merges up to `limit` logged updates into the document's snapshot and deletes them, in one
 * transaction under the snapshot's row lock, so concurrent or repeated runs serialise and the
 * snapshot only ever gains what it did not have. Safe to run any number of times.
 */
export async function compact(
	db: Db,
	{ docName, limit = 2000 }: { docName: string; limit?: number }
) {
	return db.transaction(async (tx) => {
		// Make sure there is a row to lock, so two first compactions cannot both insert.
		await tx
			.insert(collabDocuments)
			.values({ name: docName, state: Y.encodeStateAsUpdate(new Y.Doc()) })
			.onConflictDoNothing();
		const [snapshot] = await tx
			.select({ state: collabDocuments.state, throughSeq: collabDocuments.throughSeq })
			.from(collabDocuments)
			.where(eq(collabDocuments.name, docName))
			.for('update');
		const rows = await tx
			.select({ seq: collabUpdates.seq, update: collabUpdates.update })
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, docName))
			.orderBy(asc(collabUpdates.seq))
			.limit(limit);
		if (rows.length === 0) return { merged: 0, throughSeq: snapshot!.throughSeq };

		const doc = new Y.Doc();
		applyAll(doc, docName, [snapshot!.state, ...rows.map((r) => r.update)]);
		const state = Y.encodeStateAsUpdate(doc);
		doc.destroy();
		assertForward(docName, snapshot!.state, state);
		const throughSeq = Math.max(snapshot!.throughSeq, rows.at(-1)!.seq);
		await tx
			.update(collabDocuments)
			.set({ state, throughSeq, updatedAt: sql`now()` })
			.where(eq(collabDocuments.name, docName));
		// Exactly the rows merged: one committed meanwhile (even with a lower seq) stays logged.
		await tx.delete(collabUpdates).where(
			and(
				eq(collabUpdates.docName, docName),
				inArray(
					collabUpdates.seq,
					rows.map((r) => r.seq)
				)
			)
		);
		return { merged: rows.length, throughSeq };
	});
}

function applyAll(doc: Y.Doc, docName: string, updates: Uint8Array[], origin?: unknown) {
	try {
		// Decode first: Yjs may integrate part of a malformed update before it throws.
		for (const u of updates) assertDecodable(u);
		doc.transact(() => {
			for (const u of updates) Y.applyUpdate(doc, u);
		}, origin);
	} catch (cause) {
		throw new CorruptDocumentError(docName, { cause });
	}
}

// A new snapshot must know at least every operation the previous one knew.
function assertForward(docName: string, before: Uint8Array, after: Uint8Array) {
	const had = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(before));
	const has = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(after));
	for (const [client, clock] of had) {
		if ((has.get(client) ?? 0) < clock) {
			throw new Error(`compaction of ${docName} would move its snapshot backwards`);
		}
	}
}
