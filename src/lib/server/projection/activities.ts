import { and, eq, notInArray, sql } from 'drizzle-orm';
import type * as Y from 'yjs';
import { readContacts } from '$lib/deal/doc';
import { dealLimits } from '$lib/deal/ops';
import { isUuid } from '$lib/board/order';
import type { Tx } from '../db';
import { dealActivities, deals } from '../db/schema';

// The contact log of a `deal:<dealId>` document as rows of `deal_activities` (deal SPEC D4):
// every entry written from the document's current values, entries no longer there deleted.
// Idempotent, so any flush after the last change leaves the table right.

export async function projectContacts(
	db: Tx,
	{ dealId, doc }: { dealId: string; doc: Y.Doc }
): Promise<{ orgId: string | null; written: number }> {
	const [deal] = await db.select({ orgId: deals.orgId }).from(deals).where(eq(deals.id, dealId));
	// Not projected yet (or gone): nothing to attach the rows to; the next load reconciles.
	if (!deal) return { orgId: null, written: 0 };
	const rows = readContacts(doc)
		.filter((c) => isUuid(c.id))
		.map((c) => ({
			id: c.id,
			orgId: deal.orgId,
			dealId,
			kind: c.kind,
			at: new Date(c.at),
			summary: c.summary.slice(0, dealLimits.summary * 2),
			needs: c.needs ?? null,
			nextStep: c.nextStep ?? null,
			createdBy: isUuid(c.createdBy) ? c.createdBy : null,
			createdAt: new Date(c.createdAt)
		}))
		.filter((r) => !Number.isNaN(r.at.getTime()) && !Number.isNaN(r.createdAt.getTime()));
	await db.transaction(async (tx) => {
		await tx.execute(sql`select set_config('synchronous_commit', 'off', true)`);
		await tx.delete(dealActivities).where(
			and(
				eq(dealActivities.dealId, dealId),
				rows.length
					? notInArray(
							dealActivities.id,
							rows.map((r) => r.id)
						)
					: undefined
			)
		);
		if (rows.length === 0) return;
		await tx
			.insert(dealActivities)
			.values(rows)
			.onConflictDoUpdate({
				target: dealActivities.id,
				set: {
					kind: sql`excluded.kind`,
					at: sql`excluded.at`,
					summary: sql`excluded.summary`,
					needs: sql`excluded.needs`,
					nextStep: sql`excluded.next_step`
				},
				// Only the deal's own entries: an id claimed by another deal's document stays theirs.
				setWhere: sql`${dealActivities.dealId} = excluded.deal_id`
			});
	});
	return { orgId: deal.orgId, written: rows.length };
}
