import { asc, eq, like } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { testDb } from '../../../../tests/support/db';
import { collabUpdates } from '../db/schema';
import { append, compact, createLogWriter, loadInto } from './log';

// The update log's group commit: what is queued while an insert runs goes out as one insert,
// every entry resolves only once its row is committed, and a failed insert fails its entries.

const { db } = await testDb();

function edits(n: number) {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (let i = 0; i < n; i++) doc.getArray<number>('n').push([i]);
	return updates;
}

it('writes concurrent appends in fewer inserts than rows, each committed before it resolves', async () => {
	const writer = createLogWriter(db, { maxInflight: 1 });
	const prefix = `test:${uuidv7()}`;
	const docs = Array.from({ length: 20 }, (_, i) => `${prefix}:${i}`);
	const updates = edits(10);
	const committedAtResolve: number[] = [];
	await Promise.all(
		docs.flatMap((docName) =>
			updates.map(async (update) => {
				await writer.append({ docName, update, userId: null });
				// Read on another connection of the pool: visible means committed.
				const rows = await db
					.select({ seq: collabUpdates.seq })
					.from(collabUpdates)
					.where(eq(collabUpdates.docName, docName));
				committedAtResolve.push(rows.length);
			})
		)
	);
	expect(committedAtResolve.every((n) => n >= 1)).toBe(true);
	expect(writer.stats.rows).toBe(200);
	// The first append goes out alone; the 199 queued behind it share the next inserts.
	expect(writer.stats.batches).toBeLessThan(10);

	// Each document loads back whole, its updates in the order they were queued.
	for (const docName of docs) {
		const doc = new Y.Doc();
		await loadInto(db, { docName, doc });
		expect(doc.getArray('n').toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	}
	const seqs = await db
		.select({ seq: collabUpdates.seq, docName: collabUpdates.docName })
		.from(collabUpdates)
		.where(like(collabUpdates.docName, `${prefix}:%`))
		.orderBy(asc(collabUpdates.seq));
	expect(seqs).toHaveLength(200);
});

it('sends a lone append at once and splits a batch at its row limit', async () => {
	const writer = createLogWriter(db, { maxRows: 4, maxInflight: 1 });
	const docName = `test:${uuidv7()}`;
	const [update] = edits(1);
	await writer.append({ docName, update: update!, userId: null });
	expect(writer.stats).toEqual({ batches: 1, rows: 1 });
	await Promise.all(
		Array.from({ length: 9 }, () => writer.append({ docName, update: update!, userId: null }))
	);
	// One alone (the pump sends the first at once), then 8 queued behind it in batches of 4.
	expect(writer.stats).toEqual({ batches: 4, rows: 10 });
});

it('rejects every entry of a failed insert and stores none of them', async () => {
	const writer = createLogWriter(db, { maxInflight: 1 });
	const docName = `test:${uuidv7()}`;
	const [update] = edits(1);
	const first = writer.append({ docName, update: update!, userId: null });
	// Queued behind the first: one batch, failed as a whole by the malformed user id.
	const good = writer.append({ docName, update: update!, userId: null });
	const bad = writer.append({ docName, update: update!, userId: 'not-a-uuid' });
	await first;
	await expect(good).rejects.toThrow();
	await expect(bad).rejects.toThrow();
	const rows = await db.select().from(collabUpdates).where(eq(collabUpdates.docName, docName));
	expect(rows).toHaveLength(1);
	// The writer goes on after a failure.
	await writer.append({ docName, update: update!, userId: null });
	await writer.drain();
	expect(writer.stats.rows).toBe(2);
});

it('stores each update byte for byte with its user, seqs ascending in the order appended', async () => {
	const writer = createLogWriter(db, { maxInflight: 1 });
	const docName = `test:${uuidv7()}`;
	const userId = uuidv7();
	// Sizes from empty-ish to large, and bytes base64 pads differently (lengths mod 3).
	const updates = [...edits(30), new Uint8Array(70_000).fill(255)];
	await Promise.all(
		updates.map((update, i) => writer.append({ docName, update, userId: i % 2 ? userId : null }))
	);
	const rows = await db
		.select({ update: collabUpdates.update, userId: collabUpdates.userId })
		.from(collabUpdates)
		.where(eq(collabUpdates.docName, docName))
		.orderBy(asc(collabUpdates.seq));
	expect(writer.stats.batches).toBeLessThan(updates.length);
	expect(rows.map((r) => Buffer.from(r.update).toString('hex'))).toEqual(
		updates.map((u) => Buffer.from(u).toString('hex'))
	);
	expect(rows.map((r) => r.userId)).toEqual(updates.map((_, i) => (i % 2 ? userId : null)));
});

// A connection's updates are queued at once and several inserts run together, so one client's
// later update can get a lower seq than its earlier one. Compaction takes rows by seq and may
// merge the later without the earlier: Yjs keeps it pending in the snapshot, and the load that
// also applies the earlier row makes the document whole.
it('compacts a later update whose earlier one is still logged, and loads both back', async () => {
	const docName = `test:${uuidv7()}`;
	const [first, second] = edits(2);
	await append(db, { docName, update: second!, userId: null });
	await append(db, { docName, update: first!, userId: null });
	expect(await compact(db, { docName, limit: 1 })).toMatchObject({ merged: 1 });
	const doc = new Y.Doc();
	await loadInto(db, { docName, doc });
	expect(doc.getArray('n').toArray()).toEqual([0, 1]);
	// And once both are in the snapshot.
	expect(await compact(db, { docName })).toMatchObject({ merged: 1 });
	const again = new Y.Doc();
	await loadInto(db, { docName, doc: again });
	expect(again.getArray('n').toArray()).toEqual([0, 1]);
});
