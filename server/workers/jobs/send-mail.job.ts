import type PgBoss from 'pg-boss';
import type { SendMailJobData } from '$lib/server/jobs';
import { queues } from '$lib/server/jobs';
import { deliver } from '$lib/server/mail/deliver';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.sendMail;
export type { SendMailJobData };

// Exponential backoff from 10 s (pg-boss doubles it with jitter): the last of 8 retries starts at
// most ~85 min after the first try, well inside the 24 hours Resend keeps an idempotency key, so
// a retry of a request Resend did receive returns the original message instead of a second one.
// A job stuck longer than expireInSeconds (its worker died) is failed and retried; the HTTP call
// itself times out at 20 s (deliver.ts), so 60 s never cuts off a live attempt.
export const queueOptions = {
	policy: 'standard',
	retryLimit: 8,
	retryDelay: 10,
	retryBackoff: true,
	expireInSeconds: 60
} satisfies Omit<PgBoss.Queue, 'name'>;

export const batchSize = 10;

export async function handler({
	rt,
	data,
	lastAttempt
}: {
	rt: Runtime;
	data: SendMailJobData;
	id: string;
	lastAttempt: boolean;
}) {
	await deliver({ rt, emailId: data.emailId, lastAttempt });
}
