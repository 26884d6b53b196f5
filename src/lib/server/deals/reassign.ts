import { and, eq, isNull } from 'drizzle-orm';
import { dealsDocName } from '$lib/board/doc';
import { handOver, readOldCopy, receiveDeal } from '$lib/board/ops';
import type { Deal } from '$lib/board/doc';
import type { Runtime } from '../runtime';
import { dealOwnerChanges, memberships, pipelines, type Role } from '../db/schema';

export type ReassignError =
	'not_found' | 'forbidden' | 'invalid_owner' | 'already_moved' | 'same_owner';

export class ReassignRefused extends Error {
	constructor(readonly code: ReassignError) {
		super(code);
	}
}

/**
 * Hands a deal to another owner (issue 3, SPEC B19): the new owner's shard gets a full copy,
 * the old copy is marked `movedTo` (kept, so edits a replica makes to it offline are carried
 * over by the hand-over extension), and an ownership event records the amount and status at
 * that moment. Owners and managers reassign any deal; a rep hands over only their own.
 * Repeating a finished hand-over to the same person changes nothing and succeeds.
 */
export async function reassignDeal(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	input: {
		orgId: string;
		pipelineId: string;
		dealId: string;
		fromOwnerId: string;
		toOwnerId: string;
		by: { userId: string; role: Role };
	}
): Promise<{ changed: boolean }> {
	const { db } = rt;
	const { orgId, pipelineId, dealId, fromOwnerId, toOwnerId, by } = input;
	if (by.role === 'accountant') throw new ReassignRefused('forbidden');
	if (by.role === 'sales' && fromOwnerId !== by.userId) throw new ReassignRefused('forbidden');
	if (fromOwnerId === toOwnerId) throw new ReassignRefused('same_owner');

	const [pipeline] = await db
		.select({ id: pipelines.id })
		.from(pipelines)
		.where(
			and(eq(pipelines.id, pipelineId), eq(pipelines.orgId, orgId), isNull(pipelines.archivedAt))
		);
	if (!pipeline) throw new ReassignRefused('not_found');
	const [target] = await db
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, toOwnerId)));
	if (!target || target.role === 'accountant') throw new ReassignRefused('invalid_owner');

	const origin = { kind: 'user', userId: by.userId } as const;
	const oldName = dealsDocName(pipelineId, fromOwnerId);
	const deal: Deal | undefined = await rt.changeDoc(oldName, (doc) => readOldCopy(doc, dealId));
	if (!deal) throw new ReassignRefused('not_found');
	if (deal.movedTo !== undefined && deal.movedTo !== toOwnerId) {
		throw new ReassignRefused('already_moved');
	}
	// New copy first, then the mark: a crash between the two leaves the deal in both shards for
	// a moment, which readers show once (B16), never in none.
	const received = await rt.changeDoc(dealsDocName(pipelineId, toOwnerId), (doc) =>
		receiveDeal(doc, { deal, ownerId: toOwnerId }, origin)
	);
	await rt.changeDoc(oldName, (doc) => handOver(doc, { dealId, toOwnerId }, origin));
	if (!received && deal.movedTo === toOwnerId) return { changed: false };
	await db.insert(dealOwnerChanges).values({
		orgId,
		pipelineId,
		dealId,
		fromOwnerId,
		toOwnerId,
		amount: deal.amount,
		status: deal.status,
		changedBy: by.userId
	});
	return { changed: true };
}
