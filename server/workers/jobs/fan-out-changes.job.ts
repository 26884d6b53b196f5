import type PgBoss from 'pg-boss';
import { queues } from '$lib/server/jobs';
import { fanOutChanges, mailClosedWindows } from '$lib/server/notify/fanout';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.fanOutChanges;

// Followers' notifications from deal_changes (notify/fanout.ts). Sent by the worker when the
// triggers NOTIFY chot_deal_change (a few hundred ms after a change) and every minute as a
// backstop, which also mails the batches whose 5-minute window has closed. 'short': one waiting,
// so a burst of changes adds one run. Not 'stately' (one waiting, one retrying, one running): a
// run expired in a killed worker while another already waited to be retried could not be retried
// (the index admits one per state) and pg-boss failed it. Runs may overlap; they share the rows
// with `skip locked`.
export const queueOptions = {
	policy: 'short',
	retryLimit: 5,
	retryDelay: 2,
	// A run is short (batches of 500 in their own transactions); a run whose worker died is
	// retried after a minute, not five, so followers are not kept waiting.
	expireInSeconds: 60
} satisfies Omit<PgBoss.Queue, 'name'>;

export const schedule = { cron: '* * * * *' };
export const runAtBoot = true;

export async function handler({ rt }: { rt: Runtime; data: object; id: string }) {
	while ((await fanOutChanges(rt.db)) > 0) {
		// until the pending rows are all told
	}
	while ((await mailClosedWindows(rt)) > 0) {
		// until every closed window is mailed
	}
}
