import { and, eq, inArray, isNull } from 'drizzle-orm';
import { dealsDocName } from '$lib/board/doc';
import { handOver, readOldCopy, receiveDeal } from '$lib/board/ops';
import type { Deal } from '$lib/board/doc';
import type { Runtime } from '../runtime';
import { formatVnd } from '$lib/format/money';
import { dealOwnerChanges, memberships, pipelines, users, type Role } from '../db/schema';
import * as mail from '../mail/mail';

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
		/** Tell the new owner by mail, linking to the deal here (issue 4). */
		notify?: { dealUrl: string };
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
	if (input.notify && 'boss' in rt) await tellNewOwner(rt as Runtime, { ...input, deal });
	return { changed: true };
}

// The new owner hears of it by mail (the notification centre comes with the reminders issue).
// After the ownership event is stored; a mail that cannot be queued does not undo the hand-over.
async function tellNewOwner(
	rt: Runtime,
	input: {
		orgId: string;
		pipelineId: string;
		dealId: string;
		toOwnerId: string;
		by: { userId: string };
		deal: Deal;
		notify?: { dealUrl: string };
	}
) {
	try {
		const people = await rt.db
			.select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
			.from(users)
			.where(inArray(users.id, [input.toOwnerId, input.by.userId]));
		const owner = people.find((p) => p.id === input.toOwnerId);
		const by = people.find((p) => p.id === input.by.userId);
		const [pipeline] = await rt.db
			.select({ name: pipelines.name })
			.from(pipelines)
			.where(eq(pipelines.id, input.pipelineId));
		if (!owner || !by || !input.notify) return;
		await mail.send(rt, {
			to: owner.email,
			template: 'dealAssigned',
			locale: owner.locale,
			orgId: input.orgId,
			params: {
				name: owner.name,
				byName: by.name,
				dealTitle: input.deal.title,
				amount: formatVnd(input.deal.amount),
				pipelineName: pipeline?.name ?? '',
				url: input.notify.dealUrl
			}
		});
	} catch (err) {
		rt.log.warn({ err, dealId: input.dealId }, 'could not tell the new owner of a deal');
	}
}
