import { and, eq } from 'drizzle-orm';
import { parse as devalueParse } from 'devalue';
import { generateKeyBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, initPipeline, setPipelineSettings } from '../../../src/lib/board/ops';
import { dealDocName, readTasks } from '../../../src/lib/deal/doc';
import { addTask, editTask, removeTask, setTaskDone } from '../../../src/lib/deal/ops';
import * as session from '../../../src/lib/server/auth/session';
import {
	collabDocuments,
	deals,
	pipelineSettings,
	pipelines,
	tasks
} from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { acked, connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

// Tasks end to end in the production build (deal SPEC D5, D6): tasks written into a deal's
// document over a real Hocuspocus connection reach the `tasks` table with their reminder time,
// follow reschedules and removals; the Công việc page's actions change deal tasks through the
// document (live for an open client) and write tasks of their own; and a rep on an own-only
// pipeline never receives another rep's deal tasks from the page, its data or its actions.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const manager = await createUser(app.db, { name: 'Trần Quản Lý' });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Kế Toán' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });

const cookies = Object.fromEntries(
	await Promise.all(
		Object.entries({ owner, manager, nam, ha, accountant }).map(async ([k, u]) => {
			const { token } = await session.create(app.db, { userId: u.id });
			return [k, `__Host-chot_session=${token}`] as const;
		})
	)
) as Record<'owner' | 'manager' | 'nam' | 'ha' | 'accountant', string>;

async function open(who: keyof typeof cookies, documentName: string) {
	const c = connect({ origin: app.origin, documentName, cookie: cookies[who] });
	await c.synced;
	return c;
}

// "Dự án": reps see only their own deals.
const [ownOnly] = await app.db
	.insert(pipelines)
	.values({ orgId: org.id, name: 'Dự án', position: generateKeyBetween('a0', null) })
	.returning();
{
	const doc = new Y.Doc();
	const origin = { kind: 'server', reason: 'test' } as const;
	initPipeline(
		doc,
		{
			name: 'Dự án',
			stages: [
				{ id: uuidv7(), name: 'Khách mới', color: '#64748b', winProbability: 10, rotDays: 3 }
			]
		},
		origin
	);
	setPipelineSettings(doc, { visibility: 'own' }, origin);
	await app.db
		.insert(collabDocuments)
		.values({ name: pipelineDocName(ownOnly!.id), state: Y.encodeStateAsUpdate(doc) });
}

/** Resolves once `check` holds (setup runs outside tests, where expect.poll is not allowed). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** A deal made by its owner on their board, once the projection has its row. */
async function dealOf(who: 'nam' | 'ha', title: string) {
	const userId = who === 'nam' ? nam.id : ha.id;
	const pipeline = await open(who, pipelineDocName(ownOnly!.id));
	const shard = await open(who, dealsDocName(ownOnly!.id, userId));
	const id = uuidv7();
	createDeal(
		{ pipelineDoc: pipeline.doc, dealDoc: shard.doc },
		{ id, title, stageId: readStages(pipeline.doc)[0]!.id, ownerId: userId },
		{ kind: 'user', userId }
	);
	await acked(shard.provider);
	await until(
		async () => (await app.db.select().from(deals).where(eq(deals.id, id))).length === 1,
		'the deal row'
	);
	pipeline.destroy();
	shard.destroy();
	return id;
}

const namDeal = await dealOf('nam', 'Lắp camera kho Bình Dương');
const haDeal = await dealOf('ha', 'Bí mật của Hà: hợp đồng thang máy');
await until(
	async () =>
		(
			await app.db
				.select({ v: pipelineSettings.visibility })
				.from(pipelineSettings)
				.where(eq(pipelineSettings.pipelineId, ownOnly!.id))
		)[0]?.v === 'own',
	"the pipeline's settings row"
);

const row = async (id: string) => (await app.db.select().from(tasks).where(eq(tasks.id, id)))[0];
const as = (userId: string) => ({ kind: 'user', userId }) as const;
// 09:00 on 2 March 2030 in Hồ Chí Minh City.
const due = Date.UTC(2030, 2, 2, 2, 0);

describe('[D6] deal tasks as rows', () => {
	it('projects a task added over the socket with its reminder time, follows a reschedule, a tick and a removal', async () => {
		const c = await open('nam', dealDocName(namDeal));
		const id = uuidv7();
		addTask(
			c.doc,
			{
				id,
				title: 'Gọi lại anh Minh <báo giá>',
				dueAt: due,
				remindBefore: 60,
				assigneeId: nam.id,
				createdBy: nam.id
			},
			as(nam.id)
		);
		await acked(c.provider);
		await expect
			.poll(() => row(id), { timeout: 10_000 })
			.toMatchObject({
				orgId: org.id,
				source: 'deal',
				dealId: namDeal,
				title: 'Gọi lại anh Minh <báo giá>',
				dueAt: new Date(due),
				remindBefore: 60,
				remindAt: new Date(due - 60 * 60_000),
				assigneeId: nam.id,
				createdBy: nam.id,
				doneAt: null,
				deletedAt: null
			});

		// Rescheduled a day later with a reminder 15 minutes before.
		editTask(c.doc, { id, dueAt: due + 86_400_000, remindBefore: 15 }, as(nam.id));
		await expect
			.poll(async () => (await row(id))?.remindAt, { timeout: 10_000 })
			.toEqual(new Date(due + 86_400_000 - 15 * 60_000));

		// Someone outside the organisation assigns nobody.
		editTask(c.doc, { id, assigneeId: outsider.id }, as(nam.id));
		await expect.poll(async () => (await row(id))?.assigneeId, { timeout: 10_000 }).toBeNull();

		setTaskDone(c.doc, { id, done: true, by: nam.id, at: due }, as(nam.id));
		await expect
			.poll(async () => (await row(id))?.doneAt, { timeout: 10_000 })
			.toEqual(new Date(due));

		removeTask(c.doc, { id }, as(nam.id));
		await expect.poll(() => row(id), { timeout: 10_000 }).toBeUndefined();
		c.destroy();
	});

	it('leaves a task of its own alone when a deal document claims its id', async () => {
		const id = uuidv7();
		await app.db.insert(tasks).values({
			id,
			orgId: org.id,
			source: 'own',
			title: 'Việc riêng',
			dueAt: new Date(due),
			remindAt: new Date(due),
			createdBy: nam.id
		});
		const c = await open('nam', dealDocName(namDeal));
		addTask(
			c.doc,
			{ id, title: 'Mạo danh', dueAt: 1, remindBefore: 0, createdBy: nam.id },
			as(nam.id)
		);
		await acked(c.provider);
		// A later task shows the flush ran.
		const later = uuidv7();
		addTask(
			c.doc,
			{ id: later, title: 'Sau', dueAt: due, remindBefore: 0, createdBy: nam.id },
			as(nam.id)
		);
		await expect.poll(() => row(later), { timeout: 10_000 }).toBeDefined();
		expect(await row(id)).toMatchObject({ source: 'own', title: 'Việc riêng', dealId: null });
		removeTask(c.doc, { id }, as(nam.id));
		removeTask(c.doc, { id: later }, as(nam.id));
		await expect.poll(() => row(later), { timeout: 10_000 }).toBeUndefined();
		expect(await row(id)).toMatchObject({ source: 'own', title: 'Việc riêng' });
		c.destroy();
	});
});

// --- The Công việc page ---------------------------------------------------------------------

const base = `/o/${org.id}/tasks`;

async function action(who: keyof typeof cookies, name: string, fields: Record<string, string>) {
	const res = await app.fetch(`${base}?/${name}`, {
		method: 'POST',
		body: new URLSearchParams(fields),
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			cookie: cookies[who]
		}
	});
	const body = (await res.json()) as { type: string; status?: number; data?: string };
	return {
		type: body.type,
		status: body.type === 'error' ? res.status : (body.status ?? res.status),
		data: body.data ? (devalueParse(body.data) as Record<string, unknown>) : null
	};
}

async function pageData(who: keyof typeof cookies, query = '') {
	const res = await app.fetch(`${base}/__data.json${query}`, { headers: { cookie: cookies[who] } });
	expect(res.status).toBe(200);
	return res.text();
}

async function pageHtml(who: keyof typeof cookies, query = '') {
	const res = await app.fetch(`${base}${query}`, {
		headers: { cookie: cookies[who], accept: 'text/html' }
	});
	expect(res.status).toBe(200);
	return res.text();
}

describe('the Công việc page', () => {
	const secret = { unassigned: uuidv7(), toNam: uuidv7() };
	const mine = uuidv7();

	it("never gives a rep on an own-only pipeline another rep's deal tasks, even one assigned to them", async () => {
		const haDoc = await open('ha', dealDocName(haDeal));
		addTask(
			haDoc.doc,
			{
				id: secret.unassigned,
				title: 'Việc kín của Hà',
				dueAt: due,
				remindBefore: 0,
				createdBy: ha.id
			},
			as(ha.id)
		);
		addTask(
			haDoc.doc,
			{
				id: secret.toNam,
				title: 'Việc kín giao cho Nam',
				dueAt: due,
				remindBefore: 0,
				assigneeId: nam.id,
				createdBy: ha.id
			},
			as(ha.id)
		);
		const namDoc = await open('nam', dealDocName(namDeal));
		addTask(
			namDoc.doc,
			{
				id: mine,
				title: 'Việc của Nam',
				dueAt: due,
				remindBefore: 15,
				assigneeId: nam.id,
				createdBy: nam.id
			},
			as(nam.id)
		);
		await Promise.all([acked(haDoc.provider), acked(namDoc.provider)]);
		await expect.poll(() => row(secret.toNam), { timeout: 10_000 }).toBeDefined();
		await expect.poll(() => row(mine), { timeout: 10_000 }).toBeDefined();
		haDoc.destroy();
		namDoc.destroy();

		for (const query of [
			'',
			'?assignee=all',
			`?assignee=${nam.id}`,
			`?assignee=${ha.id}`,
			'?view=week&week=2030-03-02'
		]) {
			const data = await pageData('nam', query);
			const html = await pageHtml('nam', query);
			for (const text of [data, html]) {
				expect(text).not.toContain('Việc kín');
				expect(text).not.toContain('Bí mật của Hà');
				expect(text).not.toContain(secret.toNam);
			}
		}
		expect(await pageHtml('nam', '?assignee=all')).toContain('Việc của Nam');
		expect(await pageHtml('nam', '?view=week&week=2030-03-02')).toContain('Việc của Nam');
		// Ha and the manager see Ha's tasks; the manager sees Nam's too.
		expect(await pageHtml('ha', '?assignee=all')).toContain('Việc kín giao cho Nam');
		const managers = await pageHtml('manager', '?assignee=all');
		expect(managers).toContain('Việc kín của Hà');
		expect(managers).toContain('Việc của Nam');

		// Nor can the rep act on them: the answer is the same as for a task that does not exist.
		for (const [name, fields] of [
			['done', { id: secret.toNam, done: '1' }],
			['delete', { id: secret.toNam }],
			[
				'edit',
				{
					id: secret.toNam,
					title: 'x',
					dueDate: '2030-03-02',
					dueTime: '09:00',
					remindBefore: '0',
					assigneeId: ''
				}
			]
		] as const) {
			expect(await action('nam', name, fields)).toMatchObject({ type: 'failure', status: 404 });
		}
		expect(await row(secret.toNam)).toMatchObject({ doneAt: null, title: 'Việc kín giao cho Nam' });
	});

	it("ticks and reschedules a deal task through the deal's document, live for an open client", async () => {
		const watcher = await open('nam', dealDocName(namDeal));
		const ticked = await action('nam', 'done', { id: mine, done: '1' });
		expect(ticked).toMatchObject({ type: 'success' });
		await expect
			.poll(() => readTasks(watcher.doc).find((t) => t.id === mine), { timeout: 5000 })
			.toMatchObject({ doneBy: nam.id });
		expect((await row(mine))?.doneAt).toBeInstanceOf(Date);

		const edited = await action('nam', 'edit', {
			id: mine,
			title: 'Việc của Nam (dời lịch)',
			dueDate: '2030-03-05',
			dueTime: '14:30',
			remindBefore: '1440',
			assigneeId: nam.id
		});
		expect(edited).toMatchObject({ type: 'success' });
		const moved = Date.UTC(2030, 2, 5, 7, 30);
		await expect
			.poll(() => readTasks(watcher.doc).find((t) => t.id === mine), { timeout: 5000 })
			.toMatchObject({
				title: 'Việc của Nam (dời lịch)',
				dueAt: moved,
				remindBefore: 1440
			});
		// The action answers once the row is written: the page that asked reads its own change.
		expect(await row(mine)).toMatchObject({
			title: 'Việc của Nam (dời lịch)',
			dueAt: new Date(moved),
			remindAt: new Date(moved - 86_400_000)
		});
		// On an own-only pipeline, another rep cannot be given the deal's task.
		expect(
			await action('nam', 'edit', {
				id: mine,
				title: 'x',
				dueDate: '2030-03-05',
				dueTime: '14:30',
				remindBefore: '0',
				assigneeId: ha.id
			})
		).toMatchObject({
			status: 400,
			data: { errors: { assigneeId: { key: 'tasks.error.assignee' } } }
		});
		watcher.destroy();
	});

	it('writes tasks of their own, refusing bad input in the user’s language and keeping what was typed', async () => {
		const res = await app.fetch(`${base}?/create`, {
			method: 'POST',
			body: new URLSearchParams({
				title: 'Chuẩn bị hồ sơ thầu',
				dueDate: '2030-02-30',
				dueTime: '25:00',
				remindBefore: '30',
				assigneeId: ''
			}),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				cookie: cookies.nam
			}
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Chọn một ngày hợp lệ.');
		expect(html).toContain('Chọn giờ hợp lệ (VD: 09:30).');
		expect(html).toContain('Chọn thời điểm nhắc trong danh sách.');
		expect(html).toContain('Chuẩn bị hồ sơ thầu');

		const made = await action('nam', 'create', {
			title: '  Chuẩn bị hồ sơ thầu  ',
			dueDate: '2030-03-03',
			dueTime: '08:00',
			remindBefore: '60',
			assigneeId: ''
		});
		expect(made).toMatchObject({ type: 'success' });
		const [own] = await app.db
			.select()
			.from(tasks)
			.where(and(eq(tasks.orgId, org.id), eq(tasks.title, 'Chuẩn bị hồ sơ thầu')));
		expect(own).toMatchObject({
			source: 'own',
			dealId: null,
			createdBy: nam.id,
			assigneeId: null,
			dueAt: new Date(Date.UTC(2030, 2, 3, 1, 0)),
			remindAt: new Date(Date.UTC(2030, 2, 3, 0, 0))
		});
		// Hà neither sees nor changes Nam's task of his own; the manager does both.
		expect(await pageHtml('ha', '?assignee=all')).not.toContain('Chuẩn bị hồ sơ thầu');
		expect(await action('ha', 'done', { id: own!.id, done: '1' })).toMatchObject({ status: 404 });
		expect(await action('manager', 'done', { id: own!.id, done: '1' })).toMatchObject({
			type: 'success'
		});
		expect(await action('nam', 'delete', { id: own!.id })).toMatchObject({ type: 'success' });
		expect(await row(own!.id)).toMatchObject({ deletedAt: expect.any(Date) });
		expect(await pageHtml('nam', '?assignee=all&done=1')).not.toContain('Chuẩn bị hồ sơ thầu');
	});

	it('lets accountants read and refuses them every action', async () => {
		expect(await pageHtml('accountant', '?assignee=all')).toContain('Việc kín của Hà');
		expect(
			await action('accountant', 'create', {
				title: 'x',
				dueDate: '2030-03-03',
				dueTime: '08:00',
				remindBefore: '0',
				assigneeId: ''
			})
		).toMatchObject({ status: 403 });
		expect(await action('accountant', 'done', { id: mine, done: '0' })).toMatchObject({
			status: 403
		});
	});
});
