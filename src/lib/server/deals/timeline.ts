import { and, asc, eq, inArray } from 'drizzle-orm';
import type { TimelineEntry } from '$lib/deal/timeline';
import type { Tx } from '../db';
import { dealEvents, dealOwnerChanges, deals, files, users, type Role } from '../db/schema';
import { visibleDeals } from './visibility';

/**
 * A deal's recorded history, oldest first: what the projection saw change (deal_events) and its
 * owner changes, with the names of who did it. Null when the member may not see the deal (the
 * caller answers 404). Contacts and files are read live by the deal page beside it.
 */
export async function timeline(
	db: Tx,
	{ orgId, userId, role, dealId }: { orgId: string; userId: string; role: Role; dealId: string }
): Promise<TimelineEntry[] | null> {
	const [deal] = await db
		.select({ id: deals.id })
		.from(deals)
		.where(and(eq(deals.id, dealId), visibleDeals({ orgId, userId, role })));
	if (!deal) return null;
	const events = await db
		.select()
		.from(dealEvents)
		.where(and(eq(dealEvents.dealId, dealId), eq(dealEvents.orgId, orgId)))
		.orderBy(asc(dealEvents.createdAt), asc(dealEvents.id));
	const owners = await db
		.select()
		.from(dealOwnerChanges)
		.where(and(eq(dealOwnerChanges.dealId, dealId), eq(dealOwnerChanges.orgId, orgId)))
		.orderBy(asc(dealOwnerChanges.createdAt));
	const attached = await db
		.select({
			id: files.id,
			name: files.name,
			note: files.note,
			uploadedBy: files.uploadedBy,
			createdAt: files.createdAt,
			deletedAt: files.deletedAt,
			deletedBy: files.deletedBy
		})
		.from(files)
		.where(and(eq(files.dealId, dealId), eq(files.orgId, orgId), eq(files.status, 'ready')));
	const ids = [
		...new Set(
			[
				...events.map((e) => e.actorId),
				...owners.flatMap((o) => [o.changedBy, o.fromOwnerId, o.toOwnerId]),
				...attached.flatMap((f) => [f.uploadedBy, f.deletedBy])
			].filter((id): id is string => id !== null)
		)
	];
	const names = new Map(
		ids.length
			? (
					await db
						.select({ id: users.id, name: users.name })
						.from(users)
						.where(inArray(users.id, ids))
				).map((u) => [u.id, u.name])
			: []
	);
	const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
	const entries: TimelineEntry[] = [
		...events.map((e) => ({
			kind: e.kind,
			id: e.id,
			at: e.createdAt.toISOString(),
			actor: nameOf(e.actorId),
			from: e.fromValue,
			to: e.toValue,
			note: e.note
		})),
		...attached.map((f) => ({
			kind: 'file' as const,
			id: `${f.id}:added`,
			at: f.createdAt.toISOString(),
			actor: nameOf(f.uploadedBy),
			from: null,
			to: f.name,
			note: f.note || null
		})),
		...attached
			.filter((f) => f.deletedAt !== null)
			.map((f) => ({
				kind: 'fileRemoved' as const,
				id: `${f.id}:removed`,
				at: f.deletedAt!.toISOString(),
				actor: nameOf(f.deletedBy),
				from: f.name,
				to: null,
				note: null
			})),
		...owners.map((o) => ({
			kind: 'owner' as const,
			id: o.id,
			at: o.createdAt.toISOString(),
			actor: nameOf(o.changedBy),
			from: nameOf(o.fromOwnerId),
			to: nameOf(o.toOwnerId),
			note: null
		}))
	];
	return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}
