import type PgBoss from 'pg-boss';
import { addMonths, monthOf } from '$lib/server/commissions/calc';
import { computeMonth, lockedMonths } from '$lib/server/commissions/compute';
import { enqueueCommissionCompute } from '$lib/server/commissions/enqueue';
import { CommissionError } from '$lib/server/commissions/errors';
import { organisations } from '$lib/server/db/schema';
import type { ComputeCommissionsJobData } from '$lib/server/jobs';
import { queues } from '$lib/server/jobs';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.computeCommissions;
export type { ComputeCommissionsJobData };
export { enqueueCommissionCompute };

// One month of one organisation per job, sent with `<orgId>:<month>` as singletonKey: 'stately'
// keeps at most one waiting and one running per month, so a burst of wins and payments collapses
// into one more computation. The nightly run ({ nightly: true }) fans out to every organisation.
export const queueOptions = {
	policy: 'stately',
	retryLimit: 5,
	retryDelay: 10,
	retryBackoff: true,
	expireInSeconds: 900
} satisfies Omit<PgBoss.Queue, 'name'>;

/**
 * Nightly at 18:15 UTC (01:15 in Vietnam), so also on the first of each month: the current and
 * the previous open months of every organisation.
 */
export const schedule = { cron: '15 18 * * *', data: { nightly: true } };

/** The months the nightly run computes: the first open one, the previous and the current. */
export function monthsToCompute({ current, locked }: { current: string; locked: string[] }) {
	const last = locked.at(-1);
	const out = new Set<string>();
	if (last && addMonths(last, 1) <= current) out.add(addMonths(last, 1));
	out.add(addMonths(current, -1));
	out.add(current);
	return [...out].filter((m) => !last || m > last).sort();
}

// Safe to run twice: computing an open month replaces its lines with the same ones, and a
// locked month is left alone.
export async function handler({ rt, data }: { rt: Runtime; data: ComputeCommissionsJobData }) {
	if ('nightly' in data) {
		const orgs = await rt.db
			.select({ id: organisations.id, timeZone: organisations.timeZone })
			.from(organisations);
		for (const org of orgs) {
			const locked = await lockedMonths(rt.db, { orgId: org.id });
			const current = monthOf(new Date(), org.timeZone);
			for (const month of monthsToCompute({ current, locked }))
				await enqueueCommissionCompute(rt.boss, { orgId: org.id, month });
		}
		return;
	}
	try {
		const result = await computeMonth(rt.db, data);
		rt.log.info({ ...data, ...result }, 'commissions computed');
	} catch (err) {
		// A closed month or a removed organisation will not compute on a retry either.
		if (err instanceof CommissionError) {
			rt.log.info({ ...data, code: err.code }, 'commissions not computed');
			return;
		}
		throw err;
	}
}
