import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, expect, it } from 'vitest';
import { contracts, notificationPrefs, tasks } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';
import { startFakeResend } from '../../support/fake-resend';
import { useRedis } from '../../support/redis';
import { seedStandbyDeals, sender, until } from './jobs-support';

// Issue 6, must show: "2 worker processes, 10,000 jobs across reminders, standby, contracts and
// email, a worker SIGKILLed 20 times: every job completes and the fake Resend sees 0 duplicate
// sends (counted by Idempotency-Key)". Both processes are the production build with every role
// (standby returns change board documents, so their workers need the collab server; the two
// share live documents through Redis as in production).

const TASKS = 7000;
const STANDBY = 200;
const CONTRACTS = 1000;
const KILLS = 20;

const redis = await useRedis();
const resend = await startFakeResend();
const env = {
	REDIS_URL: redis.url,
	RESEND_API_KEY: resend.apiKey,
	RESEND_BASE_URL: resend.url,
	CHOT_JOBS_MAINTENANCE_SECONDS: '2'
};
const a = await startApp({ env });
const b = await startApp({ env, databaseUrl: a.databaseUrl });
const boss = await sender(a.databaseUrl);
afterAll(async () => {
	await boss.stop({ graceful: false, wait: true });
	await b.stop();
	await a.stop();
	await resend.close();
	await redis.stop();
});

const queues = [
	'scan-due',
	'task-reminder',
	'standby-reopen',
	'contract-notice',
	'send-mail',
	'fan-out-changes'
];

it('completes 10,000 jobs across two workers SIGKILLed 20 times without a duplicate send', async () => {
	const db = a.db;
	const owner = await createUser(db, { email: 'chu@example.vn' });
	const org = await createOrg(db, { ownerId: owner.id });
	const reps = [];
	for (let i = 0; i < 10; i++) {
		const rep = await createUser(db, { email: `rep${i}@example.vn` });
		await addMember(db, { orgId: org.id, userId: rep.id, role: 'sales' });
		reps.push(rep);
	}
	const everyone = [owner, ...reps];
	// Standby returns and contract notices are mailed to everyone; reminders to 3 of the 11
	// people (the others keep them in the app), so about a third of all jobs are sends.
	const mailReminders = new Set(everyone.slice(0, 3).map((u) => u.id));
	await db.insert(notificationPrefs).values(
		everyone.flatMap((u) =>
			(['task_reminder', 'standby_reopened', 'contract_notice'] as const).map((type) => ({
				userId: u.id,
				type,
				channel:
					type !== 'task_reminder' || mailReminders.has(u.id)
						? ('email' as const)
						: ('in_app' as const)
			}))
		)
	);

	const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
	const standby = await seedStandbyDeals(db, {
		orgId: org.id,
		ownerIds: reps.map((r) => r.id),
		count: STANDBY,
		until: yesterday
	});
	const now = Date.now();
	for (let i = 0; i < TASKS; i += 1000) {
		await db.insert(tasks).values(
			Array.from({ length: Math.min(1000, TASKS - i) }, (_, j) => ({
				id: uuidv7(),
				orgId: org.id,
				source: 'own' as const,
				title: `Việc ${i + j + 1}`,
				dueAt: new Date(now + 15 * 60_000),
				remindBefore: 15,
				remindAt: new Date(now - 1000),
				assigneeId: everyone[(i + j) % everyone.length]!.id,
				createdBy: owner.id
			}))
		);
	}
	// Contracts ending in 3 days: the 7-day notice is the one due, to each deal's owner.
	const endsOn = new Date(now + 3 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
	await db.insert(contracts).values(
		Array.from({ length: CONTRACTS }, (_, i) => ({
			orgId: org.id,
			dealId: standby.deals[i % STANDBY]!.id,
			number: `HĐ-${String(i + 1).padStart(4, '0')}`,
			title: 'Hợp đồng bảo trì',
			value: 10_000_000,
			startsOn: '2026-01-01',
			endsOn
		}))
	);

	// Go: a scan queues every due item, and the workers are killed while they work.
	await boss.send('scan-due', {});
	for (let kill = 0; kill < KILLS; kill++) {
		await new Promise((r) => setTimeout(r, 700 + Math.random() * 1300));
		await (kill % 2 === 0 ? a : b).restart('SIGKILL');
		// A scan lost with a killed worker is simply sent again, as the minute's cron would.
		if (kill % 5 === 4) await boss.send('scan-due', {});
	}
	await boss.send('scan-due', {});

	const taskRows = await db.execute<{ n: number }>(
		sql`select count(*)::int as n from tasks where assignee_id = any(${sql.param([...mailReminders])}::uuid[])`
	);
	const expectedMail = taskRows[0]!.n + STANDBY + CONTRACTS;
	await until(
		'every due item told and every mail sent',
		async () => {
			const [s] = await db.execute<{
				claims: number;
				standby: number;
				unsent: number;
				mail: number;
				pending: number;
			}>(sql`
				select
					(select count(*)::int from notice_sends) as claims,
					(select count(*)::int from deals where status = 'standby') as standby,
					(select count(*)::int from emails where status <> 'sent') as unsent,
					(select count(*)::int from emails) as mail,
					(select count(*)::int from pgboss.job
						where name = any(${sql.param(queues)}::text[]) and state in ('created', 'retry', 'active')) as pending`);
			const done =
				s!.claims === TASKS + STANDBY + CONTRACTS &&
				s!.standby === 0 &&
				s!.mail === expectedMail &&
				s!.unsent === 0 &&
				s!.pending === 0;
			if (process.env.CHOT_TRACE) {
				const [bad] = await db.execute<{ name: string; output: unknown }>(
					sql`select name, output from pgboss.job where state in ('retry', 'failed') limit 1`
				);
				console.error(JSON.stringify(s), JSON.stringify(bad ?? null).slice(0, 600));
			}
			return { done, state: s };
		},
		{ timeoutMs: 300_000, everyMs: 1000 }
	);

	const jobs = await db.execute<{ state: string; n: number }>(sql`
		select state, count(*)::int as n from pgboss.job where name = any(${sql.param(queues)}::text[]) group by state`);
	const byState = Object.fromEntries(jobs.map((j) => [j.state, j.n]));
	// A failed job is named with what it last threw, so a red run says which queue and why.
	const failed = await db.execute<{ name: string; retries: number; output: unknown }>(sql`
		select name, retry_count as retries, output from pgboss.job
		where name = any(${sql.param(queues)}::text[]) and state = 'failed' limit 5`);
	expect(byState.failed ?? 0, JSON.stringify(failed).slice(0, 2000)).toBe(0);
	expect(byState.completed).toBeGreaterThanOrEqual(10_000);

	// Each notice once: one notification per task, per standby deal's owner, per contract.
	const [counts] = await db.execute<{ reminders: number; standby: number; contracts: number }>(sql`
		select
			count(*) filter (where type = 'task_reminder')::int as reminders,
			count(*) filter (where type = 'standby_reopened')::int as standby,
			count(*) filter (where type = 'contract_notice')::int as contracts
		from notifications`);
	expect(counts).toEqual({ reminders: TASKS, standby: STANDBY, contracts: CONTRACTS });

	// The fake Resend: every stored email delivered exactly once, by its Idempotency-Key.
	const keys = resend.deliveries.map((d) => d.idempotencyKey);
	expect(new Set(keys).size).toBe(keys.length);
	expect(keys.length).toBe(expectedMail);
	const stored = await db.execute<{ idempotency_key: string }>(
		sql`select idempotency_key from emails`
	);
	expect(new Set(keys)).toEqual(new Set(stored.map((r) => r.idempotency_key)));

	// The standby deals are open again, in the stage they were in.
	const reopened = await db.execute<{ id: string; stage_id: string; status: string }>(sql`
		select id, stage_id, status from deals where pipeline_id = ${standby.pipelineId}`);
	expect(reopened.every((d) => d.status === 'open')).toBe(true);
	const stageOf = new Map(standby.deals.map((d) => [d.id, d.stageId]));
	expect(reopened.every((d) => d.stage_id === stageOf.get(d.id))).toBe(true);
}, 420_000);
