import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { queues } from '$lib/server/jobs';
import { scanDue } from '$lib/server/notify/due';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.scanDue;

// Every minute, and at boot: what is due and not yet done becomes one small job each (reminder,
// standby return, contract notice), spread over every worker. Queued items of the same key are
// not duplicated (their queues are 'short' with the notice key as singletonKey); one running
// while the next scan lists it again simply finds its key claimed.
export const queueOptions = {
	policy: 'singleton',
	retryLimit: 3,
	retryDelay: 5,
	// A scan takes seconds; one whose worker died is retried after a minute (the next cron run
	// would come anyway).
	expireInSeconds: 60
} satisfies Omit<PgBoss.Queue, 'name'>;

export const schedule = { cron: '* * * * *' };
export const runAtBoot = true;

export async function handler({ rt }: { rt: Runtime; data: object; id: string }) {
	await redispatchStrandedMail(rt);
	const due = await scanDue(rt.db);
	const jobs: PgBoss.JobInsert[] = [
		...due.reminders.map((data) => ({
			name: queues.taskReminder,
			data,
			singletonKey: `${data.taskId}:${data.dueAt}`
		})),
		...due.standby.map((data) => ({
			name: queues.standbyReopen,
			data,
			singletonKey: `${data.dealId}:${data.until}`
		})),
		...due.contracts.map((data) => ({
			name: queues.contractNotice,
			data,
			singletonKey: `${data.contractId}:${data.kind}:${data.endsOn}`
		}))
	];
	for (let i = 0; i < jobs.length; i += 1000) await rt.boss.insert(jobs.slice(i, i + 1000));
	if (jobs.length > 0)
		rt.log.info(
			{
				reminders: due.reminders.length,
				standby: due.standby.length,
				contracts: due.contracts.length
			},
			'due items queued'
		);
}

// Most senders store a message in their transaction and enqueue its delivery after the commit; a
// process killed between the two leaves a queued message with no job. One never tried after 10
// minutes is enqueued again (at most once per 10-minute slot: singletonSeconds). Delivery checks
// the row and sends under its Idempotency-Key, so an extra job cannot send twice.
async function redispatchStrandedMail(rt: Runtime) {
	const stranded = await rt.db.execute<{ id: string }>(sql`
		select id from emails
		where status = 'queued' and attempts = 0 and created_at < now() - interval '10 minutes'
		order by created_at limit 1000`);
	for (const { id } of stranded) {
		await rt.boss.send(
			queues.sendMail,
			{ emailId: id },
			{ singletonKey: `stranded:${id}`, singletonSeconds: 600 }
		);
	}
	if (stranded.length > 0) rt.log.warn({ count: stranded.length }, 'stranded mail enqueued again');
}
