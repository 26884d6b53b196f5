import type PgBoss from 'pg-boss';
import { compact } from '$lib/server/collab/log';
import type { CompactDocJobData } from '$lib/server/jobs';
import { queues } from '$lib/server/jobs';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.compactDoc;
export type { CompactDocJobData };

// Sent with the document name as singletonKey: 'stately' keeps at most one queued and one
// active compaction per document. Running twice is harmless (log.ts: compact is idempotent).
export const queueOptions = {
	policy: 'stately',
	retryLimit: 5,
	retryDelay: 5,
	retryBackoff: true,
	expireInSeconds: 300
} satisfies Omit<PgBoss.Queue, 'name'>;

/** Enqueues a compaction of `docName` unless one is already waiting. */
export function request(boss: PgBoss, { docName }: CompactDocJobData) {
	return boss.send(name, { docName } satisfies CompactDocJobData, { singletonKey: docName });
}

export async function handler({ rt, data }: { rt: Runtime; data: CompactDocJobData; id: string }) {
	// Bounded batches keep each transaction short; loop until the log is drained.
	for (;;) {
		const { merged } = await compact(rt.db, { docName: data.docName, limit: 2000 });
		if (merged < 2000) break;
	}
}
