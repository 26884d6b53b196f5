import { count, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as session from '../../../src/lib/server/auth/session';
import { compact, loadInto } from '../../../src/lib/server/collab/log';
import { collabDocuments, collabUpdates } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

// "Saved means saved" (design.md), checked against PostgreSQL directly, never through the server.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const cookie = `__Host-chot_session=${(await session.create(app.db, { userId: owner.id })).token}`;
async function newDocName() {
	const org = await createOrg(app.db, { ownerId: owner.id });
	return { org, docName: `org:${org.id}` };
}

/** A fresh load of what PostgreSQL holds for the document: snapshot plus log. */
async function stored(docName: string) {
	const doc = new Y.Doc();
	await loadInto(app.db, { docName, doc });
	return doc;
}

function ackedOnce(p: ReturnType<typeof connect>['provider']) {
	return new Promise<void>((resolve) => {
		const onChange = ({ number }: { number: number }) => {
			if (number !== 0) return;
			p.off('unsyncedChanges', onChange);
			resolve();
		};
		p.on('unsyncedChanges', onChange);
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the update log', () => {
	it('holds every update in PostgreSQL by the time the client sees it acknowledged', async () => {
		const { docName } = await newDocName();
		const c = connect({ origin: app.origin, documentName: docName, cookie });
		await c.synced;
		const notes = c.doc.getArray<string>('notes');
		for (let i = 0; i < 20; i++) {
			const acked = ackedOnce(c.provider);
			notes.push([`ghi chú ${i} — <b>'; drop table x;--</b> 🎉`]);
			await acked;
			// At once, without waiting for any debounced store.
			const inDb = await stored(docName);
			expect(inDb.getArray<string>('notes').toArray()).toEqual(notes.toArray());
		}
		const [row] = await app.db
			.select({ userId: collabUpdates.userId })
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, docName))
			.limit(1);
		expect(row?.userId).toBe(owner.id);
		c.destroy();
	});

	it('never logs what a read-only connection sends', async () => {
		const { org, docName } = await newDocName();
		const accountant = await createUser(app.db, { name: 'Kế Toán' });
		await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
		const { token } = await session.create(app.db, { userId: accountant.id });
		const c = connect({
			origin: app.origin,
			documentName: docName,
			cookie: `__Host-chot_session=${token}`
		});
		await c.synced;
		c.doc.getMap('settings').set('hacked', true);
		await sleep(500);
		const [{ n }] = (await app.db
			.select({ n: count() })
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, docName))) as [{ n: number }];
		expect(n).toBe(0);
		expect((await stored(docName)).getMap('settings').get('hacked')).toBeUndefined();
		c.destroy();
	});

	it('refuses a document whose stored log is corrupt and keeps serving the others', async () => {
		const bad = await newDocName();
		const good = await newDocName();
		// A valid update first, so an empty document would be a visible loss.
		const before = new Y.Doc();
		before.getMap('settings').set('name', 'Sao Việt');
		await app.db.insert(collabUpdates).values([
			{ docName: bad.docName, update: Y.encodeStateAsUpdate(before) },
			{ docName: bad.docName, update: new TextEncoder().encode('not a yjs update at all') }
		]);

		for (let attempt = 0; attempt < 2; attempt++) {
			const c = connect({ origin: app.origin, documentName: bad.docName, cookie });
			await expect(c.synced).rejects.toThrow(/authentication failed/);
			// The client got no document: nothing synced into it.
			expect(c.doc.getMap('settings').size).toBe(0);
			c.destroy();
		}

		const ok = connect({ origin: app.origin, documentName: good.docName, cookie });
		await ok.synced;
		const acked = ackedOnce(ok.provider);
		ok.doc.getMap('settings').set('still', 'serving');
		await acked;
		expect((await stored(good.docName)).getMap('settings').get('still')).toBe('serving');
		ok.destroy();

		// The bad document's log was left as it was, and nothing was stored in its place.
		const rows = await app.db
			.select({ seq: collabUpdates.seq })
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, bad.docName));
		expect(rows).toHaveLength(2);
		expect(
			await app.db.select().from(collabDocuments).where(eq(collabDocuments.name, bad.docName))
		).toEqual([]);
	});
});

describe('compaction', () => {
	it('folds a long log into the snapshot in the worker, losing nothing', async () => {
		const { docName } = await newDocName();
		const c = connect({ origin: app.origin, documentName: docName, cookie });
		await c.synced;
		const deals = c.doc.getMap<number>('deals');
		// More single updates than the compaction threshold (500), so the server enqueues the job.
		for (let i = 0; i < 600; i++) deals.set(`d${i % 50}`, i);
		await expect.poll(() => c.provider.unsyncedChanges, { timeout: 15_000 }).toBe(0);

		await expect
			.poll(
				async () => {
					const [row] = await app.db
						.select({ throughSeq: collabDocuments.throughSeq })
						.from(collabDocuments)
						.where(eq(collabDocuments.name, docName));
					return row?.throughSeq ?? 0;
				},
				{ timeout: 20_000, interval: 250 }
			)
			.toBeGreaterThan(0);
		const [{ n }] = (await app.db
			.select({ n: count() })
			.from(collabUpdates)
			.where(eq(collabUpdates.docName, docName))) as [{ n: number }];
		expect(n).toBeLessThan(600);
		const inDb = await stored(docName);
		expect(inDb.getMap('deals').toJSON()).toEqual(deals.toJSON());
		expect(Y.encodeStateVector(inDb)).toEqual(Y.encodeStateVector(c.doc));
		c.destroy();
	});

	it('keeps snapshot plus log equal to the state before, and a second run changes nothing', async () => {
		const { docName } = await newDocName();
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (u: Uint8Array) => updates.push(u));
		const list = source.getArray<string>('list');
		for (let i = 0; i < 40; i++) list.insert(Math.floor(i / 2), [`mục ${i}`]);
		list.delete(3, 5);
		await app.db
			.insert(collabUpdates)
			.values(updates.slice(0, 30).map((update) => ({ docName, update })));
		const first = await compact(app.db, { docName });
		expect(first.merged).toBe(30);
		// Appended after the first compaction: the snapshot plus the rest is still the whole.
		await app.db
			.insert(collabUpdates)
			.values(updates.slice(30).map((update) => ({ docName, update })));
		const snapshotAfterFirst = await snapshotOf(docName);

		// Two at once serialise on the snapshot's row lock; then once more.
		const results = await Promise.all([compact(app.db, { docName }), compact(app.db, { docName })]);
		expect(results.map((r) => r.merged).sort()).toEqual([0, updates.length - 30]);
		const afterSecond = await snapshotOf(docName);
		const again = await compact(app.db, { docName });
		expect(again.merged).toBe(0);
		expect(await snapshotOf(docName)).toEqual(afterSecond);

		// Moved forward only: the new snapshot knows everything the previous one knew.
		expect(covers(afterSecond!.state, snapshotAfterFirst!.state)).toBe(true);
		expect(afterSecond!.throughSeq).toBeGreaterThan(snapshotAfterFirst!.throughSeq);
		const inDb = await stored(docName);
		expect(inDb.getArray('list').toArray()).toEqual(list.toArray());
		expect(Y.encodeStateVector(inDb)).toEqual(Y.encodeStateVector(source));
	});
});

async function snapshotOf(docName: string) {
	const [row] = await app.db
		.select({ state: collabDocuments.state, throughSeq: collabDocuments.throughSeq })
		.from(collabDocuments)
		.where(eq(collabDocuments.name, docName));
	return row;
}

/** Whether the state `a` contains every operation of `b` (state vector and deletions). */
function covers(a: Uint8Array, b: Uint8Array) {
	const doc = new Y.Doc({ gc: false });
	Y.applyUpdate(doc, a);
	return Y.snapshotContainsUpdate(Y.snapshot(doc), b);
}

describe('SIGKILL', () => {
	it('loses no acknowledged edit when the server is killed mid-stream, and replicas converge', async () => {
		const docs = [(await newDocName()).docName, (await newDocName()).docName];
		const clients = Array.from({ length: 8 }, (_, i) => {
			const docName = docs[i % 2]!;
			const c = connect({ origin: app.origin, documentName: docName, cookie, reconnect: true });
			// Per edit: the id it wrote, whether it went into the array, and the client's clock after it.
			const edits: { id: string; inArray: boolean; clock: number }[] = [];
			const client = { c, docName, edits, acked: 0 };
			// The provider counts unacknowledged updates; at 0 the server has acknowledged them all
			// (clients edit only while synced, so the count is never reset under queued edits).
			c.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
				if (number === 0) client.acked = edits.length;
			});
			return client;
		});
		await Promise.all(clients.map((s) => s.c.synced));

		let running = true;
		const random = mulberry32(20261129);
		const loops = clients.map(async (s, i) => {
			while (running) {
				await sleep(5 + Math.floor(random() * 30));
				const p = s.c.provider;
				// Like a browser that shows "offline", edit only while connected and synced.
				if (!p.isSynced || !p.isAuthenticated) continue;
				const id = `c${i}:${s.edits.length}`;
				const items = s.c.doc.getArray<string>('items');
				const inArray = random() < 0.7;
				if (inArray) items.insert(Math.floor(random() * (items.length + 1)), [id]);
				else s.c.doc.getMap<string>('latest').set(`k${Math.floor(random() * 5)}`, id);
				s.edits.push({ id, inArray, clock: Y.getState(s.c.doc.store, s.c.doc.clientID) });
			}
		});

		for (let kill = 0; kill < 3; kill++) {
			await sleep(800 + Math.floor(random() * 1200));
			const acked = clients.map((s) => ({ s, edits: s.edits.slice(0, s.acked) }));
			await app.kill('SIGKILL');
			// Check PostgreSQL while the server is down, before any client can resend what it holds.
			for (const docName of docs) {
				const inDb = await stored(docName);
				const items = new Set(inDb.getArray<string>('items').toArray());
				for (const { s, edits } of acked.filter((a) => a.s.docName === docName)) {
					if (edits.length === 0) continue;
					// Map edits can be overwritten since; the client's clock proves they were stored.
					expect(Y.getState(inDb.store, s.c.doc.clientID)).toBeGreaterThanOrEqual(
						edits.at(-1)!.clock
					);
					const lost = edits.filter((e) => e.inArray && !items.has(e.id)).map((e) => e.id);
					expect(lost).toEqual([]);
				}
			}
			await app.restart();
		}
		await sleep(1000);
		running = false;
		await Promise.all(loops);

		// Every client reconnects, resends what was never acknowledged, and settles.
		await expect
			.poll(
				() => clients.every((s) => s.c.provider.isSynced && s.c.provider.unsyncedChanges === 0),
				{ timeout: 30_000, interval: 200 }
			)
			.toBe(true);
		for (const docName of docs) {
			const inDb = await stored(docName);
			const items = new Set(inDb.getArray<string>('items').toArray());
			for (const s of clients.filter((s) => s.docName === docName)) {
				expect(s.acked).toBe(s.edits.length);
				expect(s.edits.filter((e) => e.inArray && !items.has(e.id))).toEqual([]);
				// Replicas and a fresh load from PostgreSQL are identical.
				await expect.poll(() => Y.encodeStateVector(s.c.doc)).toEqual(Y.encodeStateVector(inDb));
				expect(s.c.doc.getArray('items').toJSON()).toEqual(inDb.getArray('items').toJSON());
				expect(s.c.doc.getMap('latest').toJSON()).toEqual(inDb.getMap('latest').toJSON());
			}
			const fresh = connect({ origin: app.origin, documentName: docName, cookie });
			await fresh.synced;
			expect(fresh.doc.getArray('items').toJSON()).toEqual(inDb.getArray('items').toJSON());
			expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(inDb));
			fresh.destroy();
		}
		expect(clients.reduce((n, s) => n + s.edits.length, 0)).toBeGreaterThan(300);
		for (const s of clients) s.c.destroy();
	}, 180_000);
});

function mulberry32(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
