import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { pipelines, type Role } from '../db/schema';
import * as members from '../orgs/members.repo';
import { storedSettings } from './pipelines.repo';

export type BoardMember = { id: string; name: string; role: Role };

/**
 * What a member may open of a board: the owner shards they may see (the same rule the collab
 * server's auth extension applies per document, so the page never asks for a shard it would be
 * refused) and whether they edit stages. Null when the pipeline is not this organisation's, or
 * archived: the page answers 404 as for anything else that isn't there.
 */
export async function boardAccess(
	db: Tx,
	{
		orgId,
		pipelineId,
		userId,
		role
	}: { orgId: string; pipelineId: string; userId: string; role: Role }
) {
	const [row] = await db
		.select({ id: pipelines.id, name: pipelines.name })
		.from(pipelines)
		.where(
			and(eq(pipelines.id, pipelineId), eq(pipelines.orgId, orgId), isNull(pipelines.archivedAt))
		);
	if (!row) return null;
	const settings = await storedSettings(db, pipelineId);
	const all = await members.list(db, { orgId });
	const people: BoardMember[] = all.map((m) => ({ id: m.userId, name: m.name, role: m.role }));
	// Accountants own no deals; everyone else may (managers sell too).
	const owners = people.filter((m) => m.role !== 'accountant');
	const seesAll = role !== 'sales' || settings.visibility === 'all';
	const ownerIds = seesAll
		? owners.map((m) => m.id)
		: owners.filter((m) => m.id === userId).map((m) => m.id);
	return {
		pipeline: { id: row.id, name: row.name },
		settings,
		members: people,
		ownerIds,
		canEditStages: role === 'owner' || role === 'manager',
		// Where this member's own new deals go: accountants add none.
		canAddDeals: role !== 'accountant'
	};
}
