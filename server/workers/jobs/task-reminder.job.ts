import type PgBoss from 'pg-boss';
import { queues } from '$lib/server/jobs';
import { remindTask, remindTasks, type TaskReminderJob } from '$lib/server/notify/due';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.taskReminder;

// One task's reminder at one due time; idempotent through its notice key (notify/due.ts).
export const queueOptions = {
	policy: 'short',
	retryLimit: 5,
	retryDelay: 5,
	retryBackoff: true,
	expireInSeconds: 60
} satisfies Omit<PgBoss.Queue, 'name'>;
export const batchSize = 200;

// A minute's reminders arrive together: each fetched batch is told in one transaction.
export async function handleBatch({ rt, data }: { rt: Runtime; data: TaskReminderJob[] }) {
	await remindTasks(rt, data);
}

export async function handler({ rt, data }: { rt: Runtime; data: TaskReminderJob; id: string }) {
	await remindTask(rt, data);
}
