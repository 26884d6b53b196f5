import { and, eq, isNull } from 'drizzle-orm';
import { parseBoardDocName, type BoardDocName } from '$lib/board/doc';
import { parseDealDocName } from '$lib/deal/doc';
import type { Db } from '$lib/server/db';
import { deals, memberships, pipelines, type Role } from '$lib/server/db/schema';
import { storedSettings } from '$lib/server/pipelines/pipelines.repo';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ORG_DOC = new RegExp(`^org:(${UUID})$`);

export type DocumentAccess = {
	orgId: string;
	role: Role;
	pipelineId?: string;
	readOnly: boolean;
};

/**
 * What a user may do with a collab document: null when they may not see it at all (unknown
 * names, foreign organisations, unknown or archived pipelines and shards they may not see are
 * refused alike, so a refusal says nothing about what exists), else whether read-only. Used by
 * the collab server for every document a socket opens, and by the board's HTTP endpoints that
 * act on a document.
 */
export async function documentAccess(
	db: Db,
	{ userId, documentName }: { userId: string; documentName: string }
): Promise<DocumentAccess | null> {
	const orgId = ORG_DOC.exec(documentName)?.[1];
	if (orgId) {
		const role = await roleIn(db, { orgId, userId });
		if (!role) return null;
		// The organisation document is read-only for accountants.
		return { orgId, role, readOnly: role === 'accountant' };
	}
	// A deal's document follows its card (deal SPEC D1): the shard that holds the card
	// decides, found through the projection.
	const dealId = parseDealDocName(documentName);
	const board = dealId ? await shardOfDeal(db, dealId) : parseBoardDocName(documentName);
	if (!board) return null;
	const [row] = await db
		.select({ orgId: pipelines.orgId, role: memberships.role })
		.from(pipelines)
		.innerJoin(
			memberships,
			and(eq(memberships.orgId, pipelines.orgId), eq(memberships.userId, userId))
		)
		// An archived pipeline's board is closed (the page answers 404 too); the server's
		// own direct connections, which pass no auth, still reach its documents.
		.where(and(eq(pipelines.id, board.pipelineId), isNull(pipelines.archivedAt)));
	if (!row) return null;
	const base = { orgId: row.orgId, role: row.role as Role, pipelineId: board.pipelineId };
	if (board.kind === 'pipeline') {
		// Only owners and managers edit stages and settings.
		return { ...base, readOnly: row.role === 'accountant' || row.role === 'sales' };
	}
	// A shard belongs to a member of the pipeline's organisation, or to nobody we serve.
	if (board.ownerId !== userId && !(await roleIn(db, { orgId: row.orgId, userId: board.ownerId })))
		return null;
	if (row.role === 'owner' || row.role === 'manager') return { ...base, readOnly: false };
	if (row.role === 'accountant') return { ...base, readOnly: true };
	// Sales: their own shard read-write; another rep's as the pipeline's settings allow.
	if (board.ownerId === userId) return { ...base, readOnly: false };
	const { visibility, editing } = await storedSettings(db, board.pipelineId);
	if (visibility === 'own') return null;
	return { ...base, readOnly: editing !== 'all' };
}

async function roleIn(db: Db, { orgId, userId }: { orgId: string; userId: string }) {
	const [member] = await db
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return (member?.role ?? null) as Role | null;
}

/** The shard holding a deal's card, as projected; null when no card of that id is projected. */
async function shardOfDeal(db: Db, dealId: string): Promise<BoardDocName | null> {
	const [row] = await db
		.select({ pipelineId: deals.pipelineId, ownerId: deals.ownerId })
		.from(deals)
		.where(eq(deals.id, dealId));
	return row ? { kind: 'deals', pipelineId: row.pipelineId, ownerId: row.ownerId } : null;
}
