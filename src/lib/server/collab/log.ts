import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db, Tx } from '../db';
import { collabDocuments, collabGenerations, collabUpdates } from '../db/schema';
import { applyChanges, freshCopy, isRewritable, rebase, type Change } from './generations';

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
	return Y.decodeUpdate(update);
}

export type LogEntry = {
	docName: string;
	update: Uint8Array;
	userId: string | null;
	/** The document generation the update was made against (generations.ts); 0 if unset. */
	generation?: number;
};

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
	const generations = batch.map((e) => e.generation ?? 0);
	return db.execute(sql`
		insert into ${collabUpdates} (doc_name, update, user_id, generation)
		select d, decode(u, 'base64'), nullif(w, '')::uuid, g
		from unnest(${sql.param(docNames)}::text[], ${sql.param(updates)}::text[], ${sql.param(userIds)}::text[], ${sql.param(generations)}::int[])
			with ordinality as t(d, u, w, g, i)
		order by i`);
}

/**
 * Appends one update to a document's log, made against its current generation unless told;
 * resolves once committed.
 */
export async function append(
	db: Tx,
	{
		docName,
		update,
		userId,
		generation
	}: { docName: string; update: Uint8Array; userId: string | null; generation?: number }
) {
	const [row] = await db
		.insert(collabUpdates)
		.values({
			docName,
			update,
			userId,
			generation:
				generation ??
				sql`coalesce((select ${collabDocuments.generation} from ${collabDocuments} where ${collabDocuments.name} = ${docName}), 0)`
		})
		.returning({ seq: collabUpdates.seq });
	return row!.seq;
}

/**
 * Applies a document's stored state (snapshot, then its log in order) to `doc`. Throws
 * CorruptDocumentError when a stored update does not apply, and lets database errors through:
 * a caller must never go on with a partial or empty document. Log rows made against an older
 * generation (an instance that lost its lock, generations.ts) are rebased first, by a compaction.
 * Returns the generation loaded and its founder.
 */
export async function loadInto(
	db: Db,
	{ docName, doc, origin }: { docName: string; doc: Y.Doc; origin?: unknown }
) {
	for (let attempt = 0; ; attempt++) {
		// The log first, then the snapshot: a compaction that commits between the two reads moved
		// rows already read into the snapshot read after (applied twice, which Yjs ignores). The
		// other order would miss them: read the old snapshot, then find the rows deleted. Found by
		// the board durability harness (empty documents served in about 1 load in 16 under
		// compaction). A rewrite between the two reads shows as rows of an older generation than
		// the snapshot's, and is read again.
		const rows = await db
			.select({ update: collabUpdates.update, generation: collabUpdates.generation })
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, docName))
			.orderBy(asc(collabUpdates.seq));
		const [snapshot] = await db
			.select({
				state: collabDocuments.state,
				generation: collabDocuments.generation,
				founder: collabDocuments.founder
			})
			.from(collabDocuments)
			.where(eq(collabDocuments.name, docName));
		const generation = snapshot?.generation ?? 0;
		if (rows.some((r) => r.generation !== generation) && attempt < 3) {
			await compact(db, { docName, limit: Number.MAX_SAFE_INTEGER });
			continue;
		}
		applyAll(
			doc,
			docName,
			[
				...(snapshot ? [snapshot.state] : []),
				...rows.filter((r) => r.generation === generation).map((r) => r.update)
			],
			origin
		);
		return { logLength: rows.length, generation, founder: snapshot?.founder ?? null };
	}
}

/** The stored states of several documents, each encoded as one update (absent: never written). */
export async function readStates(db: Tx, { docNames }: { docNames: string[] }) {
	if (docNames.length === 0) return new Map<string, Uint8Array>();
	// Log before snapshot, for the reason given in loadInto. A row made against an older
	// generation than the snapshot's is left out (its next compaction rebases it): these are
	// reads, and an older generation's update would corrupt the newer copy.
	const rows = await db
		.select({
			docName: collabUpdates.docName,
			update: collabUpdates.update,
			generation: collabUpdates.generation
		})
		.from(collabUpdates)
		.where(inArray(collabUpdates.docName, docNames))
		.orderBy(asc(collabUpdates.seq));
	const snapshots = await db
		.select({
			name: collabDocuments.name,
			state: collabDocuments.state,
			generation: collabDocuments.generation
		})
		.from(collabDocuments)
		.where(inArray(collabDocuments.name, docNames));
	const parts = new Map<string, Uint8Array[]>();
	const generationOf = new Map<string, number>();
	for (const s of snapshots) {
		parts.set(s.name, [s.state]);
		generationOf.set(s.name, s.generation);
	}
	for (const r of rows) {
		if (r.generation !== (generationOf.get(r.docName) ?? 0)) continue;
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

/** When a compaction rewrites a board shard without its history (generations.ts). */
export const REWRITE = {
	/** Never for a document smaller than this: a rewrite costs every cached copy a rebase. */
	minBytes: 64 * 1024,
	/** Only when the stored state is more than this many times the size of a fresh copy. */
	factor: 1.5
};

/**
 * The advisory lock every collab instance holds (shared) on each document it has loaded, and a
 * rewrite takes (exclusively, without waiting): a document is rewritten only while no instance
 * holds it in memory. Two ints, the first fixed, so it shares no key with other advisory locks.
 */
export const DOC_LOCK_CLASS = 0x43686f74; // "Chot"

/**
 * Merges up to `limit` logged updates into the document's snapshot and deletes them, in one
 * transaction under the snapshot's row lock, so concurrent or repeated runs serialise and the
 * snapshot only ever gains what it did not have. Safe to run any number of times.
 * Rows made against an older generation are rebased onto this one (generations.ts). A board
 * shard grown past `rewrite` is then rewritten as the next generation, if no instance has it
 * loaded (`DOC_LOCK_CLASS`).
 */
export async function compact(
	db: Db,
	{
		docName,
		limit = 2000,
		rewrite = REWRITE
	}: { docName: string; limit?: number; rewrite?: typeof REWRITE | false }
) {
	return db.transaction(async (tx) => {
		// Make sure there is a row to lock, so two first compactions cannot both insert.
		await tx
			.insert(collabDocuments)
			.values({ name: docName, state: Y.encodeStateAsUpdate(new Y.Doc()) })
			.onConflictDoNothing();
		const [snapshot] = await tx
			.select({
				state: collabDocuments.state,
				throughSeq: collabDocuments.throughSeq,
				generation: collabDocuments.generation,
				founder: collabDocuments.founder
			})
			.from(collabDocuments)
			.where(eq(collabDocuments.name, docName))
			.for('update');
		const rows = await tx
			.select({
				seq: collabUpdates.seq,
				update: collabUpdates.update,
				generation: collabUpdates.generation
			})
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, docName))
			.orderBy(asc(collabUpdates.seq))
			.limit(limit);
		const { generation } = snapshot!;
		const result = { merged: rows.length, throughSeq: snapshot!.throughSeq, generation };
		const rewritable = rewrite && isRewritable(docName) ? rewrite : null;
		// With nothing to merge, only a rewrite could change anything (the log may have been
		// merged while the document was still loaded, before the request made at its unload).
		if (rows.length === 0 && !(rewritable && snapshot!.state.length >= rewritable.minBytes))
			return result;
		if (rows.some((r) => r.generation > generation)) {
			throw new CorruptDocumentError(docName, {
				cause: new Error(`a log row is newer than generation ${generation}`)
			});
		}

		const doc = new Y.Doc();
		try {
			applyAll(doc, docName, [
				snapshot!.state,
				...rows.filter((r) => r.generation === generation).map((r) => r.update)
			]);
			await rebaseLateRows(tx, {
				docName,
				doc,
				rows: rows.filter((r) => r.generation < generation)
			});
			let state = Y.encodeStateAsUpdate(doc);
			assertForward(docName, snapshot!.state, state);
			result.throughSeq = Math.max(snapshot!.throughSeq, rows.at(-1)?.seq ?? 0);
			let next: { generation: number; founder: number } | null = null;
			// Only once the whole log is merged (rows left behind would have to be rebased), and
			// only while no instance holds the document: asked first, because the copy costs a pass
			// over every card and, during a working day, a grown shard is usually held.
			if (
				rewritable &&
				rows.length < limit &&
				state.length >= rewritable.minBytes &&
				(await unheld(tx, docName))
			) {
				const fresh = freshCopy(doc);
				const copy = fresh && Y.encodeStateAsUpdate(fresh.copy);
				fresh?.copy.destroy();
				if (fresh && copy!.length * rewritable.factor < state.length) {
					// The generation left behind, as it finally stands, for its stale replicas.
					await tx.insert(collabGenerations).values({
						docName,
						generation,
						founder: snapshot!.founder,
						state
					});
					next = { generation: generation + 1, founder: fresh.founder };
					state = copy!;
				}
			}
			if (rows.length === 0 && !next) return result;
			await tx
				.update(collabDocuments)
				.set({ state, throughSeq: result.throughSeq, updatedAt: sql`now()`, ...next })
				.where(eq(collabDocuments.name, docName));
			if (next) result.generation = next.generation;
		} finally {
			doc.destroy();
		}
		// Exactly the rows merged: one committed meanwhile (even with a lower seq) stays logged.
		if (rows.length === 0) return result;
		await tx.delete(collabUpdates).where(
			and(
				eq(collabUpdates.docName, docName),
				inArray(
					collabUpdates.seq,
					rows.map((r) => r.seq)
				)
			)
		);
		return result;
	});
}

// True when no instance holds the document loaded; then none can load it until this
// transaction ends (the lock is the transaction's).
async function unheld(tx: Tx, docName: string) {
	const [row] = await tx.execute<{ got: boolean }>(
		sql`select pg_try_advisory_xact_lock(${DOC_LOCK_CLASS}::int, hashtext(${docName})) as got`
	);
	return row?.got === true;
}

// Log rows made against an older generation (written by an instance that held the document
// without its lock, or a client's update queued across a rewrite): merged into their
// generation's final state, and what they changed there written into `doc`.
async function rebaseLateRows(
	tx: Tx,
	{
		docName,
		doc,
		rows
	}: { docName: string; doc: Y.Doc; rows: { update: Uint8Array; generation: number }[] }
) {
	if (rows.length === 0) return;
	// A rebase request holds the archive row while its change is written, which may load this
	// document; should that load land here, waiting for ever would hold both. Failing instead
	// fails the load and the request, which let go and are tried again.
	await tx.execute(sql`set local lock_timeout = '10s'`);
	const generations = [...new Set(rows.map((r) => r.generation))];
	for (const generation of generations) {
		const updates = rows.filter((r) => r.generation === generation).map((r) => r.update);
		const { changes } = await mergeIntoArchive(tx, {
			docName,
			generation,
			incoming: Y.mergeUpdates(updates)
		});
		doc.transact(() => applyChanges(doc, changes));
	}
}

/**
 * Merges `incoming` (a state of generation `generation`) into that generation's archived final
 * state and stores the result; returns what the merge changed, for the caller to write into the
 * current generation before its transaction commits. The archive row stays locked until then,
 * so rebases of one generation run one at a time.
 */
export async function mergeIntoArchive(
	tx: Tx,
	{ docName, generation, incoming }: { docName: string; generation: number; incoming: Uint8Array }
): Promise<{ changes: Change[] }> {
	const where = and(
		eq(collabGenerations.docName, docName),
		eq(collabGenerations.generation, generation)
	);
	const [archive] = await tx
		.select({ state: collabGenerations.state })
		.from(collabGenerations)
		.where(where)
		.for('update');
	if (!archive) {
		throw new CorruptDocumentError(docName, {
			cause: new Error(`generation ${generation} is not archived`)
		});
	}
	const { changes, archived } = rebase({ archived: archive.state, incoming });
	await tx
		.update(collabGenerations)
		.set({ state: archived, updatedAt: sql`now()` })
		.where(where);
	return { changes };
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
