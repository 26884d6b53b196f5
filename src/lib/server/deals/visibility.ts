import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { deals, pipelineSettings, type Role } from '../db/schema';

/**
 * Which deals (rows of the `deals` projection) a member may see, as a condition for any query
 * over `deals`: the SQL twin of the collab server's per-shard rule (auth.extension.ts,
 * pipelines/board.ts). Owners, managers and accountants see every deal of the organisation; a
 * sales rep sees their own, and others' only in pipelines whose visibility is "all". A pipeline
 * without a settings row yet counts as "own": a rep is shown too little for a moment rather
 * than too much. Lists, search, exports and file downloads all decide with this one function.
 */
export function visibleDeals({
	orgId,
	userId,
	role
}: {
	orgId: string;
	userId: string;
	role: Role;
}): SQL {
	const inOrg = eq(deals.orgId, orgId);
	if (role !== 'sales') return inOrg;
	return and(
		inOrg,
		or(
			eq(deals.ownerId, userId),
			sql`exists (select 1 from ${pipelineSettings} where ${pipelineSettings.pipelineId} = ${deals.pipelineId} and ${pipelineSettings.visibility} = 'all')`
		)
	)!;
}
