import { fail, type RequestEvent } from '@sveltejs/kit';
import { v7 as uuidv7 } from 'uuid';
import { parseForm, type FieldErrors } from '$lib/forms/validate';
import type { MessageKey } from '$lib/i18n';
import { requireMember } from '$lib/server/auth/guards';
import type { Role } from '$lib/server/db/schema';
import * as members from '$lib/server/orgs/members.repo';
import { runtime } from '$lib/server/runtime';
import { changeDealTask } from '$lib/server/tasks/deal-tasks';
import {
	createTaskSchema,
	doneSchema,
	editTaskSchema,
	taskIdSchema,
	type TaskAction,
	type TaskFormResult
} from '$lib/server/tasks/forms';
import * as tasks from '$lib/server/tasks/tasks.repo';
import { parseTasksQuery, toView, weekRange } from '$lib/server/tasks/view';
import { assignable, taskRights } from '$lib/tasks/access';
import { zonedToEpoch } from '$lib/tasks/time';
import type { Actions, PageServerLoad } from './$types';

// "Công việc": the member's tasks (deal SPEC D6) as a list (overdue, today, next 7 days, later,
// and done ones on request) or a week, filtered by assignee. Tasks of their own are written here;
// deal tasks go through their deal's document.

export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	// Read again by the page when it comes back into view (+page.svelte).
	event.depends('chot:tasks');
	const { db } = runtime();
	const viewer = { orgId: org.id, userId: user.id, role };
	const now = Date.now();
	const query = parseTasksQuery(event.url.searchParams, { viewer, timeZone: org.timeZone, now });
	const people = await workers(viewer.orgId);
	const list = (range: Parameters<typeof tasks.list>[1]['range']) =>
		tasks.list(db, { viewer, assignee: query.assignee, range });
	const [open, done] =
		query.view === 'week'
			? [await list(weekRange(query.monday, org.timeZone)), null]
			: await Promise.all([list({ open: true }), query.showDone ? list({ done: true }) : null]);
	const view = (r: tasks.TaskRow) => toView(r, { viewer, members: people });
	return {
		query,
		now,
		tasks: open.map(view),
		done: done?.map(view) ?? null,
		more: open.length >= tasks.LIST_LIMIT,
		limit: tasks.LIST_LIMIT,
		members: people.map(({ id, name }) => ({ id, name })),
		me: { id: user.id, name: user.name },
		canCreate: role !== 'accountant'
	};
};

/** Members who may be given tasks: everyone but accountants, who only read. */
async function workers(orgId: string) {
	const all = await members.list(runtime().db, { orgId });
	return all
		.filter((m) => m.role !== 'accountant')
		.map((m) => ({ id: m.userId, name: m.name, role: m.role as Role }));
}

type Event = RequestEvent<{ orgId: string }>;
const refuse = (status: number, result: TaskFormResult) => fail(status, result);
const ok = (result: TaskFormResult): TaskFormResult => result;
const formError = (action: TaskAction, id: string | undefined, key: MessageKey) =>
	({ action, id, errors: { _form: { key } } }) satisfies TaskFormResult;

/** The member acting: accountants only read. */
async function actor(event: Event) {
	const { user, org, role } = await requireMember(event, { roles: ['owner', 'manager', 'sales'] });
	return { user, org, viewer: { orgId: org.id, userId: user.id, role } };
}

/** What was typed, to show again with the messages. */
const typed = (body: FormData) =>
	Object.fromEntries([...body].filter((e): e is [string, string] => typeof e[1] === 'string'));

// The due day and time as typed, read on the organisation's clock.
const dueAtOf = (data: { dueDate: string; dueTime: string }, timeZone: string) =>
	zonedToEpoch(data.dueDate, data.dueTime, timeZone);

export const actions: Actions = {
	create: async (event) => {
		const { user, org } = await actor(event);
		const body = await event.request.formData();
		const parsed = parseForm(createTaskSchema, body);
		if (!parsed.ok) {
			return refuse(400, { action: 'create', errors: parsed.errors, values: parsed.values });
		}
		const { title, remindBefore, assigneeId } = parsed.data;
		const dueAt = dueAtOf(parsed.data, org.timeZone);
		const people = await workers(org.id);
		const errors: FieldErrors = {};
		if (dueAt === null) errors.dueDate = { key: 'tasks.error.dueDate' };
		if (assigneeId && !people.some((m) => m.id === assigneeId))
			errors.assigneeId = { key: 'tasks.error.assignee' };
		if (Object.keys(errors).length) {
			return refuse(400, { action: 'create', errors, values: typed(body) });
		}
		await tasks.createOwn(runtime().db, {
			orgId: org.id,
			id: uuidv7(),
			createdBy: user.id,
			input: { title, dueAt: new Date(dueAt!), remindBefore, assigneeId }
		});
		return ok({ action: 'create', notice: { key: 'tasks.added', params: { title } } });
	},

	edit: async (event) => {
		const { user, org, viewer } = await actor(event);
		const body = await event.request.formData();
		const parsed = parseForm(editTaskSchema, body);
		if (!parsed.ok) {
			const id = parsed.values.id;
			return refuse(400, { action: 'edit', id, errors: parsed.errors, values: parsed.values });
		}
		const { id, title, remindBefore, assigneeId } = parsed.data;
		const { db } = runtime();
		const task = await tasks.find(db, { viewer, id });
		if (!task) return refuse(404, formError('edit', id, 'tasks.error.gone'));
		if (!taskRights(task, viewer).edit) {
			return refuse(403, formError('edit', id, 'tasks.error.forbidden'));
		}
		const dueAt = dueAtOf(parsed.data, org.timeZone);
		const people = await workers(org.id);
		const allowed =
			task.source === 'deal' && task.dealOwnerId
				? assignable(people, { ownerId: task.dealOwnerId, visibility: task.visibility })
				: people;
		const errors: FieldErrors = {};
		if (dueAt === null) errors.dueDate = { key: 'tasks.error.dueDate' };
		// Keeping whoever it is given to now is always fine, even someone who left.
		if (assigneeId && assigneeId !== task.assigneeId && !allowed.some((m) => m.id === assigneeId))
			errors.assigneeId = { key: 'tasks.error.assignee' };
		if (Object.keys(errors).length) {
			return refuse(400, { action: 'edit', id, errors, values: typed(body) });
		}
		const input = { title, dueAt: dueAt!, remindBefore, assigneeId };
		const outcome =
			task.source === 'deal'
				? await changeDealTask(runtime(), {
						dealId: task.dealId!,
						id,
						change: { kind: 'edit', input },
						userId: user.id
					})
				: (await tasks.updateOwn(db, {
							orgId: org.id,
							id,
							input: { ...input, dueAt: new Date(dueAt!) }
					  }))
					? 'ok'
					: 'gone';
		if (outcome === 'gone') return refuse(404, formError('edit', id, 'tasks.error.gone'));
		return ok({ action: 'edit', id, notice: { key: 'tasks.saved' } });
	},

	done: async (event) => {
		const { user, org, viewer } = await actor(event);
		const parsed = parseForm(doneSchema, await event.request.formData());
		if (!parsed.ok) return refuse(400, formError('done', undefined, 'form.invalid'));
		const { id } = parsed.data;
		const done = parsed.data.done === '1';
		const { db } = runtime();
		const task = await tasks.find(db, { viewer, id });
		if (!task) return refuse(404, formError('done', id, 'tasks.error.gone'));
		if (!taskRights(task, viewer).tick) {
			return refuse(403, formError('done', id, 'tasks.error.forbidden'));
		}
		const outcome =
			task.source === 'deal'
				? await changeDealTask(runtime(), {
						dealId: task.dealId!,
						id,
						change: { kind: 'done', done },
						userId: user.id
					})
				: (await tasks.setOwnDone(db, { orgId: org.id, id, done }))
					? 'ok'
					: 'gone';
		if (outcome === 'gone') return refuse(404, formError('done', id, 'tasks.error.gone'));
		return ok({
			action: 'done',
			id,
			notice: { key: done ? 'tasks.doneNotice' : 'tasks.reopened', params: { title: task.title } }
		});
	},

	delete: async (event) => {
		const { user, org, viewer } = await actor(event);
		const parsed = parseForm(taskIdSchema, await event.request.formData());
		if (!parsed.ok) return refuse(400, formError('delete', undefined, 'form.invalid'));
		const { id } = parsed.data;
		const { db } = runtime();
		const task = await tasks.find(db, { viewer, id });
		if (!task) return refuse(404, formError('delete', id, 'tasks.error.gone'));
		if (!taskRights(task, viewer).edit) {
			return refuse(403, formError('delete', id, 'tasks.error.forbidden'));
		}
		const outcome =
			task.source === 'deal'
				? await changeDealTask(runtime(), {
						dealId: task.dealId!,
						id,
						change: { kind: 'remove' },
						userId: user.id
					})
				: (await tasks.deleteOwn(db, { orgId: org.id, id }))
					? 'ok'
					: 'gone';
		if (outcome === 'gone') return refuse(404, formError('delete', id, 'tasks.error.gone'));
		return ok({ action: 'delete', id, notice: { key: 'tasks.deleted' } });
	}
};
