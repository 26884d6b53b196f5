import type PgBoss from 'pg-boss';
import type { Runtime } from '$lib/server/runtime';
import * as sendMail from './jobs/send-mail.job';

export type JobModule<T> = {
	name: string;
	queueOptions?: Omit<PgBoss.Queue, 'name'>;
	handler: (input: { rt: Runtime; data: T; id: string }) => Promise<void>;
};

const jobs: JobModule<never>[] = [sendMail as JobModule<never>];

export async function createQueues(boss: PgBoss) {
	for (const job of jobs) await boss.createQueue(job.name, { name: job.name, ...job.queueOptions });
}

// pg-boss 10 hands a worker an array of jobs. Each handler is idempotent (at-least-once delivery).
export async function registerWorkers({ boss, rt }: { boss: PgBoss; rt: Runtime }) {
	for (const job of jobs) {
		await boss.work(job.name, { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (batch) => {
			await Promise.all(batch.map((j) => job.handler({ rt, data: j.data as never, id: j.id })));
		});
	}
}
