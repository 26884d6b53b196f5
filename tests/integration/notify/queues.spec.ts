import { afterAll, expect, it } from 'vitest';
import { queues } from '../../../src/lib/server/jobs';
import { createQueues } from '../../../server/workers';
import { testDb } from '../../support/db';
import { sender } from './jobs-support';

// The queue policies as pg-boss applies them, against a real PostgreSQL. A run of
// fan-out-changes dies (here: fails) while an earlier one waits to be retried, which a worker
// SIGKILLed twice in a row produces (worker-crash.spec.ts met it). Under 'stately' the second
// could not enter the retry state beside the first and pg-boss failed it with no retry at all.

const { url } = await testDb();
const boss = await sender(url);
await createQueues(boss);
afterAll(() => boss.stop({ graceful: false, wait: true }));

async function runOnce(name: string) {
	const [job] = await boss.fetch(name);
	if (!job) throw new Error(`no ${name} job to run`);
	await boss.fail(name, job.id, { message: 'worker died' });
	return job.id;
}

it('retries a failed fan-out run while another waits to be retried', async () => {
	const name = queues.fanOutChanges;
	// createQueues queued the boot run; it fails and waits its retry delay.
	const first = await runOnce(name);
	await boss.send(name, {});
	const second = await runOnce(name);
	expect(second).not.toBe(first);

	for (const id of [first, second]) {
		const job = await boss.getJobById(name, id);
		expect({ id, state: job?.state, retryLimit: job?.retryLimit }).toEqual({
			id,
			state: 'retry',
			retryLimit: 5
		});
	}
});
