import type { SendMailJobData } from '$lib/server/jobs';
import { queues } from '$lib/server/jobs';
import { deliver } from '$lib/server/mail/deliver';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.sendMail;
export type { SendMailJobData };

// Retries with backoff; Resend's Idempotency-Key (the email row's key) makes a rerun send once.
export const queueOptions = { retryLimit: 8, retryDelay: 10, retryBackoff: true };

export async function handler({ rt, data }: { rt: Runtime; data: SendMailJobData; id: string }) {
	await deliver({ rt, emailId: data.emailId });
}
