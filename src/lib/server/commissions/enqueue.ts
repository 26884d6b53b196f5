import type PgBoss from 'pg-boss';
import { eq } from 'drizzle-orm';
import { organisations } from '../db/schema';
import { queues, type ComputeCommissionsJobData } from '../jobs';
import { monthOf } from '../orgs/records';
import type { Runtime } from '../runtime';

/**
 * Asks the worker to compute one month (`YYYY-MM-01`) of an organisation's commissions, e.g.
 * after a win or a payment (SPEC C12). Sent with `<orgId>:<month>` as singletonKey on a
 * `stately` queue: while one computation of that month waits, more requests add nothing.
 */
export function enqueueCommissionCompute(
	boss: PgBoss,
	{ orgId, month }: { orgId: string; month: string }
) {
	const data: ComputeCommissionsJobData = { orgId, month };
	return boss.send(queues.computeCommissions, data, { singletonKey: `${orgId}:${month}` });
}

/** The commission month of a payment date (`YYYY-MM-DD`, organisation calendar). */
export function monthOfDay(day: string) {
	return `${day.slice(0, 7)}-01`;
}

/** Asks for this month's computation, in the organisation's calendar (after a win, C12). */
export async function commissionsDueNow(
	rt: Pick<Runtime, 'db' | 'boss'>,
	{ orgId }: { orgId: string }
) {
	const [org] = await rt.db
		.select({ timeZone: organisations.timeZone })
		.from(organisations)
		.where(eq(organisations.id, orgId));
	if (!org) return;
	await enqueueCommissionCompute(rt.boss, { orgId, month: monthOf(new Date(), org.timeZone) });
}
