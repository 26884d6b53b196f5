import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { afterAll } from 'vitest';
import { readConfig } from '../../../src/lib/server/config';
import type { Db } from '../../../src/lib/server/db';
import { queues } from '../../../src/lib/server/jobs';
import { createLogger } from '../../../src/lib/server/log';
import { setRuntime } from '../../../src/lib/server/runtime';

export const ORIGIN = 'http://chot.test';

// A real pg-boss on the spec's own database (no workers): invitations dispatch their mail job
// into it, and specs read the job back.
export async function startBoss(url: string) {
	const boss = new PgBoss({
		connectionString: url,
		schema: 'pgboss',
		max: 2,
		supervise: false,
		schedule: false
	});
	await boss.start();
	await boss.createQueue(queues.sendMail);
	afterAll(async () => {
		await boss.stop({ graceful: false, wait: true });
	});
	return boss;
}

/**
 * Registers the spec's database as the process runtime, so that guards (`requireMember`) read
 * it as they do inside the app. Socket closing belongs to the HTTP spec (http.spec.ts).
 */
export function useRuntime({ db, boss }: { db: Db; boss?: PgBoss }) {
	setRuntime({
		config: readConfig({ ORIGIN }),
		db,
		boss: boss as PgBoss,
		log: createLogger({ level: 'silent' }),
		counters: new Map(),
		async changeDoc() {
			throw new Error('changeDoc is not part of this spec');
		},
		watchNotifications() {
			throw new Error('watchNotifications is not part of this spec');
		},
		async disconnectUser() {
			throw new Error('disconnectUser is not part of this spec');
		}
	});
	afterAll(() => setRuntime(undefined));
}

/** Resolves once `n` sessions of this database are waiting for a lock (a race is staged). */
export async function waitForLockWaits(db: Db, n: number) {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const [row] = await db.execute<{ n: number }>(
			sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
		);
		if (row!.n >= n) return;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error(`never saw ${n} transactions waiting for a lock`);
}
