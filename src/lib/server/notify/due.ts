import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { cardField, dealsDocName, dealsMap } from '$lib/board/doc';
import { setStatus } from '$lib/board/deal-ops';
import type { Origin } from '$lib/board/origin';
import { dispatchInTx } from '../mail/mail';
import type { Runtime } from '../runtime';
import { now as clockNow } from '../clock';
import type { NotificationChannel } from '../db/schema';
import { defaultChannels, mailNotification, tellOnce } from './notify';
import { followersOf } from './followers';

// Everything that is due at a time (issue 6): task reminders, standby deals coming back, contract
// notices. State-driven, not clock-driven: a scan lists what is due by `now` and not yet claimed
// in notice_sends, and one small job per item claims it and tells people in one transaction. A
// scan missed during downtime is caught up by the next one; a job run twice finds its key
// claimed and does nothing; a reschedule is a new key, so the reminder is armed again.

type Rt = Pick<Runtime, 'db' | 'boss' | 'log' | 'config' | 'changeDoc'>;

export const taskKey = (taskId: string, dueAt: Date) => `task:${taskId}:${dueAt.getTime()}`;
export const standbyKey = (dealId: string, until: string) => `standby:${dealId}:${until}`;
export const contractKey = (contractId: string, kind: ContractNoticeKind, endsOn: string) =>
	`contract:${contractId}:${kind}:${endsOn}`;

export type ContractNoticeKind = 'notice' | 'week' | 'day';

export type TaskReminderJob = { taskId: string; dueAt: string };
export type StandbyReopenJob = { dealId: string; until: string };
export type ContractNoticeJob = { contractId: string; kind: ContractNoticeKind; endsOn: string };

export type DueItems = {
	reminders: TaskReminderJob[];
	standby: StandbyReopenJob[];
	contracts: ContractNoticeJob[];
};

/** What is due at `at` and not yet done, at most `limit` of each kind. */
export async function scanDue(
	db: Rt['db'],
	{ at = clockNow(), limit = 20_000 }: { at?: Date; limit?: number } = {}
): Promise<DueItems> {
	const iso = at.toISOString();
	const reminders = await db.execute<{ id: string; due_at: string }>(sql`
		select t.id, t.due_at from tasks t
		where t.done_at is null and t.deleted_at is null and t.assignee_id is not null
			and t.remind_at <= ${iso}::timestamptz
			and not exists (select 1 from notice_sends n
				where n.key = 'task:' || t.id || ':' || (extract(epoch from t.due_at) * 1000)::bigint)
		order by t.remind_at limit ${limit}`);
	const standby = await db.execute<{ id: string; standby_until: string }>(sql`
		select d.id, d.standby_until::text from deals d
		join organisations o on o.id = d.org_id
		where d.status = 'standby'
			and coalesce(d.standby_until, 'infinity'::date)
				<= (${iso}::timestamptz at time zone o.time_zone)::date
		order by d.standby_until limit ${limit}`);
	// The notice that applies today is the latest one whose day has come: a contract entered
	// three days before its end gets the 7-day notice now, not the 30-day one as well. A notice
	// period of exactly 7 days is the 7-day notice.
	const contracts = await db.execute<{ id: string; kind: ContractNoticeKind; ends_on: string }>(sql`
		with today as (
			select c.id, c.ends_on, c.notice_days,
				(${iso}::timestamptz at time zone o.time_zone)::date as day
			from contracts c join organisations o on o.id = c.org_id
			where c.status = 'active' and c.ends_on is not null
		), current as (
			select id, ends_on::text, case
				when day >= ends_on then 'day'
				when notice_days < 7 and day >= ends_on - notice_days then 'notice'
				when day >= ends_on - 7 then 'week'
				when notice_days > 7 and day >= ends_on - notice_days then 'notice'
			end as kind
			from today where day <= ends_on
		)
		select id, kind, ends_on from current c
		where kind is not null
			and not exists (select 1 from notice_sends n
				where n.key = 'contract:' || c.id || ':' || c.kind || ':' || c.ends_on)
		limit ${limit}`);
	return {
		reminders: reminders.map((r) => ({ taskId: r.id, dueAt: new Date(r.due_at).toISOString() })),
		standby: standby.map((d) => ({ dealId: d.id, until: d.standby_until })),
		contracts: contracts.map((c) => ({ contractId: c.id, kind: c.kind, endsOn: c.ends_on }))
	};
}

/**
 * The reminders of tasks at their due times (issue 6, Reminders): each to its assignee, once.
 * Skips a task done, removed or rescheduled since the scan (the new due time has its own key) or
 * whose time has not come by the clock. Set-based, one transaction per batch of jobs: 10,000
 * reminders falling due in the same minute are a few hundred statements, not 50,000. Returns
 * how many were told.
 */
export async function remindTasks(rt: Rt, jobs: TaskReminderJob[]): Promise<number> {
	if (jobs.length === 0) return 0;
	const at = clockNow().toISOString();
	return rt.db.transaction(async (tx) => {
		const told = await tx.execute<{
			id: string;
			org_id: string;
			user_id: string;
			data: Record<string, unknown>;
			link: string;
			channel: NotificationChannel;
		}>(sql`
			with wanted as (
				-- postgres.js sends uuid and text arrays; the due times travel as text.
				select task_id, due_text::timestamptz as due_at
				from unnest(${sql.param(jobs.map((j) => j.taskId))}::uuid[],
					${sql.param(jobs.map((j) => j.dueAt))}::text[]) as w(task_id, due_text)
			), due as (
				select distinct on (t.id) t.id, t.org_id, t.deal_id, t.title, t.due_at, t.assignee_id,
					d.title as deal_title,
					'task:' || t.id || ':' || (extract(epoch from t.due_at) * 1000)::bigint as key
				from wanted w
				-- Jobs carry milliseconds; a due time written by SQL may hold microseconds.
				join tasks t on t.id = w.task_id and date_trunc('milliseconds', t.due_at) = w.due_at
				left join deals d on d.id = t.deal_id
				where t.done_at is null and t.deleted_at is null and t.assignee_id is not null
					and t.remind_at <= ${at}::timestamptz
			), claimed as (
				insert into notice_sends (key, org_id) select key, org_id from due
				on conflict do nothing returning key
			), wanting as (
				select due.*, coalesce(p.channel, ${defaultChannels.task_reminder}) as channel
				from due join claimed using (key)
				left join notification_prefs p
					on p.user_id = due.assignee_id and p.type = 'task_reminder'
			), inserted as (
				insert into notifications (id, org_id, user_id, type, key, deal_id, data, link)
				select gen_random_uuid(), org_id, assignee_id, 'task_reminder', key, deal_id,
					jsonb_build_object('taskId', id, 'title', title, 'dealTitle', deal_title,
						'dueAt', to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
					case when deal_id is null then '/o/' || org_id || '/tasks'
						else '/o/' || org_id || '/deals/' || deal_id end
				from wanting where channel <> 'off'
				on conflict (user_id, key) do nothing
				returning id, org_id, user_id, data, link, key
			)
			select i.id, i.org_id, i.user_id, i.data, i.link, w.channel
			from inserted i join wanting w using (key)`);
		for (const n of told) {
			if (n.channel !== 'email') continue;
			const emailId = await mailNotification(tx, {
				notificationId: n.id,
				origin: rt.config.origin,
				orgId: n.org_id,
				userId: n.user_id,
				type: 'task_reminder',
				data: n.data,
				link: n.link
			});
			if (emailId) await dispatchInTx(rt.boss, tx, emailId);
		}
		return told.length;
	});
}

export async function remindTask(rt: Rt, job: TaskReminderJob): Promise<boolean> {
	return (await remindTasks(rt, [job])) > 0;
}

/**
 * A standby deal whose date has come returns to the board, open in the stage it was in
 * (issue 6). Its owner and followers are told first, under a once-only key, then the card is
 * changed through the collab server; a crash between the two leaves the deal still on standby,
 * so the next scan changes it without telling anyone twice.
 */
export async function reopenStandby(rt: Rt, job: StandbyReopenJob): Promise<boolean> {
	const [deal] = await rt.db.execute<{
		id: string;
		org_id: string;
		pipeline_id: string;
		owner_id: string;
		title: string;
		ok: boolean;
	}>(sql`
		select d.id, d.org_id, d.pipeline_id, d.owner_id, d.title,
			d.standby_until <= (${clockNow().toISOString()}::timestamptz at time zone o.time_zone)::date
				as ok
		from deals d join organisations o on o.id = d.org_id
		where d.id = ${job.dealId} and d.status = 'standby' and d.standby_until = ${job.until}::date`);
	if (!deal || !deal.ok) return false;
	await rt.db.transaction(async (tx) =>
		tellOnce(rt, tx, {
			key: standbyKey(deal.id, job.until),
			orgId: deal.org_id,
			userIds: await followersOf(tx, { dealId: deal.id }),
			notice: {
				type: 'standby_reopened',
				dealId: deal.id,
				data: { dealTitle: deal.title, until: job.until },
				link: `/o/${deal.org_id}/deals/${deal.id}`
			}
		})
	);
	const origin: Origin = { kind: 'job', job: 'standby-reopen' };
	return rt.changeDoc(dealsDocName(deal.pipeline_id, deal.owner_id), (doc: Y.Doc) => {
		const card = dealsMap(doc).get(deal.id);
		if (!(card instanceof Y.Map)) return false;
		if (cardField(card, 'status') !== 'standby' || cardField(card, 'standbyUntil') !== job.until)
			return false;
		setStatus(doc, { dealId: deal.id, status: 'open' }, origin);
		return true;
	});
}

/** One contract notice (renewal-notice days before the end, 7 days before, on the day). */
export async function noticeContract(rt: Rt, job: ContractNoticeJob): Promise<boolean> {
	const sent = await rt.db.transaction(async (tx) => {
		const [c] = await tx.execute<{
			id: string;
			org_id: string;
			deal_id: string;
			number: string;
			days_left: number;
			deal_title: string | null;
		}>(sql`
			select c.id, c.org_id, c.deal_id, c.number, d.title as deal_title,
				c.ends_on - (${clockNow().toISOString()}::timestamptz at time zone o.time_zone)::date
					as days_left
			from contracts c join organisations o on o.id = c.org_id
			left join deals d on d.id = c.deal_id
			where c.id = ${job.contractId} and c.status = 'active' and c.ends_on = ${job.endsOn}::date`);
		if (!c) return false;
		// The days actually left, not the notice's nominal ones: a contract entered 3 days before
		// its end gets the 7-day notice, and a notice delayed by downtime is late; either must not
		// say "7 days" (or "30 days") when fewer remain.
		const days = job.kind === 'day' ? 0 : Math.max(0, c.days_left);
		return tellOnce(rt, tx, {
			key: contractKey(c.id, job.kind, job.endsOn),
			orgId: c.org_id,
			userIds: await followersOf(tx, { dealId: c.deal_id }),
			notice: {
				type: 'contract_notice',
				dealId: c.deal_id,
				data: {
					contractId: c.id,
					number: c.number,
					kind: job.kind,
					days,
					endsOn: job.endsOn,
					dealTitle: c.deal_title
				},
				link: `/o/${c.org_id}/contracts`
			}
		});
	});
	return sent;
}
