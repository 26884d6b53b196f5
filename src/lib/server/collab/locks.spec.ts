import { afterAll, expect, it } from 'vitest';
import { testDb } from '../../../../tests/support/db';
import { createDocLocks } from './locks';
import { DOC_LOCK_CLASS } from './log';

// The shared document locks of a collab instance (architecture.md › Growth): held on one
// reserved connection, counted per document, and taken again on a new connection when that one
// is lost, so a rewrite cannot slip under a loaded document for longer than a heartbeat.

const { client } = await testDb();
const retaken: string[][] = [];
const locks = createDocLocks(client, {
	heartbeatMs: 100,
	onRetaken: (docNames) => retaken.push(docNames)
});
afterAll(() => locks.close());

// Backends of this database holding a shared document lock, one row per lock.
const holders = async () =>
	(
		await client<{ pid: number }[]>`
			select pid from pg_locks
			where locktype = 'advisory' and classid = ${DOC_LOCK_CLASS} and mode = 'ShareLock'
				and database = (select oid from pg_database where datname = current_database())`
	).map((r) => r.pid);

it('holds a lock per hold, gives each back, and takes them again after its connection dies', async () => {
	await locks.hold('deals:a:b');
	await locks.hold('deals:a:b');
	await locks.hold('deals:a:c');
	expect(locks.held()).toEqual(
		new Map([
			['deals:a:b', 2],
			['deals:a:c', 1]
		])
	);
	// Two documents; the same document held twice is one lock row (granted twice).
	const [first] = await holders();
	expect(new Set(await holders())).toEqual(new Set([first]));
	expect(await holders()).toHaveLength(2);

	await client`select pg_terminate_backend(${first!})`;
	await expect
		.poll(async () => {
			const now = await holders();
			return now.length === 2 && !now.includes(first!);
		})
		.toBe(true);
	// Its holder is told which documents went unlocked for a moment (and only then).
	await expect.poll(() => retaken).toEqual([['deals:a:b', 'deals:a:c']]);

	await locks.release('deals:a:b');
	expect(await holders()).toHaveLength(2);
	await locks.release('deals:a:b');
	await locks.release('deals:a:c');
	expect(await holders()).toHaveLength(0);
	expect(locks.held().size).toBe(0);
});
