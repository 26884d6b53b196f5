import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { and, eq, isNull } from 'drizzle-orm';
import { parseBoardDocName, type BoardDocName } from '$lib/board/doc';
import { parseDealDocName } from '$lib/deal/doc';
import type { Db } from '$lib/server/db';
import { deals, memberships, pipelines, type Role } from '$lib/server/db/schema';
import { storedSettings } from '$lib/server/pipelines/pipelines.repo';

export type CollabContext = { userId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ORG_DOC = new RegExp(`^org:(${UUID})$`);

// The socket's user was authenticated at the HTTP upgrade (server/collab/upgrade.ts); here each
// document name is checked against that user's memberships. Unknown names, foreign organisations,
// unknown pipelines and shards the user may not see are refused alike, so a refusal says nothing
// about what exists.
export function authExtension({ db }: { db: Db }): Extension {
	return {
		extensionName: 'auth',
		async onAuthenticate({ documentName, context, connectionConfig }: onAuthenticatePayload) {
			const { userId } = context as CollabContext;
			if (!userId) throw new Error('forbidden');
			const orgId = ORG_DOC.exec(documentName)?.[1];
			if (orgId) {
				const role = await roleIn(db, { orgId, userId });
				if (!role) throw new Error('forbidden');
				// The organisation document is read-only for accountants.
				connectionConfig.readOnly = role === 'accountant';
				return { orgId, role };
			}
			// A deal's document follows its card (deal SPEC D1): the shard that holds the card
			// decides, found through the projection.
			const dealId = parseDealDocName(documentName);
			const board = dealId ? await shardOfDeal(db, dealId) : parseBoardDocName(documentName);
			if (!board) throw new Error('forbidden');
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
			if (!row) throw new Error('forbidden');
			const base = { orgId: row.orgId, role: row.role, pipelineId: board.pipelineId };
			if (board.kind === 'pipeline') {
				// Only owners and managers edit stages and settings.
				connectionConfig.readOnly = row.role === 'accountant' || row.role === 'sales';
				return base;
			}
			// A shard belongs to a member of the pipeline's organisation, or to nobody we serve.
			if (
				board.ownerId !== userId &&
				!(await roleIn(db, { orgId: row.orgId, userId: board.ownerId }))
			)
				throw new Error('forbidden');
			if (row.role === 'owner' || row.role === 'manager') {
				connectionConfig.readOnly = false;
				return base;
			}
			if (row.role === 'accountant') {
				connectionConfig.readOnly = true;
				return base;
			}
			// Sales: their own shard read-write; another rep's as the pipeline's settings allow.
			if (board.ownerId === userId) {
				connectionConfig.readOnly = false;
				return base;
			}
			const { visibility, editing } = await storedSettings(db, board.pipelineId);
			if (visibility === 'own') throw new Error('forbidden');
			connectionConfig.readOnly = editing !== 'all';
			return base;
		}
	};
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
