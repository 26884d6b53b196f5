import type PgBoss from 'pg-boss';
import type { Runtime } from '$lib/server/runtime';
import * as compactDoc from './jobs/compact-doc.job';
import * as computeCommissions from './jobs/compute-commissions.job';
import * as contractNotice from './jobs/contract-notice.job';
import * as customerCards from './jobs/customer-cards.job';
import * as digests from './jobs/digests.job';
import * as fanOutChanges from './jobs/fan-out-changes.job';
import * as makeThumbnail from './jobs/make-thumbnail.job';
import * as refreshOverdue from './jobs/refresh-overdue.job';
import * as scanDue from './jobs/scan-due.job';
import * as sendMail from './jobs/send-mail.job';
import * as standbyReopen from './jobs/standby-reopen.job';
import * as taskReminder from './jobs/task-reminder.job';

export type JobModule<T> = {
	name: string;
	queueOptions?: Omit<PgBoss.Queue, 'name'>;
	/** Run on a cron schedule (pg-boss keeps one schedule per queue across instances). */
	schedule?: { cron: string; data?: object };
	/** Also run once when an instance starts (catching up after an upgrade or downtime). */
	runAtBoot?: boolean;
	/** Jobs fetched and run at once per worker (default 5). */
	batchSize?: number;
	/** Changes collab documents (rt.changeDoc): worked only by instances with the collab role. */
	needsCollab?: boolean;
	/**
	 * Runs one job; must be safe to run twice (pg-boss delivers at least once). Throw to have
	 * pg-boss retry it with the queue's backoff. `lastAttempt`: no retry follows if this throws.
	 */
	handler: (input: { rt: Runtime; data: T; id: string; lastAttempt: boolean }) => Promise<void>;
	/**
	 * Runs a whole fetched batch at once (set-based work in one transaction) instead of `handler`
	 * per job; if it throws, every job of the batch fails and is retried.
	 */
	handleBatch?: (input: { rt: Runtime; data: T[] }) => Promise<void>;
};

const jobs: JobModule<never>[] = [
	sendMail as JobModule<never>,
	compactDoc as JobModule<never>,
	makeThumbnail as JobModule<never>,
	refreshOverdue as JobModule<never>,
	computeCommissions as JobModule<never>,
	scanDue as JobModule<never>,
	taskReminder as JobModule<never>,
	standbyReopen as JobModule<never>,
	contractNotice as JobModule<never>,
	fanOutChanges as JobModule<never>,
	digests as JobModule<never>,
	customerCards as JobModule<never>
];

// The code is the source of truth for each queue's policy: createQueue leaves an existing queue
// as it was, so the options are applied again on every boot.
export async function createQueues(boss: PgBoss) {
	for (const job of jobs) {
		await boss.createQueue(job.name, { name: job.name, ...job.queueOptions });
		if (job.queueOptions) await boss.updateQueue(job.name, { name: job.name, ...job.queueOptions });
		if (job.schedule) await boss.schedule(job.name, job.schedule.cron, job.schedule.data ?? {});
		if (job.runAtBoot) await boss.send(job.name, job.schedule?.data ?? {});
	}
}

// pg-boss 10 hands a worker an array of jobs and, if the handler throws, fails every job of the
// batch. Each job's outcome is settled on its own instead: failures are failed by id (and so
// retried alone), and pg-boss completes the rest when the batch handler returns.
export async function registerWorkers({
	boss,
	rt,
	collab
}: {
	boss: PgBoss;
	rt: Runtime;
	collab: boolean;
}) {
	for (const job of jobs) {
		if (job.needsCollab && !collab) continue;
		await boss.work(
			job.name,
			{ batchSize: job.batchSize ?? 5, pollingIntervalSeconds: 0.5, includeMetadata: true },
			async (batch) => {
				if (job.handleBatch) {
					await job.handleBatch({ rt, data: batch.map((j) => j.data as never) });
					return;
				}
				const results = await Promise.allSettled(
					batch.map((j) =>
						job.handler({
							rt,
							data: j.data as never,
							id: j.id,
							lastAttempt: j.retryCount >= j.retryLimit
						})
					)
				);
				for (const [i, r] of results.entries()) {
					if (r.status === 'fulfilled') continue;
					const failed = batch[i]!;
					const err = r.reason instanceof Error ? r.reason : new Error(String(r.reason));
					rt.log.warn({ err, queue: job.name, jobId: failed.id }, 'job failed; pg-boss retries it');
					await boss.fail(job.name, failed.id, { message: err.message });
				}
			}
		);
	}
}
