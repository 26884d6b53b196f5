import { v7 as uuidv7 } from 'uuid';
import PgBoss from 'pg-boss';
import { createDb } from '$lib/server/db';
import { freePort } from '$lib/server/net';
import { percentile, progress, type Figure } from './figures';
import { spawnServer, stopServer, tempDir, waitFor200 } from './processes';

// The `jobs` area (issue 6): 10,000 task reminders due in the same minute, from the moment they
// are due until the last is in its assignee's notifications, on the production build (one
// process with every role, its embedded PostgreSQL); then the pickup latency of a job (sent
// until its handler starts, from pg-boss's own created_on/started_on) on an idle queue.
const REMINDERS = 10_000;
const USERS = 20;
const PICKUPS = 200;

type Report = (figure: Figure) => void;

export async function jobsBench({ entry, report }: { entry: string; report: Report }) {
	const dataDir = tempDir('chot-bench-jobs-');
	const port = await freePort();
	const pgPort = await freePort();
	const server = spawnServer({
		entry,
		port,
		dataDir,
		env: { CHOT_PG_PORT: String(pgPort), CHOT_SEED_DEMO: 'false' }
	});
	const url = `postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`;
	try {
		await waitFor200({ server, path: '/healthz', since: performance.now(), timeoutMs: 120_000 });
		const { client } = createDb({ url, max: 4 });
		try {
			report(await burst(client));
			report(await pickup(url, client));
		} finally {
			await client.end({ timeout: 5 });
		}
	} finally {
		await stopServer(server);
	}
}

async function burst(sql: ReturnType<typeof createDb>['client']): Promise<Figure> {
	const [org] = await sql<{ id: string }[]>`
		insert into organisations (id, name) values (${uuidv7()}, 'Bench') returning id`;
	const users = Array.from({ length: USERS }, (_, i) => ({
		id: uuidv7(),
		email: `bench-${i}@example.vn`,
		name: `Người ${i}`,
		password_hash: 'x'
	}));
	await sql`insert into users ${sql(users)}`;
	await sql`insert into memberships ${sql(users.map((u) => ({ org_id: org!.id, user_id: u.id, role: 'sales' })))}`;
	// Due times are whole minutes (the task form has no seconds), so reminders fall due on the
	// minute; the scan runs on the minute too. The next minute at least 15 s away:
	const dueAt = new Date(Math.ceil((Date.now() + 15_000) / 60_000) * 60_000);
	for (let i = 0; i < REMINDERS; i += 2000) {
		const rows = Array.from({ length: Math.min(2000, REMINDERS - i) }, (_, j) => ({
			id: uuidv7(),
			org_id: org!.id,
			source: 'own',
			title: `Gọi lại khách ${i + j + 1}`,
			due_at: new Date(dueAt.getTime() + 15 * 60_000).toISOString(),
			remind_before: 15,
			remind_at: dueAt.toISOString(),
			assignee_id: users[(i + j) % USERS]!.id
		}));
		await sql`insert into tasks ${sql(rows)}`;
	}
	progress(`${REMINDERS} reminders due at ${dueAt.toISOString()}; waiting`);
	let last: { n: number; after: number | null } = { n: 0, after: null };
	const deadline = dueAt.getTime() + 600_000;
	while (Date.now() < deadline) {
		const [r] = await sql<{ n: number; after: number | null }[]>`
			select count(*)::int as n,
				extract(epoch from max(created_at) - ${dueAt.toISOString()}::timestamptz)::float8 as after
			from notifications where type = 'task_reminder' and org_id = ${org!.id}`;
		last = r!;
		if (last.n >= REMINDERS) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	const [first] = await sql<{ after: number | null }[]>`
		select extract(epoch from min(created_at) - ${dueAt.toISOString()}::timestamptz)::float8 as after
		from notifications where org_id = ${org!.id}`;
	const seconds = last.after;
	return {
		metric: 'jobs.burst_10k_s',
		value: last.n >= REMINDERS ? seconds : null,
		unit: 's',
		target: '<=60',
		note:
			`${last.n} of ${REMINDERS} task reminders (in-app) for ${USERS} users, all due at one minute: from that minute until the last notification was written` +
			` (scan on the minute's cron, one job per reminder, one worker process); first after ${first?.after?.toFixed(1) ?? '?'} s`
	};
}

async function pickup(url: string, sql: ReturnType<typeof createDb>['client']): Promise<Figure> {
	const boss = new PgBoss({
		connectionString: url,
		schema: 'pgboss',
		supervise: false,
		schedule: false,
		max: 2
	});
	boss.on('error', () => {});
	await boss.start();
	const ids: string[] = [];
	try {
		// Reminders of tasks that do not exist: the handler looks and returns, so what is timed is
		// the queue, not the work.
		for (let i = 0; i < PICKUPS; i++) {
			const taskId = uuidv7();
			// The queue keeps one waiting job per key ('short' policy): each needs its own.
			const id = await boss.send(
				'task-reminder',
				{ taskId, dueAt: new Date().toISOString() },
				{ singletonKey: taskId }
			);
			if (id) ids.push(id);
			await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
		}
		const deadline = Date.now() + 60_000;
		let rows: { ms: number | null }[] = [];
		while (Date.now() < deadline) {
			rows = await sql<{ ms: number | null }[]>`
				select extract(epoch from (started_on - created_on)) * 1000 as ms
				from pgboss.job where id = any(${ids}::uuid[]) and started_on is not null`;
			if (rows.length === ids.length) break;
			await new Promise((r) => setTimeout(r, 250));
		}
		const samples = rows.map((r) => Number(r.ms));
		return {
			metric: 'jobs.pickup_p95_ms',
			value: samples.length === ids.length ? percentile(samples, 95) : null,
			unit: 'ms',
			target: '<=1000',
			note: `${samples.length} of ${ids.length} jobs sent one at a time 20–80 ms apart to an idle queue (worker polling every 0.5 s): created_on to started_on in pg-boss; p50 ${percentile(samples, 50).toFixed(0)} ms`
		};
	} finally {
		await boss.stop({ graceful: false, wait: true });
	}
}
