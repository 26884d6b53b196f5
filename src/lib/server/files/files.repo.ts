import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { deals, files, fileStorageUsage, pipelineSettings, users, type Role } from '../db/schema';
import { visibleDeals } from '../deals/visibility';
import { removeContent } from './storage';

// Files attached to deals: metadata and the storage figure. Content goes through ./storage.ts.
// Access is decided here, in SQL, with the same rule as the boards (visibleDeals): a file is
// visible exactly when its deal is.

type Member = { orgId: string; userId: string; role: Role };

/**
 * May this member change the deal (attach, delete others' files)? Owners and managers: any deal;
 * accountants: none; a rep: their own, and others' where the pipeline lets everyone edit.
 */
export function canEditDeal({
	role,
	userId,
	ownerId,
	editing
}: {
	role: Role;
	userId: string;
	ownerId: string;
	editing: 'all' | 'own' | null;
}): boolean {
	if (role === 'owner' || role === 'manager') return true;
	if (role === 'accountant') return false;
	return ownerId === userId || editing === 'all';
}

/** The deal as this member may reach it, or null when they may not see it (or it is unknown). */
export async function dealAccess(
	db: Tx,
	{ dealId, ...member }: Member & { dealId: string }
): Promise<{ canEdit: boolean } | null> {
	const [row] = await db
		.select({ ownerId: deals.ownerId, editing: pipelineSettings.editing })
		.from(deals)
		.leftJoin(pipelineSettings, eq(pipelineSettings.pipelineId, deals.pipelineId))
		.where(and(eq(deals.id, dealId), visibleDeals(member)));
	if (!row) return null;
	return { canEdit: canEditDeal({ ...member, ownerId: row.ownerId, editing: row.editing }) };
}

const listed = {
	id: files.id,
	dealId: files.dealId,
	name: files.name,
	size: files.size,
	mime: files.mime,
	note: files.note,
	createdAt: files.createdAt,
	uploadedBy: files.uploadedBy,
	uploaderName: users.name,
	hasThumbnail: sql<boolean>`${files.thumbnail} is not null`
};

const live = and(eq(files.status, 'ready'), isNull(files.deletedAt));

/** A deal's files, newest first (call only after `dealAccess`). */
export async function list(db: Tx, { orgId, dealId }: { orgId: string; dealId: string }) {
	return db
		.select(listed)
		.from(files)
		.leftJoin(users, eq(users.id, files.uploadedBy))
		.where(and(eq(files.orgId, orgId), eq(files.dealId, dealId), live))
		.orderBy(desc(files.createdAt), desc(files.id));
}

export type ListedFile = Awaited<ReturnType<typeof list>>[number];

/**
 * A ready file this member may see, with what they may do to it; null for unknown ids, other
 * organisations' files, deleted files and files of deals they may not see alike.
 */
export async function findVisible(db: Tx, { fileId, ...member }: Member & { fileId: string }) {
	const [row] = await db
		.select({
			...listed,
			dealOwnerId: deals.ownerId,
			editing: pipelineSettings.editing
		})
		.from(files)
		.innerJoin(deals, eq(deals.id, files.dealId))
		.leftJoin(pipelineSettings, eq(pipelineSettings.pipelineId, deals.pipelineId))
		.leftJoin(users, eq(users.id, files.uploadedBy))
		.where(and(eq(files.id, fileId), eq(files.orgId, member.orgId), live, visibleDeals(member)));
	if (!row) return null;
	const { dealOwnerId, editing, ...file } = row;
	const canEdit = canEditDeal({ ...member, ownerId: dealOwnerId, editing });
	return {
		file,
		canEdit,
		// The uploader may take back what they attached while they still see the deal; readers
		// (accountants) never delete.
		canDelete: member.role !== 'accountant' && (canEdit || file.uploadedBy === member.userId)
	};
}

/** The thumbnail bytes of a file (call only after `findVisible`). */
export async function thumbnail(db: Tx, { fileId }: { fileId: string }) {
	const [row] = await db.select({ data: files.thumbnail }).from(files).where(eq(files.id, fileId));
	return row?.data ?? null;
}

/** Starts an upload: the row exists, `uploading`, before its first piece is written. */
export async function begin(
	db: Tx,
	input: {
		orgId: string;
		dealId: string;
		name: string;
		mime: string;
		note: string;
		uploadedBy: string;
	}
): Promise<string> {
	const [row] = await db.insert(files).values(input).returning({ id: files.id });
	return row!.id;
}

/**
 * Finishes an upload: counts it against the organisation's storage and makes it visible, in one
 * transaction under the usage row's lock, so two uploads at once cannot both squeeze under the
 * quota. Returns false (nothing changed) when it would go over `quotaBytes` (null: no quota).
 */
export async function complete(
	db: Tx,
	{
		orgId,
		fileId,
		size,
		sha256,
		quotaBytes
	}: { orgId: string; fileId: string; size: number; sha256: Uint8Array; quotaBytes: number | null }
): Promise<boolean> {
	return db.transaction(async (tx) => {
		await tx.insert(fileStorageUsage).values({ orgId, bytes: 0 }).onConflictDoNothing();
		const [usage] = await tx
			.select({ bytes: fileStorageUsage.bytes })
			.from(fileStorageUsage)
			.where(eq(fileStorageUsage.orgId, orgId))
			.for('update');
		if (quotaBytes !== null && usage!.bytes + size > quotaBytes) return false;
		await tx
			.update(files)
			.set({ status: 'ready', size, sha256 })
			.where(and(eq(files.id, fileId), eq(files.status, 'uploading')));
		await tx
			.update(fileStorageUsage)
			.set({ bytes: sql`${fileStorageUsage.bytes} + ${size}` })
			.where(eq(fileStorageUsage.orgId, orgId));
		return true;
	});
}

/** Drops an upload that did not finish (refused, aborted): its pieces go with it. */
export async function abandon(db: Tx, { fileId }: { fileId: string }) {
	await db.delete(files).where(and(eq(files.id, fileId), eq(files.status, 'uploading')));
}

/**
 * Removes uploads a crash left unfinished. An upload lasts at most the server's request timeout
 * (2 minutes), so an hour-old `uploading` row is certainly dead.
 */
export async function purgeStale(
	db: Tx,
	{ orgId, now = new Date() }: { orgId: string; now?: Date }
) {
	const before = new Date(now.getTime() - 60 * 60 * 1000);
	await db
		.delete(files)
		.where(and(eq(files.orgId, orgId), eq(files.status, 'uploading'), lt(files.createdAt, before)));
}

/**
 * Soft delete: the row stays as the record of what was attached and who removed it; the content
 * and thumbnail go, and the storage figure drops in the same transaction. False when there was
 * nothing to delete (already deleted, or not ready).
 */
export async function softDelete(
	db: Tx,
	{ orgId, fileId, by }: { orgId: string; fileId: string; by: string }
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [file] = await tx
			.update(files)
			.set({ deletedAt: new Date(), deletedBy: by, thumbnail: null })
			.where(and(eq(files.id, fileId), eq(files.orgId, orgId), live))
			.returning({ size: files.size });
		if (!file) return false;
		await removeContent(tx, { fileId });
		await tx
			.update(fileStorageUsage)
			.set({ bytes: sql`greatest(${fileStorageUsage.bytes} - ${file.size}, 0)` })
			.where(eq(fileStorageUsage.orgId, orgId));
		return true;
	});
}

/** Bytes the organisation's ready files take. */
export async function usage(db: Tx, { orgId }: { orgId: string }): Promise<number> {
	const [row] = await db
		.select({ bytes: fileStorageUsage.bytes })
		.from(fileStorageUsage)
		.where(eq(fileStorageUsage.orgId, orgId));
	return row?.bytes ?? 0;
}

/** What the thumbnail job needs to know about a file. */
export async function forThumbnail(db: Tx, { fileId }: { fileId: string }) {
	const [row] = await db
		.select({
			mime: files.mime,
			status: files.status,
			deletedAt: files.deletedAt,
			hasThumbnail: sql<boolean>`${files.thumbnail} is not null`
		})
		.from(files)
		.where(eq(files.id, fileId));
	return row ?? null;
}

/** Stores a thumbnail once; a second run of the job changes nothing. */
export async function setThumbnail(db: Tx, { fileId, data }: { fileId: string; data: Uint8Array }) {
	await db
		.update(files)
		.set({ thumbnail: data })
		.where(and(eq(files.id, fileId), live, isNull(files.thumbnail)));
}
