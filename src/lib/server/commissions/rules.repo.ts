import { and, asc, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import {
	commissionRules,
	type CommissionMethod,
	type CommissionTier,
	type CommissionTiering
} from '../db/schema';

export type Rule = typeof commissionRules.$inferSelect;

/** [C4] The rule an organisation starts with: 5 % of each won deal, every month. */
export const defaultRule = {
	method: 'won' as CommissionMethod,
	tiering: 'flat' as CommissionTiering,
	tiers: [{ from: 0, rateBp: 500 }] as CommissionTier[],
	validFrom: '2000-01-01'
};

/** Rules in force in `month` (valid_from ≤ month < valid_to). */
export async function rulesValidIn(tx: Tx, { orgId, month }: { orgId: string; month: string }) {
	return tx
		.select()
		.from(commissionRules)
		.where(
			and(
				eq(commissionRules.orgId, orgId),
				lte(commissionRules.validFrom, month),
				or(isNull(commissionRules.validTo), gt(commissionRules.validTo, month))
			)
		);
}

/**
 * [C4] The rule for a rep and a pipeline among those in force: the rep's override for the
 * pipeline, then the rep's override, then the pipeline's rule, then the organisation's
 * default. Method B (revenue) has no pipeline: only the rep's override and the default apply.
 * Of two of the same rank the later version (valid_from, then creation) wins.
 */
export function resolveRule(
	rules: Rule[],
	{
		method,
		userId,
		pipelineId
	}: { method: CommissionMethod; userId: string; pipelineId: string | null }
): Rule | null {
	const rank = (r: Rule) => {
		if (r.method !== method) return -1;
		if (method === 'revenue' && r.pipelineId) return -1;
		if (r.userId && r.userId !== userId) return -1;
		if (r.pipelineId && r.pipelineId !== pipelineId) return -1;
		return (r.userId ? 2 : 0) + (r.pipelineId ? 1 : 0);
	};
	let best: Rule | null = null;
	let bestRank = -1;
	for (const r of rules) {
		const k = rank(r);
		if (k < 0) continue;
		const later =
			best !== null &&
			k === bestRank &&
			(r.validFrom > best.validFrom ||
				(r.validFrom === best.validFrom &&
					(r.createdAt.getTime() > best.createdAt.getTime() ||
						(r.createdAt.getTime() === best.createdAt.getTime() && r.id > best.id))));
		if (k > bestRank || later) {
			best = r;
			bestRank = k;
		}
	}
	return best;
}

/** Every rule of the organisation, current ones first, for the rules page. */
export async function list(tx: Tx, { orgId }: { orgId: string }) {
	return tx
		.select()
		.from(commissionRules)
		.where(eq(commissionRules.orgId, orgId))
		.orderBy(
			asc(commissionRules.method),
			sql`${commissionRules.userId} nulls first`,
			sql`${commissionRules.pipelineId} nulls first`,
			desc(commissionRules.validFrom),
			desc(commissionRules.createdAt)
		);
}

export type RuleInput = {
	method: CommissionMethod;
	pipelineId: string | null;
	userId: string | null;
	tiering: CommissionTiering;
	tiers: CommissionTier[];
	validFrom: string;
};

/**
 * [C4] A new version of the rule for (method, pipeline, rep): the versions it replaces stop at
 * its first month; a version planned for later than it is replaced too (it then applies to no
 * month). Rows are never deleted, so a past month computes again the same way.
 */
export async function create(
	db: Tx,
	{ orgId, createdBy, input }: { orgId: string; createdBy: string; input: RuleInput }
) {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'commission_rules:' + orgId}))`);
		const slot = and(
			eq(commissionRules.orgId, orgId),
			eq(commissionRules.method, input.method),
			input.pipelineId
				? eq(commissionRules.pipelineId, input.pipelineId)
				: isNull(commissionRules.pipelineId),
			input.userId ? eq(commissionRules.userId, input.userId) : isNull(commissionRules.userId)
		);
		await tx
			.update(commissionRules)
			.set({ validTo: sql`greatest(${commissionRules.validFrom}, ${input.validFrom}::date)` })
			.where(
				and(slot, or(isNull(commissionRules.validTo), gt(commissionRules.validTo, input.validFrom)))
			);
		const [row] = await tx
			.insert(commissionRules)
			.values({ orgId, createdBy, ...input })
			.returning();
		return row!;
	});
}

/** Ends a rule from `month` on (it keeps applying to the months before). */
export async function end(
	db: Tx,
	{ orgId, ruleId, month }: { orgId: string; ruleId: string; month: string }
) {
	const rows = await db
		.update(commissionRules)
		.set({ validTo: sql`greatest(${commissionRules.validFrom}, ${month}::date)` })
		.where(
			and(
				eq(commissionRules.orgId, orgId),
				eq(commissionRules.id, ruleId),
				or(isNull(commissionRules.validTo), gt(commissionRules.validTo, month))
			)
		)
		.returning({ id: commissionRules.id });
	return rows.length > 0;
}
