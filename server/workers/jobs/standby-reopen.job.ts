import type PgBoss from 'pg-boss';
import { queues } from '$lib/server/jobs';
import { reopenStandby, type StandbyReopenJob } from '$lib/server/notify/due';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.standbyReopen;

// A standby deal back on the board on its date; changes the card, so it runs only where the
// collab server is (notify/due.ts says why it is safe to run twice).
export const queueOptions = {
	policy: 'short',
	retryLimit: 5,
	retryDelay: 10,
	retryBackoff: true,
	expireInSeconds: 120
} satisfies Omit<PgBoss.Queue, 'name'>;
export const batchSize = 10;
export const needsCollab = true;

export async function handler({ rt, data }: { rt: Runtime; data: StandbyReopenJob; id: string }) {
	await reopenStandby(rt, data);
}
