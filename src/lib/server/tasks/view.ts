import { z } from 'zod';
import { assignable, taskRights } from '$lib/tasks/access';
import { addDays, isDay, mondayOf, startOfDay, zonedDay } from '$lib/tasks/time';
import type { TaskView } from '$lib/tasks/types';
import type { Role } from '../db/schema';
import type { TaskRow, Viewer } from './tasks.repo';

// What the "Công việc" page shows: its query (view, assignee, week, done) and each task as the
// page draws it, with what the viewer may do to it.

const query = z.object({
	view: z.enum(['list', 'week']).catch('list'),
	assignee: z
		.union([z.enum(['all', 'none']), z.uuid()])
		.optional()
		.catch(undefined),
	week: z
		.string()
		.refine((d) => isDay(d))
		.optional()
		.catch(undefined),
	done: z.literal('1').optional().catch(undefined)
});

export type TasksQuery = {
	view: 'list' | 'week';
	/** `all`, `none` or a user id. */
	assignee: string;
	/** The Monday of the week shown. */
	monday: string;
	showDone: boolean;
};

/** The page's query; what cannot be read falls back to the default (a rep sees their own). */
export function parseTasksQuery(
	params: URLSearchParams,
	{ viewer, timeZone, now }: { viewer: Viewer; timeZone: string; now: number }
): TasksQuery {
	const q = query.parse(Object.fromEntries(params));
	return {
		view: q.view,
		assignee: q.assignee ?? (viewer.role === 'sales' ? viewer.userId : 'all'),
		monday: mondayOf(q.week ?? zonedDay(now, timeZone)),
		showDone: q.done === '1'
	};
}

export function weekRange(monday: string, timeZone: string) {
	return {
		from: new Date(startOfDay(monday, timeZone)),
		to: new Date(startOfDay(addDays(monday, 7), timeZone))
	};
}

export function toView(
	row: TaskRow,
	{ viewer, members }: { viewer: Viewer; members: { id: string; role: Role }[] }
): TaskView {
	const rights = taskRights(row, viewer);
	const onDeal = row.source === 'deal' && row.dealOwnerId !== null;
	return {
		id: row.id,
		source: row.source,
		title: row.title,
		dueAt: row.dueAt.getTime(),
		remindBefore: row.remindBefore,
		assigneeId: row.assigneeId,
		assigneeName: row.assigneeName,
		doneAt: row.doneAt?.getTime() ?? null,
		deal:
			onDeal && row.dealId && row.pipelineId
				? { id: row.dealId, title: row.dealTitle ?? '', pipelineId: row.pipelineId }
				: null,
		edit: rights.edit,
		tick: rights.tick,
		assignees:
			onDeal && row.visibility === 'own'
				? assignable(members, { ownerId: row.dealOwnerId!, visibility: 'own' }).map((m) => m.id)
				: null
	};
}
