import type PgBoss from 'pg-boss';
import { organisations } from '$lib/server/db/schema';
import { queues } from '$lib/server/jobs';
import { refreshOverdue } from '$lib/server/money/card';
import { reconcileReceivables } from '$lib/server/receivables/refresh';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.refreshOverdue;

// Instalments fall due with no one touching the deal: every hour the cards whose overdue (or
// paid) figure changed are rewritten (SPEC B21), and the receivables read model is reconciled
// (receivables SPEC R14). Idempotent and state-driven: it compares what each card and row holds
// with what the ledger and schedule say today, so a second run or a late one writes nothing new.
export const queueOptions = {
	policy: 'singleton',
	retryLimit: 2,
	retryDelay: 60,
	expireInSeconds: 15 * 60
} satisfies Omit<PgBoss.Queue, 'name'>;

export const schedule = { cron: '5 * * * *' };
// After an upgrade the read models it reconciles may be empty (deal_receivables): fill them now.
export const runAtBoot = true;

export async function handler({ rt }: { rt: Runtime; data: object; id: string }) {
	const orgs = await rt.db.select({ id: organisations.id }).from(organisations);
	for (const org of orgs) {
		const { written } = await refreshOverdue(rt, { orgId: org.id });
		if (written > 0) rt.log.info({ orgId: org.id, written }, 'overdue figures refreshed');
		const { refreshed } = await reconcileReceivables(rt.db, { orgId: org.id });
		if (refreshed > 0) rt.log.info({ orgId: org.id, refreshed }, 'receivables reconciled');
	}
}
