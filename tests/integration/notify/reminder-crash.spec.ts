import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { notificationPrefs, tasks } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { createOrg, createUser } from '../../support/factories';
import { startFakeResend } from '../../support/fake-resend';
import { fakeClock, sender, until } from './jobs-support';

// Issue 6, must show: "with a controllable clock: a task due at T notifies exactly once at
// T − remind-before, even with the worker SIGKILLed 5 times around T". The worker is the real
// production build in its own process; the test moves its clock through a file
// (CHOT_FAKE_CLOCK_FILE) and kills it with SIGKILL around the reminder's time.

const resend = await startFakeResend();
const clock = fakeClock();
const app = await startApp({
	env: {
		CHOT_FAKE_CLOCK_FILE: clock.file,
		CHOT_JOBS_MAINTENANCE_SECONDS: '2',
		RESEND_API_KEY: resend.apiKey,
		RESEND_BASE_URL: resend.url
	}
});
const boss = await sender(app.databaseUrl);
afterAll(async () => {
	await boss.stop({ graceful: false, wait: true });
	await app.stop();
	await resend.close();
	clock.remove();
});

const T = new Date('2031-03-14T03:00:00Z'); // 10:00 in Hồ Chí Minh City
const remindAt = new Date(T.getTime() - 60 * 60_000); // remind-before: 1 hour

async function scan() {
	const id = await boss.send('scan-due', {});
	// The scan may be cut off by a kill; a queued one is run after the restart.
	return id;
}

async function reminders(taskId: string) {
	const rows = await app.db.execute<{ n: number }>(
		sql`select count(*)::int as n from notifications where type = 'task_reminder' and data->>'taskId' = ${taskId}`
	);
	return rows[0]!.n;
}

it('reminds exactly once at T − remind-before across five SIGKILLs of the worker', async () => {
	const user = await createUser(app.db, { email: 'nhac-viec@example.vn' });
	const org = await createOrg(app.db, { ownerId: user.id });
	await app.db
		.insert(notificationPrefs)
		.values({ userId: user.id, type: 'task_reminder', channel: 'email' });
	const taskId = '01900000-0000-7000-8000-000000000001';
	await app.db.insert(tasks).values({
		id: taskId,
		orgId: org.id,
		source: 'own',
		title: 'Gọi lại cho chị Mai về báo giá',
		dueAt: T,
		remindBefore: 60,
		remindAt,
		assigneeId: user.id,
		createdBy: user.id
	});

	// Before its time: scans (and a crash between them) tell nobody.
	clock.set(new Date(remindAt.getTime() - 5 * 60_000));
	await scan();
	await app.restart('SIGKILL'); // kill 1
	clock.set(new Date(remindAt.getTime() - 1));
	await scan();
	await new Promise((r) => setTimeout(r, 1500));
	expect(await reminders(taskId)).toBe(0);
	await app.restart('SIGKILL'); // kill 2

	// Its time comes: scans race three more kills, each at a random moment after a scan.
	clock.set(remindAt);
	for (let kill = 3; kill <= 5; kill++) {
		await scan();
		await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
		await app.restart('SIGKILL');
	}
	clock.set(new Date(remindAt.getTime() + 5 * 60_000));
	await scan();
	await until('the reminder and its email', async () => {
		const sent = await app.db.execute<{ n: number }>(
			sql`select count(*)::int as n from emails where status = 'sent' and "to" = 'nhac-viec@example.vn'`
		);
		return (await reminders(taskId)) > 0 && sent[0]!.n > 0;
	});
	// More scans after the fact change nothing.
	for (let i = 0; i < 3; i++) await scan();
	await new Promise((r) => setTimeout(r, 3000));

	expect(await reminders(taskId)).toBe(1);
	const mail = await app.db.execute<{ idempotency_key: string; status: string }>(
		sql`select idempotency_key, status from emails where "to" = 'nhac-viec@example.vn'`
	);
	expect(mail).toHaveLength(1);
	expect(mail[0]!.status).toBe('sent');
	const delivered = resend.deliveries.filter((d) => d.to.includes('nhac-viec@example.vn'));
	expect(delivered.map((d) => d.idempotencyKey)).toEqual([mail[0]!.idempotency_key]);
	expect(delivered[0]!.subject).toContain('Gọi lại cho chị Mai về báo giá');
	const claims = await app.db.execute<{ key: string }>(
		sql`select key from notice_sends where key like ${`task:${taskId}:%`}`
	);
	expect(claims.map((c) => c.key)).toEqual([`task:${taskId}:${T.getTime()}`]);
}, 240_000);
