import type PgBoss from 'pg-boss';
import { queues } from '$lib/server/jobs';
import { noticeContract, type ContractNoticeJob } from '$lib/server/notify/due';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.contractNotice;

// One contract notice (its notice days before the end, 7 days before, the day); once each.
export const queueOptions = {
	policy: 'short',
	retryLimit: 5,
	retryDelay: 5,
	retryBackoff: true,
	expireInSeconds: 60
} satisfies Omit<PgBoss.Queue, 'name'>;
export const batchSize = 20;

export async function handler({ rt, data }: { rt: Runtime; data: ContractNoticeJob; id: string }) {
	await noticeContract(rt, data);
}
