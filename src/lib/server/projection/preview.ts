import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { deals, stages } from '../db/schema';

// The first screen of a board, read from the projection (design.md "Projection"), so the page
// shows every column with its figures and first cards in its HTML, before the browser has the
// documents: a 5,000-deal shard is ~4 MB that takes seconds to fetch and apply. It is what the
// board shows with its default filter (open deals of every shard the viewer may see), as of the
// projection's last flush (about 0.5 s behind the documents); the page replaces it with the
// documents as soon as they are in.

export type PreviewCard = {
	id: string;
	title: string;
	customerName: string | null;
	/** Integer đồng. */
	amount: number;
	ownerId: string;
	starred: boolean;
	/** Milliseconds since the epoch. */
	stageEnteredAt: number;
};

export type PreviewColumn = {
	stage: { id: string; name: string; color: string; winProbability: number; rotDays: number };
	count: number;
	/** Sum of the amounts, đồng. */
	total: number;
	/** Open deals at the stage's win probability, rounded once (SPEC B15). */
	weighted: number;
	/** The first cards in board order (order key, then id: SPEC B7). */
	deals: PreviewCard[];
};

export type BoardPreview = {
	columns: PreviewColumn[];
	/** The server's clock when it was read (for rot warnings that match after hydration). */
	now: number;
};

/**
 * The open deals of `ownerIds`' shards of a pipeline, by column: counts, figures and the first
 * `perColumn` cards. Null when the projection holds no shown stage (a pipeline not projected yet).
 */
export async function boardPreview(
	db: Tx,
	{
		pipelineId,
		ownerIds,
		perColumn = 8
	}: { pipelineId: string; ownerIds: readonly string[]; perColumn?: number }
): Promise<BoardPreview | null> {
	const shown = await db
		.select({
			id: stages.id,
			name: stages.name,
			color: stages.color,
			winProbability: stages.winProbability,
			rotDays: stages.rotDays
		})
		.from(stages)
		.where(and(eq(stages.pipelineId, pipelineId), isNull(stages.deletedAt)))
		// Order keys compare as JavaScript strings do (schema/board.ts).
		.orderBy(sql`${stages.position} collate "C"`, asc(stages.id));
	const first = shown[0];
	if (!first) return null;
	const now = Date.now();
	if (ownerIds.length === 0) {
		return {
			columns: shown.map((stage) => ({ stage, count: 0, total: 0, weighted: 0, deals: [] })),
			now
		};
	}

	// Where a deal shows (SPEC B12): its stage's column; a stage the projection does not know
	// (not synced yet), or none, shows in the first column.
	const column = sql<string>`coalesce(${stages.columnId}, ${first.id}::uuid)`;
	const open = and(
		eq(deals.pipelineId, pipelineId),
		inArray(deals.ownerId, [...ownerIds]),
		eq(deals.status, 'open')
	);
	const stageOfDeal = and(eq(stages.pipelineId, deals.pipelineId), eq(stages.id, deals.stageId));
	const [figures, ranked] = await Promise.all([
		db
			.select({
				column: stages.columnId,
				count: sql<number>`count(*)::int`,
				total: sql<string>`coalesce(sum(${deals.amount}), 0)::text`
			})
			.from(deals)
			.leftJoin(stages, stageOfDeal)
			.where(open)
			.groupBy(stages.columnId),
		(() => {
			const sub = db
				.select({
					id: deals.id,
					title: deals.title,
					customerName: deals.customerName,
					amount: deals.amount,
					ownerId: deals.ownerId,
					starred: deals.starred,
					stageEnteredAt: deals.stageEnteredAt,
					column: column.as('column'),
					rank: sql<number>`row_number() over (partition by ${column} order by ${deals.position} collate "C", ${deals.id})`.as(
						'rank'
					)
				})
				.from(deals)
				.leftJoin(stages, stageOfDeal)
				.where(open)
				.as('ranked');
			return db
				.select()
				.from(sub)
				.where(lte(sub.rank, perColumn))
				.orderBy(asc(sub.column), asc(sub.rank));
		})()
	]);

	// A column id that is not a shown stage (a projection caught mid-change) joins the first.
	const ids = new Set(shown.map((s) => s.id));
	const at = (id: string | null) => (id !== null && ids.has(id) ? id : first.id);
	const counts = new Map<string, { count: number; total: number }>();
	for (const f of figures) {
		const c = counts.get(at(f.column)) ?? { count: 0, total: 0 };
		c.count += f.count;
		c.total += Number(f.total);
		counts.set(at(f.column), c);
	}
	const cards = new Map<string, PreviewCard[]>();
	for (const r of ranked) {
		const list = cards.get(at(r.column)) ?? [];
		if (list.length < perColumn) {
			list.push({
				id: r.id,
				title: r.title,
				customerName: r.customerName,
				amount: r.amount,
				ownerId: r.ownerId,
				starred: r.starred,
				stageEnteredAt: r.stageEnteredAt.getTime()
			});
		}
		cards.set(at(r.column), list);
	}
	return {
		columns: shown.map((stage) => {
			const { count, total } = counts.get(stage.id) ?? { count: 0, total: 0 };
			return {
				stage,
				count,
				total,
				weighted: Math.round((total * stage.winProbability) / 100),
				deals: cards.get(stage.id) ?? []
			};
		}),
		now
	};
}
