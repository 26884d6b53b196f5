import { Hocuspocus } from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadInto } from '$lib/server/collab/log';
import { createDb } from '$lib/server/db';
import { collabUpdates } from '$lib/server/db/schema';
import { createLogger } from '$lib/server/log';
import { testDb } from '../../tests/support/db';
import { persistenceExtension } from './persistence.extension';

// Updates made by the server itself (direct connections) have no client message to hold the
// ack for; they are logged from the document's update event and `transact` waits for them.

const { db, url } = await testDb();
const requested: string[] = [];
const persistence = persistenceExtension({
	db,
	log: createLogger({ level: 'silent' }),
	compactAfter: 3,
	requestCompaction: async (docName) => requested.push(docName)
});
const hocuspocus = new Hocuspocus({ name: 'test', quiet: true, extensions: [persistence] });
afterAll(() => hocuspocus.closeConnections());

async function logged(docName: string) {
	return db
		.select({ update: collabUpdates.update, userId: collabUpdates.userId })
		.from(collabUpdates)
		.where(eq(collabUpdates.docName, docName));
}

it('logs a direct connection’s change once, before its transact resolves', async () => {
	const docName = `org:${uuidv7()}`;
	const direct = await hocuspocus.openDirectConnection(docName);
	await direct.transact((doc) => doc.getMap('settings').set('name', 'Sao Việt'));
	const rows = await logged(docName);
	expect(rows).toHaveLength(1);
	expect(rows[0]!.userId).toBeNull();
	const fresh = new Y.Doc();
	await loadInto(db, { docName, doc: fresh });
	expect(fresh.getMap('settings').get('name')).toBe('Sao Việt');
	await direct.disconnect();
});

it('loads the stored state without logging it again, and asks for compaction as the log grows', async () => {
	const docName = `org:${uuidv7()}`;
	const first = await hocuspocus.openDirectConnection(docName);
	for (let i = 0; i < 3; i++) await first.transact((doc) => doc.getArray('n').push([i]));
	expect(requested).toContain(docName);
	await first.disconnect();
	await expect.poll(() => hocuspocus.documents.has(docName)).toBe(false);

	const again = await hocuspocus.openDirectConnection(docName);
	await again.transact((doc) => expect(doc.getArray('n').toArray()).toEqual([0, 1, 2]));
	expect(await logged(docName)).toHaveLength(3);
	await again.disconnect();
});

it('refuses to open a document whose stored log is corrupt', async () => {
	const docName = `org:${uuidv7()}`;
	await db.insert(collabUpdates).values({ docName, update: new Uint8Array([1, 2, 3]) });
	await expect(hocuspocus.openDirectConnection(docName)).rejects.toThrow(/corrupt/);
	expect(hocuspocus.documents.has(docName)).toBe(false);
});

it('logs through its own connections, so a change is stored while the app’s pool is busy', async () => {
	const app = createDb({ url, max: 2 });
	const logPool = createDb({ url, max: 2, name: 'chot-collab-log' });
	const own = persistenceExtension({
		db: app.db,
		logDb: logPool.db,
		log: createLogger({ level: 'silent' }),
		requestCompaction: async () => {}
	});
	const server = new Hocuspocus({ name: 'test-log-pool', quiet: true, extensions: [own] });
	const docName = `org:${uuidv7()}`;
	const direct = await server.openDirectConnection(docName);
	try {
		// Every connection of the app's pool taken by slow work (page loads, projection flushes).
		const busy = [
			app.client`select pg_sleep(3)`.execute(),
			app.client`select pg_sleep(3)`.execute()
		];
		await expect
			.poll(
				async () =>
					(
						await db.$client<{ n: number }[]>`
							select count(*)::int as n from pg_stat_activity
							where query = 'select pg_sleep(3)' and state = 'active'`
					)[0]!.n
			)
			.toBe(2);
		const started = performance.now();
		await direct.transact((doc) => doc.getMap('settings').set('name', 'Kịp lưu'));
		expect(performance.now() - started).toBeLessThan(1500);
		expect(await logged(docName)).toHaveLength(1);
		await Promise.all(busy);
	} finally {
		await direct.disconnect();
		await own.close();
		await app.client.end({ timeout: 5 });
		await logPool.client.end({ timeout: 5 });
	}
});
