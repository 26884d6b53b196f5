import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type * as Y from 'yjs';
import { isUuid } from '$lib/board/order';
import { readTasks, type Task } from '$lib/deal/doc';
import { dealLimits } from '$lib/deal/ops';
import type { Tx } from '../db';
import { deals, memberships, tasks, users } from '../db/schema';

// The `tasks` map of a `deal:<dealId>` document as `source = 'deal'` rows of `tasks` (deal SPEC
// D6): every task written from the document's current values, tasks no longer there deleted.
// Idempotent and whole-map, so whichever flush runs last leaves the table right; writers of one
// deal take turns (an advisory lock), so two flushes never interleave their delete and upsert.

export function projectTasks(db: Tx, { dealId, doc }: { dealId: string; doc: Y.Doc }) {
	return writeDealTasks(db, { dealId, tasks: readTasks(doc) });
}

export async function writeDealTasks(
	db: Tx,
	{ dealId, tasks: list }: { dealId: string; tasks: Task[] }
): Promise<{ orgId: string | null; written: number }> {
	const [deal] = await db.select({ orgId: deals.orgId }).from(deals).where(eq(deals.id, dealId));
	// Not projected yet (or gone): nothing to attach the rows to; the next load reconciles.
	if (!deal) return { orgId: null, written: 0 };
	const valid = list.filter((t) => isUuid(t.id) && instant(t.dueAt) !== null);
	// Foreign keys: an assignee must be a member of the deal's organisation (a stranger's id in a
	// document assigns nobody); a creator need only exist.
	const people = [
		...new Set(valid.flatMap((t) => [t.assigneeId, t.createdBy]).filter((id) => isUuid(id)))
	] as string[];
	const known = people.length
		? await db
				.select({ id: users.id, role: memberships.role })
				.from(users)
				.leftJoin(
					memberships,
					and(eq(memberships.userId, users.id), eq(memberships.orgId, deal.orgId))
				)
				.where(inArray(users.id, people))
		: [];
	const members = new Set(known.filter((k) => k.role !== null).map((k) => k.id));
	const existing = new Set(known.map((k) => k.id));
	const rows = valid.map((t) => ({
		id: t.id,
		orgId: deal.orgId,
		source: 'deal' as const,
		dealId,
		title: t.title.slice(0, dealLimits.taskTitle * 2),
		dueAt: new Date(t.dueAt),
		remindBefore: t.remindBefore,
		remindAt: new Date(t.dueAt - t.remindBefore * 60_000),
		assigneeId: t.assigneeId && members.has(t.assigneeId) ? t.assigneeId : null,
		// A done mark with a broken time still counts as done.
		doneAt: t.doneAt !== undefined ? new Date(instant(t.doneAt) ?? t.dueAt) : null,
		createdBy: existing.has(t.createdBy) ? t.createdBy : null,
		createdAt: new Date(instant(t.createdAt) ?? t.dueAt),
		updatedAt: new Date(instant(t.updatedAt) ?? instant(t.createdAt) ?? t.dueAt),
		deletedAt: null
	}));
	await db.transaction(async (tx) => {
		await tx.execute(sql`select set_config('synchronous_commit', 'off', true)`);
		await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tasks:${dealId}`}, 0))`);
		await tx.delete(tasks).where(
			and(
				eq(tasks.dealId, dealId),
				eq(tasks.source, 'deal'),
				rows.length
					? notInArray(
							tasks.id,
							rows.map((r) => r.id)
						)
					: undefined
			)
		);
		if (rows.length === 0) return;
		await tx
			.insert(tasks)
			.values(rows)
			.onConflictDoUpdate({
				target: tasks.id,
				set: {
					title: sql`excluded.title`,
					dueAt: sql`excluded.due_at`,
					remindBefore: sql`excluded.remind_before`,
					remindAt: sql`excluded.remind_at`,
					assigneeId: sql`excluded.assignee_id`,
					doneAt: sql`excluded.done_at`,
					updatedAt: sql`excluded.updated_at`,
					deletedAt: sql`null`
				},
				// Only the deal's own tasks: an id claimed by another deal or an own task stays theirs.
				// Rows already right are left alone (no dead tuples per flush).
				setWhere: sql`${tasks.dealId} = excluded.deal_id and ${tasks.source} = 'deal' and (${tasks.title}, ${tasks.dueAt}, ${tasks.remindBefore}, ${tasks.assigneeId}, ${tasks.doneAt}, ${tasks.updatedAt}, ${tasks.deletedAt}) is distinct from (excluded.title, excluded.due_at, excluded.remind_before, excluded.assignee_id, excluded.done_at, excluded.updated_at, null::timestamptz)`
			});
	});
	return { orgId: deal.orgId, written: rows.length };
}

/** A time a document may hold that PostgreSQL can store, or null (hand-made documents). */
function instant(ms: number | undefined): number | null {
	return ms !== undefined && Number.isSafeInteger(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}
