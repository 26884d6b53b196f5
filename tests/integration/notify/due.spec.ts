import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, setStatus, updateDealFields } from '../../../src/lib/board/ops';
import { idleDays, readDeal } from '../../../src/lib/board/read';
import { dealDocName } from '../../../src/lib/deal/doc';
import { addContact } from '../../../src/lib/deal/ops';
import { readConfig } from '../../../src/lib/server/config';
import { contracts, notificationPrefs } from '../../../src/lib/server/db/schema';
import { queues } from '../../../src/lib/server/jobs';
import { createLogger } from '../../../src/lib/server/log';
import { fanOutChanges } from '../../../src/lib/server/notify/fanout';
import { setFollowing } from '../../../src/lib/server/notify/followers';
import type { Runtime } from '../../../src/lib/server/runtime';
import * as taskRepo from '../../../src/lib/server/tasks/tasks.repo';
import { createQueues } from '../../../server/workers';
import * as contractNotice from '../../../server/workers/jobs/contract-notice.job';
import * as digests from '../../../server/workers/jobs/digests.job';
import * as scanDue from '../../../server/workers/jobs/scan-due.job';
import * as standbyReopen from '../../../server/workers/jobs/standby-reopen.job';
import * as taskReminder from '../../../server/workers/jobs/task-reminder.job';
import { collabStack } from '../../support/collab-stack';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser } from '../../support/factories';
import { fakeClock } from './jobs-support';

// Issue 6, must show, "with a controllable clock": reminders, standby returns, contract notices
// and the digests, against a real PostgreSQL, a real pg-boss and the real collab server (in this
// process). The clock is a file the handlers read (CHOT_FAKE_CLOCK_FILE), as the worker does;
// each step runs the scan job's handler, then every job it queued through pg-boss's own fetch
// with that queue's handler. reminder-crash.spec.ts runs the same with a separate, SIGKILLed
// worker process.

const { db, url } = await testDb();
const clock = fakeClock();
process.env.CHOT_FAKE_CLOCK_FILE = clock.file;
const stack = await collabStack({ db });
const boss = new PgBoss({
	connectionString: url,
	schema: 'pgboss',
	max: 3,
	supervise: false,
	schedule: false
});
boss.on('error', () => {});
await boss.start();
await createQueues(boss);
afterAll(async () => {
	await boss.stop({ graceful: false, wait: true });
	await stack.stop();
	delete process.env.CHOT_FAKE_CLOCK_FILE;
	clock.remove();
});

const rt = {
	config: readConfig({ ORIGIN: 'http://chot.test' }),
	db,
	boss,
	log: createLogger({ level: 'silent' }),
	counters: new Map(),
	changeDoc: stack.changeDoc,
	watchNotifications: () => () => {},
	disconnectUser: async () => {}
} satisfies Runtime;

const DAY = 86_400_000;
const MIN = 60_000;
/** An instant given as local time in Hồ Chí Minh City (the organisations' default zone). */
const hcm = (local: string) => new Date(`${local}+07:00`);
const dayOffset = (day: string, days: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

type Handler = (input: {
	rt: Runtime;
	data: never;
	id: string;
	lastAttempt: boolean;
}) => Promise<void>;
const workers: [string, Handler][] = [
	[queues.taskReminder, taskReminder.handler as Handler],
	[queues.standbyReopen, standbyReopen.handler as Handler],
	[queues.contractNotice, contractNotice.handler as Handler]
];

/** Runs every job waiting in the due-item queues with its handler, as a worker would. */
async function work() {
	for (const [name, handler] of workers) {
		for (;;) {
			const jobs = await boss.fetch<never>(name, { batchSize: 100 });
			if (jobs.length === 0) break;
			for (const job of jobs) {
				await handler({ rt, data: job.data, id: job.id, lastAttempt: false });
				await boss.complete(name, job.id);
			}
		}
	}
}

/** The clock moves to `at`; the scan runs, then whatever it queued. */
async function tick(at: Date) {
	clock.set(at);
	await scanDue.handler({ rt, data: {}, id: 'scan' });
	await work();
}

async function notificationsOf(where: ReturnType<typeof sql>) {
	return db.execute<{
		user_id: string;
		type: string;
		key: string;
		data: Record<string, unknown>;
	}>(
		sql`select user_id, type, key, data from notifications where ${where} order by created_at, key`
	);
}

async function emailsTo(address: string) {
	const rows = await db.execute<{ n: number }>(
		sql`select count(*)::int as n from emails where "to" = ${address}`
	);
	return rows[0]!.n;
}

/** A deal made the way the app makes it: its owner's client, then the projection's row. */
async function createDealAs(
	ownerId: string,
	{
		pipelineId,
		title,
		stage = 0,
		at
	}: { pipelineId: string; title: string; stage?: number; at?: number }
) {
	const pipe = await stack.open(ownerId, pipelineDocName(pipelineId));
	const shard = await stack.open(ownerId, dealsDocName(pipelineId, ownerId));
	const id = uuidv7();
	const stageId = readStages(pipe.doc)[stage]!.id;
	const as = { kind: 'user', userId: ownerId } as const;
	createDeal(
		{ pipelineDoc: pipe.doc, dealDoc: shard.doc },
		{ id, title, stageId, ownerId, amount: 80_000_000, ...(at ? { at } : {}) },
		as
	);
	await expect.poll(() => dealRow(id)).toMatchObject({ id });
	pipe.destroy();
	return { id, stageId, shard, as };
}

async function dealRow(id: string) {
	const [row] = await db.execute<{ id: string; status: string; stage_id: string }>(
		sql`select id, status, stage_id from deals where id = ${id}`
	);
	return row ?? null;
}

async function orgWithPipeline(name: string) {
	const owner = await createUser(db, { name: `Chủ ${name}`, email: `chu-${uuidv7()}@example.vn` });
	const org = await createOrg(db, { ownerId: owner.id, name });
	const [pipeline] = await db.execute<{ id: string }>(
		sql`select id from pipelines where org_id = ${org.id}`
	);
	return { owner, org, pipelineId: pipeline!.id };
}

describe('task reminders', () => {
	it('notify exactly once at T − remind-before, re-arm on a reschedule, and never for a done task', async () => {
		const { owner, org } = await orgWithPipeline('Công ty Nhắc Việc');
		const an = await createUser(db, { name: 'Ngô Văn An', email: `an-${uuidv7()}@example.vn` });
		await addMember(db, { orgId: org.id, userId: an.id, role: 'sales' });
		await db
			.insert(notificationPrefs)
			.values({ userId: an.id, type: 'task_reminder', channel: 'email' });
		const T = new Date('2031-03-14T03:00:00Z');
		const taskId = uuidv7();
		const input = { title: 'Gọi lại cho chị Mai', dueAt: T, remindBefore: 60, assigneeId: an.id };
		await taskRepo.createOwn(db, { orgId: org.id, id: taskId, createdBy: owner.id, input });
		const reminders = () =>
			notificationsOf(sql`type = 'task_reminder' and data->>'taskId' = ${taskId}`);

		// One minute early: nothing, however often the scan runs.
		await tick(new Date(T.getTime() - 61 * MIN));
		await tick(new Date(T.getTime() - 61 * MIN + 59_000));
		expect(await reminders()).toHaveLength(0);
		expect(await emailsTo(an.email)).toBe(0);

		// At T − 60 the scan queues one job; two workers running it at once tell An once.
		clock.set(new Date(T.getTime() - 60 * MIN));
		await scanDue.handler({ rt, data: {}, id: 'scan' });
		const [job, ...more] = await boss.fetch<{ taskId: string; dueAt: string }>(
			queues.taskReminder,
			{
				batchSize: 10
			}
		);
		expect(more).toHaveLength(0);
		expect(job!.data).toEqual({ taskId, dueAt: T.toISOString() });
		await Promise.all([
			taskReminder.handler({ rt, data: job!.data, id: job!.id }),
			taskReminder.handler({ rt, data: job!.data, id: job!.id })
		]);
		await boss.complete(queues.taskReminder, job!.id);
		const sent = await reminders();
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ user_id: an.id, key: `task:${taskId}:${T.getTime()}` });
		expect(sent[0]!.data).toMatchObject({ title: 'Gọi lại cho chị Mai', dueAt: T.toISOString() });
		expect(await emailsTo(an.email)).toBe(1);

		// Scans and handlers after the fact add nothing.
		await tick(new Date(T.getTime() - 60 * MIN));
		await tick(new Date(T.getTime() - 10 * MIN));
		await tick(new Date(T.getTime() + 5 * MIN));
		await taskReminder.handler({ rt, data: job!.data, id: job!.id });
		expect(await reminders()).toHaveLength(1);
		expect(await emailsTo(an.email)).toBe(1);

		// Rescheduled to T2: armed again, once, at T2 − 60.
		const T2 = new Date(T.getTime() + 3 * 60 * MIN);
		await taskRepo.updateOwn(db, { orgId: org.id, id: taskId, input: { ...input, dueAt: T2 } });
		await tick(new Date(T2.getTime() - 61 * MIN));
		expect(await reminders()).toHaveLength(1);
		await tick(new Date(T2.getTime() - 60 * MIN));
		await tick(new Date(T2.getTime() - 59 * MIN));
		expect((await reminders()).map((n) => n.key)).toEqual([
			`task:${taskId}:${T.getTime()}`,
			`task:${taskId}:${T2.getTime()}`
		]);
		expect(await emailsTo(an.email)).toBe(2);
		// The stale job for the old due time, delivered late, does nothing.
		await taskReminder.handler({ rt, data: job!.data, id: job!.id });
		expect(await reminders()).toHaveLength(2);

		// Done before its reminder: never told; done while its job waits: not told either.
		const doneEarly = uuidv7();
		const T3 = new Date(T.getTime() + DAY);
		await taskRepo.createOwn(db, {
			orgId: org.id,
			id: doneEarly,
			createdBy: owner.id,
			input: { ...input, title: 'Gửi hợp đồng', dueAt: T3 }
		});
		await taskRepo.setOwnDone(db, { orgId: org.id, id: doneEarly, done: true });
		await tick(new Date(T3.getTime() - 60 * MIN));
		await tick(new Date(T3.getTime() + 60 * MIN));
		const doneLate = uuidv7();
		const T4 = new Date(T.getTime() + 2 * DAY);
		await taskRepo.createOwn(db, {
			orgId: org.id,
			id: doneLate,
			createdBy: owner.id,
			input: { ...input, title: 'Khảo sát công trình', dueAt: T4 }
		});
		clock.set(new Date(T4.getTime() - 60 * MIN));
		await scanDue.handler({ rt, data: {}, id: 'scan' });
		await taskRepo.setOwnDone(db, { orgId: org.id, id: doneLate, done: true });
		await work();
		const never = await notificationsOf(
			sql`type = 'task_reminder' and data->>'taskId' in (${doneEarly}, ${doneLate})`
		);
		expect(never).toHaveLength(0);
		expect(await emailsTo(an.email)).toBe(2);
	});

	it('stay in the app, without email, for an assignee who did not ask for mail', async () => {
		const { owner, org } = await orgWithPipeline('Công ty Trong Ứng Dụng');
		const T = new Date('2031-03-20T02:00:00Z');
		const taskId = uuidv7();
		await taskRepo.createOwn(db, {
			orgId: org.id,
			id: taskId,
			createdBy: owner.id,
			input: { title: 'Chuẩn bị báo giá', dueAt: T, remindBefore: 15, assigneeId: owner.id }
		});
		await tick(new Date(T.getTime() - 16 * MIN));
		await tick(new Date(T.getTime() - 15 * MIN));
		await tick(new Date(T.getTime() - 14 * MIN));
		expect(await notificationsOf(sql`data->>'taskId' = ${taskId}`)).toHaveLength(1);
		expect(await emailsTo(owner.email)).toBe(0);
	});
});

describe('standby deals', () => {
	it('return open to their old stage on their date in the organisation’s zone, telling owner and followers once', async () => {
		const { owner, org, pipelineId } = await orgWithPipeline('Công ty Chờ Mở Lại');
		const manager = await createUser(db, {
			name: 'Đỗ Quản Lý',
			email: `ql-${uuidv7()}@example.vn`
		});
		await addMember(db, { orgId: org.id, userId: manager.id, role: 'manager' });
		const deal = await createDealAs(owner.id, { pipelineId, title: 'Resort Phú Quốc', stage: 2 });
		setStatus(
			deal.shard.doc,
			{ dealId: deal.id, status: 'standby', standbyUntil: '2031-05-10' },
			deal.as
		);
		await expect.poll(() => dealRow(deal.id)).toMatchObject({ status: 'standby' });
		await setFollowing(db, { orgId: org.id, dealId: deal.id, userId: manager.id, following: true });
		const told = () => notificationsOf(sql`type = 'standby_reopened' and deal_id = ${deal.id}`);

		// 23:59 on the 9th in Hồ Chí Minh City: still waiting.
		await tick(hcm('2031-05-09T23:59:00'));
		expect(readDeal(deal.shard.doc, deal.id)!.status).toBe('standby');
		expect(await told()).toHaveLength(0);

		// 00:30 on the 10th there (still the 9th in UTC): back on the board, where it was.
		await tick(hcm('2031-05-10T00:30:00'));
		await expect.poll(() => readDeal(deal.shard.doc, deal.id)?.status).toBe('open');
		expect(readDeal(deal.shard.doc, deal.id)).toMatchObject({ stageId: deal.stageId });
		await expect
			.poll(() => dealRow(deal.id))
			.toMatchObject({ status: 'open', stage_id: deal.stageId });
		const first = await told();
		expect(first.map((n) => n.user_id).sort()).toEqual([owner.id, manager.id].sort());
		expect(first[0]!.data).toMatchObject({ dealTitle: 'Resort Phú Quốc', until: '2031-05-10' });
		// That notice is the followers' word of it: the change fan-out repeats nothing.
		await fanOutChanges(db);
		const changes = await notificationsOf(sql`type = 'deal_changes' and deal_id = ${deal.id}`);
		const reopened = changes
			.flatMap((n) => (n.data.items ?? []) as { kind: string; detail: { to?: string } }[])
			.filter((i) => i.kind === 'status' && i.detail.to === 'open');
		expect(reopened).toEqual([]);
		expect(
			(
				await db.execute(
					sql`select 1 from deal_changes where deal_id = ${deal.id} and fanned_out_at is null`
				)
			).length
		).toBe(0);

		// Again, and the same job delivered twice more: nothing changes.
		const writes = async () =>
			(
				await db.execute<{ n: number }>(
					sql`select count(*)::int as n from collab_updates where doc_name = ${dealsDocName(pipelineId, owner.id)}`
				)
			)[0]!.n;
		const before = await writes();
		await tick(hcm('2031-05-10T08:00:00'));
		await standbyReopen.handler({
			rt,
			data: { dealId: deal.id, until: '2031-05-10' },
			id: 'again'
		});
		await standbyReopen.handler({
			rt,
			data: { dealId: deal.id, until: '2031-05-10' },
			id: 'again'
		});
		expect(await told()).toHaveLength(2);
		expect(await writes()).toBe(before);
		expect(readDeal(deal.shard.doc, deal.id)).toMatchObject({
			status: 'open',
			stageId: deal.stageId
		});
		deal.shard.destroy();
	});
});

describe('contract notices', () => {
	it('fire once each at ends_on − notice days, − 7 and on the day, by the local day; never for cancelled or renewed ones', async () => {
		const { owner, org, pipelineId } = await orgWithPipeline('Công ty Hợp Đồng');
		const manager = await createUser(db, {
			name: 'Lý Quản Lý',
			email: `hd-${uuidv7()}@example.vn`
		});
		await addMember(db, { orgId: org.id, userId: manager.id, role: 'manager' });
		const deal = await createDealAs(owner.id, { pipelineId, title: 'Bảo trì thang máy tòa B' });
		deal.shard.destroy();
		await setFollowing(db, { orgId: org.id, dealId: deal.id, userId: manager.id, following: true });
		const endsOn = '2031-08-31';
		const contract = (number: string, status: 'active' | 'cancelled' | 'renewed' = 'active') => ({
			orgId: org.id,
			dealId: deal.id,
			number,
			title: 'Bảo trì thang máy',
			value: 120_000_000,
			startsOn: '2030-09-01',
			endsOn,
			noticeDays: 30,
			status,
			createdBy: owner.id
		});
		const [main, cancelled, renewed] = await db
			.insert(contracts)
			.values([contract('HĐ-01'), contract('HĐ-02', 'cancelled'), contract('HĐ-03', 'renewed')])
			.returning({ id: contracts.id });
		let late: string | undefined;

		const firstSeen = new Map<string, string>();
		for (let offset = -33; offset <= 1; offset++) {
			const day = dayOffset(endsOn, offset);
			if (offset === -3) {
				const [row] = await db
					.insert(contracts)
					.values(contract('HĐ-04'))
					.returning({ id: contracts.id });
				late = row!.id;
			}
			// Just after local midnight (the day before in UTC), then in the afternoon.
			for (const at of [hcm(`${day}T00:00:30`), hcm(`${day}T16:00:00`)]) {
				await tick(at);
				for (const n of await notificationsOf(sql`type = 'contract_notice'`)) {
					const seen = `${n.data.contractId as string}:${n.data.kind as string}`;
					if (!firstSeen.has(seen)) firstSeen.set(seen, day);
				}
			}
		}

		expect(firstSeen.get(`${main!.id}:notice`)).toBe(dayOffset(endsOn, -30));
		expect(firstSeen.get(`${main!.id}:week`)).toBe(dayOffset(endsOn, -7));
		expect(firstSeen.get(`${main!.id}:day`)).toBe(endsOn);
		const mainNotices = await notificationsOf(
			sql`type = 'contract_notice' and data->>'contractId' = ${main!.id}`
		);
		for (const userId of [owner.id, manager.id]) {
			const mine = mainNotices.filter((n) => n.user_id === userId);
			expect(mine.map((n) => [n.data.kind, n.data.days])).toEqual([
				['notice', 30],
				['week', 7],
				['day', 0]
			]);
		}
		expect(mainNotices).toHaveLength(6);

		// Entered three days before its end: the 7-day notice (saying 3 days), then the day's.
		const lateNotices = await notificationsOf(
			sql`type = 'contract_notice' and data->>'contractId' = ${late!} and user_id = ${owner.id}`
		);
		expect(lateNotices.map((n) => [n.data.kind, n.data.days])).toEqual([
			['week', 3],
			['day', 0]
		]);
		expect(firstSeen.get(`${late!}:week`)).toBe(dayOffset(endsOn, -3));

		const none = await notificationsOf(
			sql`type = 'contract_notice' and data->>'contractId' in (${cancelled!.id}, ${renewed!.id})`
		);
		expect(none).toHaveLength(0);
		const claims = await db.execute<{ key: string }>(
			sql`select key from notice_sends where key like 'contract:%' and (key like ${`%${cancelled!.id}%`} or key like ${`%${renewed!.id}%`})`
		);
		expect(claims).toHaveLength(0);
	}, 120_000);
});

describe('digests', () => {
	it('list a deal idle by its contact log, not by its last edit, to its owner once a day', async () => {
		const { owner, org, pipelineId } = await orgWithPipeline('Công ty Lâu Chưa Gọi');
		const now = Date.now();
		clock.set(new Date(now));
		const contact = async (dealId: string, at: number) => {
			const log = await stack.open(owner.id, dealDocName(dealId));
			addContact(
				log.doc,
				{ id: uuidv7(), kind: 'call', at, summary: 'Gọi hỏi thăm', createdBy: owner.id },
				{ kind: 'user', userId: owner.id }
			);
			await expect
				.poll(
					async () =>
						(await db.execute(sql`select 1 from deal_activities where deal_id = ${dealId}`)).length
				)
				.toBe(1);
			log.destroy();
		};
		// First stage: 7 rot days. All three were created a month ago.
		const created = now - 30 * DAY;
		const edited = await createDealAs(owner.id, {
			pipelineId,
			title: 'Nhà thép tiền chế',
			at: created
		});
		const recent = await createDealAs(owner.id, {
			pipelineId,
			title: 'Sơn epoxy sàn',
			at: created
		});
		const silent = await createDealAs(owner.id, { pipelineId, title: 'Cửa cuốn kho', at: created });
		await contact(edited.id, now - 20 * DAY);
		await contact(recent.id, now - DAY);
		// Edited yesterday: an edit is not a contact.
		updateDealFields(
			edited.shard.doc,
			{ dealId: edited.id, amount: 95_000_000, at: now - DAY },
			edited.as
		);
		await expect
			.poll(
				async () =>
					(
						await db.execute<{ amount: number }>(
							sql`select amount::float8 as amount from deals where id = ${edited.id}`
						)
					)[0]!.amount
			)
			.toBe(95_000_000);

		await digests.handler({ rt, data: {}, id: 'digests' });
		await digests.handler({ rt, data: {}, id: 'digests' });
		const sent = await notificationsOf(sql`type = 'idle_digest' and org_id = ${org.id}`);
		expect(sent).toHaveLength(1);
		expect(sent[0]!.user_id).toBe(owner.id);
		const items = sent[0]!.data.items as { dealId: string; days: number }[];
		expect(items.map((i) => [i.dealId, i.days]).sort()).toEqual(
			[
				[edited.id, 20],
				[silent.id, 30]
			].sort()
		);

		// The board flags the same deals by the same count, from the copy on each card.
		const stage = readStages((await stack.open(owner.id, pipelineDocName(pipelineId))).doc)[0]!;
		await expect
			.poll(() => readDeal(edited.shard.doc, edited.id)!.lastContactAt)
			.toBe(now - 20 * DAY);
		await expect.poll(() => readDeal(recent.shard.doc, recent.id)!.lastContactAt).toBe(now - DAY);
		const flag = (d: { id: string; shard: { doc: Y.Doc } }) =>
			idleDays({ deal: readDeal(d.shard.doc, d.id)!, stage, now });
		expect([flag(edited), flag(recent), flag(silent)]).toEqual([20, null, 30]);

		// The next day, once more.
		clock.set(new Date(now + DAY));
		await digests.handler({ rt, data: {}, id: 'digests' });
		await digests.handler({ rt, data: {}, id: 'digests' });
		expect(await notificationsOf(sql`type = 'idle_digest' and org_id = ${org.id}`)).toHaveLength(2);
		for (const d of [edited, recent, silent]) d.shard.destroy();
	});

	it('send the contracts digest to owners and managers once per local week', async () => {
		const { owner, org, pipelineId } = await orgWithPipeline('Công ty Tổng Hợp Tuần');
		const manager = await createUser(db, {
			name: 'Vũ Quản Lý',
			email: `tuan-${uuidv7()}@example.vn`
		});
		const rep = await createUser(db, { name: 'Hồ Kinh Doanh', email: `kd-${uuidv7()}@example.vn` });
		await addMember(db, { orgId: org.id, userId: manager.id, role: 'manager' });
		await addMember(db, { orgId: org.id, userId: rep.id, role: 'sales' });
		const deal = await createDealAs(rep.id, { pipelineId, title: 'Vệ sinh công nghiệp' });
		deal.shard.destroy();
		await db.insert(contracts).values({
			orgId: org.id,
			dealId: deal.id,
			number: 'HĐ-T1',
			title: 'Vệ sinh công nghiệp',
			value: 60_000_000,
			startsOn: '2030-09-20',
			endsOn: '2031-09-20',
			createdBy: rep.id
		});
		const weekly = () => notificationsOf(sql`type = 'contracts_digest' and org_id = ${org.id}`);
		const run = async (at: Date) => {
			clock.set(at);
			await digests.handler({ rt, data: {}, id: 'digests' });
		};

		await run(hcm('2031-09-01T08:00:00')); // Monday
		await run(hcm('2031-09-03T08:00:00')); // Wednesday
		await run(hcm('2031-09-07T23:30:00')); // Sunday night
		const first = await weekly();
		expect(first.map((n) => n.user_id).sort()).toEqual([owner.id, manager.id].sort());
		expect(first[0]!.data).toMatchObject({
			week: '2031-09-01',
			items: [{ number: 'HĐ-T1', endsOn: '2031-09-20', dealTitle: 'Vệ sinh công nghiệp' }]
		});

		// Ten past midnight on the next Monday there (still Sunday in UTC): the next week's.
		await run(hcm('2031-09-08T00:10:00'));
		await run(hcm('2031-09-08T08:00:00'));
		const both = await weekly();
		expect(both).toHaveLength(4);
		expect(both.filter((n) => n.user_id === rep.id)).toHaveLength(0);
		expect(both.filter((n) => n.data.week === '2031-09-08')).toHaveLength(2);
	});
});
