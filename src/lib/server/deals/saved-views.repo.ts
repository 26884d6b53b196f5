import { and, asc, count, desc, eq, or } from 'drizzle-orm';
import type { Tx } from '../db';
import { savedViews, users, type Role, type SavedViewList } from '../db/schema';

// Saved filters of a list. A member sees their own views and the organisation's shared ones;
// the author changes a view, and owners and managers may also tidy shared ones. A view stores
// the canonical query (filters.ts), so the page recognises it when its URL is open.

export const MAX_VIEWS_PER_USER = 50;
const MANAGERS: readonly Role[] = ['owner', 'manager'];

export type SavedView = {
	id: string;
	name: string;
	query: string;
	shared: boolean;
	mine: boolean;
	authorName: string;
	/** Whether the viewer may rename or delete it. */
	canEdit: boolean;
};

type Actor = { orgId: string; userId: string; role: Role };

function canEdit(actor: Actor, view: { userId: string; shared: boolean }) {
	return view.userId === actor.userId || (view.shared && MANAGERS.includes(actor.role));
}

export async function list(
	db: Tx,
	{ list = 'deals', ...actor }: Actor & { list?: SavedViewList }
): Promise<SavedView[]> {
	const rows = await db
		.select({
			id: savedViews.id,
			userId: savedViews.userId,
			name: savedViews.name,
			query: savedViews.query,
			shared: savedViews.shared,
			authorName: users.name
		})
		.from(savedViews)
		.innerJoin(users, eq(users.id, savedViews.userId))
		.where(
			and(
				eq(savedViews.orgId, actor.orgId),
				eq(savedViews.list, list),
				or(eq(savedViews.userId, actor.userId), eq(savedViews.shared, true))
			)
		)
		.orderBy(desc(savedViews.shared), asc(savedViews.createdAt), asc(savedViews.id));
	return rows.map(({ userId, ...v }) => ({
		...v,
		mine: userId === actor.userId,
		canEdit: canEdit(actor, { userId, shared: v.shared })
	}));
}

export async function create(
	db: Tx,
	{
		name,
		query,
		shared,
		list = 'deals',
		...actor
	}: Actor & { name: string; query: string; shared: boolean; list?: SavedViewList }
): Promise<{ id: string } | 'too_many'> {
	return db.transaction(async (tx) => {
		const [n] = await tx
			.select({ n: count() })
			.from(savedViews)
			.where(and(eq(savedViews.orgId, actor.orgId), eq(savedViews.userId, actor.userId)));
		if ((n?.n ?? 0) >= MAX_VIEWS_PER_USER) return 'too_many';
		const [row] = await tx
			.insert(savedViews)
			.values({ orgId: actor.orgId, userId: actor.userId, list, name, query, shared })
			.returning({ id: savedViews.id });
		return row!;
	});
}

/** The view if the actor can see it; a personal view of someone else is not found, like none. */
async function visible(tx: Tx, actor: Actor, viewId: string) {
	const [row] = await tx
		.select()
		.from(savedViews)
		.where(and(eq(savedViews.id, viewId), eq(savedViews.orgId, actor.orgId)))
		.for('update');
	if (!row || (row.userId !== actor.userId && !row.shared)) return null;
	return row;
}

export async function rename(
	db: Tx,
	{ viewId, name, ...actor }: Actor & { viewId: string; name: string }
): Promise<'ok' | 'not_found' | 'forbidden'> {
	return db.transaction(async (tx) => {
		const row = await visible(tx, actor, viewId);
		if (!row) return 'not_found';
		if (!canEdit(actor, row)) return 'forbidden';
		await tx
			.update(savedViews)
			.set({ name, updatedAt: new Date() })
			.where(eq(savedViews.id, viewId));
		return 'ok';
	});
}

export async function remove(
	db: Tx,
	{ viewId, ...actor }: Actor & { viewId: string }
): Promise<{ name: string } | 'not_found' | 'forbidden'> {
	return db.transaction(async (tx) => {
		const row = await visible(tx, actor, viewId);
		if (!row) return 'not_found';
		if (!canEdit(actor, row)) return 'forbidden';
		await tx.delete(savedViews).where(eq(savedViews.id, viewId));
		return { name: row.name };
	});
}
