import { and, asc, desc, eq, gte, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db';
import { deals, pipelineSettings, tasks, users, type Role } from '../db/schema';
import { visibleDeals } from '../deals/visibility';

// The `tasks` table as the "Công việc" page reads and writes it. Deal tasks are only read here
// (their writes go through the deal document, deal-tasks.ts); tasks of their own are written
// here directly, soft-deleted so a reminder already in flight finds the row.

export type Viewer = { orgId: string; userId: string; role: Role };
/** `all`, `none` (nobody assigned) or a user id. */
export type AssigneeFilter = string;

/**
 * What a member may see (deal SPEC D6): deal tasks of deals `visibleDeals` shows them, and tasks
 * of their own: all of them for owners, managers and accountants, those a rep created or was
 * given otherwise. A deal task whose deal is gone (no row) shows to nobody.
 */
export function visibleTasks(viewer: Viewer): SQL {
	const own =
		viewer.role === 'sales'
			? and(
					eq(tasks.source, 'own'),
					or(eq(tasks.assigneeId, viewer.userId), eq(tasks.createdBy, viewer.userId))
				)
			: eq(tasks.source, 'own');
	return and(
		eq(tasks.orgId, viewer.orgId),
		isNull(tasks.deletedAt),
		or(own, and(eq(tasks.source, 'deal'), isNotNull(deals.id), visibleDeals(viewer)))
	)!;
}

const columns = {
	id: tasks.id,
	source: tasks.source,
	dealId: tasks.dealId,
	title: tasks.title,
	dueAt: tasks.dueAt,
	remindBefore: tasks.remindBefore,
	assigneeId: tasks.assigneeId,
	assigneeName: users.name,
	doneAt: tasks.doneAt,
	createdBy: tasks.createdBy,
	dealTitle: deals.title,
	pipelineId: deals.pipelineId,
	dealOwnerId: deals.ownerId,
	// No settings row yet reads as the strictest (visibleDeals does the same).
	visibility: sql<'all' | 'own'>`coalesce(${pipelineSettings.visibility}, 'own')`,
	editing: sql<'all' | 'own'>`coalesce(${pipelineSettings.editing}, 'own')`
};

export type TaskRow = {
	id: string;
	source: 'deal' | 'own';
	dealId: string | null;
	title: string;
	dueAt: Date;
	remindBefore: number;
	assigneeId: string | null;
	assigneeName: string | null;
	doneAt: Date | null;
	createdBy: string | null;
	dealTitle: string | null;
	pipelineId: string | null;
	dealOwnerId: string | null;
	visibility: 'all' | 'own';
	editing: 'all' | 'own';
};

function base(db: Tx) {
	return db
		.select(columns)
		.from(tasks)
		.leftJoin(deals, and(eq(deals.id, tasks.dealId), eq(deals.orgId, tasks.orgId)))
		.leftJoin(pipelineSettings, eq(pipelineSettings.pipelineId, deals.pipelineId))
		.leftJoin(users, eq(users.id, tasks.assigneeId));
}

function byAssignee(assignee: AssigneeFilter): SQL | undefined {
	if (assignee === 'all') return undefined;
	if (assignee === 'none') return isNull(tasks.assigneeId);
	return eq(tasks.assigneeId, assignee);
}

export const LIST_LIMIT = 500;

/**
 * The viewer's tasks: `open` ones by due time, the latest `done` ones, or every task due in
 * [from, to) (the week view).
 */
export async function list(
	db: Tx,
	{
		viewer,
		assignee,
		range,
		limit = LIST_LIMIT
	}: {
		viewer: Viewer;
		assignee: AssigneeFilter;
		range: { open: true } | { done: true } | { from: Date; to: Date };
		limit?: number;
	}
): Promise<TaskRow[]> {
	const scope =
		'open' in range
			? isNull(tasks.doneAt)
			: 'done' in range
				? isNotNull(tasks.doneAt)
				: and(gte(tasks.dueAt, range.from), lt(tasks.dueAt, range.to));
	const rows = await base(db)
		.where(and(visibleTasks(viewer), byAssignee(assignee), scope))
		.orderBy(...('done' in range ? [desc(tasks.doneAt)] : [asc(tasks.dueAt)]), asc(tasks.id))
		.limit(limit);
	return rows as TaskRow[];
}

/** One task the viewer may see, or undefined. */
export async function find(db: Tx, { viewer, id }: { viewer: Viewer; id: string }) {
	const [row] = await base(db).where(and(visibleTasks(viewer), eq(tasks.id, id)));
	return row as TaskRow | undefined;
}

const remindAt = (dueAt: Date, remindBefore: number) =>
	new Date(dueAt.getTime() - remindBefore * 60_000);

export type OwnTaskInput = {
	title: string;
	dueAt: Date;
	remindBefore: number;
	assigneeId: string | null;
};

export async function createOwn(
	db: Tx,
	{
		orgId,
		id,
		createdBy,
		input
	}: { orgId: string; id: string; createdBy: string; input: OwnTaskInput }
) {
	await db.insert(tasks).values({
		id,
		orgId,
		source: 'own',
		dealId: null,
		...input,
		remindAt: remindAt(input.dueAt, input.remindBefore),
		createdBy
	});
}

/** Rewrites a task of its own; false when it is gone (deleted meanwhile). */
export async function updateOwn(
	db: Tx,
	{ orgId, id, input }: { orgId: string; id: string; input: OwnTaskInput }
) {
	const done = await db
		.update(tasks)
		.set({ ...input, remindAt: remindAt(input.dueAt, input.remindBefore), updatedAt: new Date() })
		.where(ownTask(orgId, id))
		.returning({ id: tasks.id });
	return done.length > 0;
}

/** Ticks a task of its own done or open again; ticking a done task keeps its first time. */
export async function setOwnDone(
	db: Tx,
	{ orgId, id, done }: { orgId: string; id: string; done: boolean }
) {
	const changed = await db
		.update(tasks)
		.set({ doneAt: done ? sql`coalesce(${tasks.doneAt}, now())` : null })
		.where(ownTask(orgId, id))
		.returning({ id: tasks.id });
	return changed.length > 0;
}

export async function deleteOwn(db: Tx, { orgId, id }: { orgId: string; id: string }) {
	const changed = await db
		.update(tasks)
		.set({ deletedAt: new Date() })
		.where(ownTask(orgId, id))
		.returning({ id: tasks.id });
	return changed.length > 0;
}

function ownTask(orgId: string, id: string) {
	return and(
		eq(tasks.id, id),
		eq(tasks.orgId, orgId),
		eq(tasks.source, 'own'),
		isNull(tasks.deletedAt)
	);
}
