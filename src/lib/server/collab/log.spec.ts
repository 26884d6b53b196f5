import { asc, eq, like } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { testDb } from '../../../../tests/support/db';
import { collabUpdates } from '../db/schema';
import { createLogWriter, loadInto } from './log';

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
