import type PgBoss from 'pg-boss';
import { queues } from '$lib/server/jobs';
import { sendContractDigests, sendIdleDigests } from '$lib/server/notify/digests';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.digests;

// Every morning at 08:00 Vietnam time (01:00 UTC): idle deals to their owners; the contracts
// digest to managers once a week (the first run of each local week, Monday unless it was missed).
export const queueOptions = {
	policy: 'singleton',
	retryLimit: 3,
	retryDelay: 60,
	expireInSeconds: 15 * 60
} satisfies Omit<PgBoss.Queue, 'name'>;

export const schedule = { cron: '0 1 * * *' };

export async function handler({ rt }: { rt: Runtime; data: object; id: string }) {
	const idle = await sendIdleDigests(rt);
	const contracts = await sendContractDigests(rt);
	rt.log.info({ idle, contracts }, 'digests sent');
}
