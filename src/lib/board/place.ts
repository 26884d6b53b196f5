import type * as Y from 'yjs';
import { cardReader, dealsMap, textOf } from './doc';
import { BoardOpError } from './errors';
import { compareOrder, keyBetween } from './order';
import { stageIndex } from './read';

// Where a card lands in a column (SPEC B7): between neighbour deals that may live in any shard
// shown on the board, since a column interleaves every owner's cards by order key.

/** The shard an op writes, the pipeline it reads stages from, and the board's other shards. */
export type DealScope = {
	pipelineDoc: Y.Doc;
	dealDoc: Y.Doc;
	/** Every shard shown on the board (the written one may be among them), for neighbours. */
	dealDocs?: readonly Y.Doc[];
};

type Spot = { id: string; order: string; stageId: string };

export type Placement = {
	/** The column the deal lands in: a shown stage. */
	stageId: string;
	/** The new order key, or null when the deal already sits there (nothing to write). */
	order: string | null;
	/** The column the deal shows in now, if it exists. */
	fromStageId: string | null;
};

/**
 * Computes the order key for `dealId` in column `stageId`, right after deal `after` and/or right
 * before deal `before`; with neither, at the end of the column.
 */
export function place(
	scope: DealScope,
	input: { dealId: string; stageId: string; after?: string; before?: string }
): Placement {
	const { dealId, stageId, after, before } = input;
	const { resolve } = stageIndex(scope.pipelineDoc);
	if (resolve(stageId) !== stageId) throw new BoardOpError('stage_not_found', { field: 'stageId' });
	const docs = shards(scope);
	const self = spot(docs, dealId);
	if (after === dealId || before === dealId || (after !== undefined && after === before)) {
		throw new BoardOpError('invalid_position');
	}
	let lo: Spot | null;
	let hi: Spot | null;
	if (after !== undefined && before !== undefined) {
		// Both neighbours given (a drop between two cards): no column scan needed.
		lo = neighbour(docs, after, 'after');
		hi = neighbour(docs, before, 'before');
	} else if (after !== undefined) {
		lo = neighbour(docs, after, 'after');
		hi = nearest(docs, resolve, stageId, dealId, { above: lo });
	} else if (before !== undefined) {
		hi = neighbour(docs, before, 'before');
		lo = nearest(docs, resolve, stageId, dealId, { below: hi });
	} else {
		lo = nearest(docs, resolve, stageId, dealId, {});
		hi = null;
	}
	for (const [s, field] of [
		[lo, 'after'],
		[hi, 'before']
	] as const) {
		if (s && resolve(s.stageId) !== stageId) throw new BoardOpError('invalid_position', { field });
	}
	if (lo && hi && compareOrder(lo, hi) >= 0) throw new BoardOpError('invalid_position');
	const fromStageId = self ? resolve(self.stageId) : null;
	const already =
		self !== null &&
		fromStageId === stageId &&
		(!lo || compareOrder(lo, self) < 0) &&
		(!hi || compareOrder(self, hi) < 0);
	if (already) return { stageId, order: null, fromStageId };
	const order = keyBetween(lo?.order ?? null, hi?.order ?? null, dealId);
	return { stageId, order, fromStageId };
}

/** The last key of a column, to append after (e.g. moving deals off a deleted stage). */
export function lastKey(scope: DealScope, stageId: string): string | null {
	const { resolve } = stageIndex(scope.pipelineDoc);
	return nearest(shards(scope), resolve, stageId, null, {})?.order ?? null;
}

function shards(scope: DealScope): Y.Doc[] {
	const docs = [scope.dealDoc];
	for (const d of scope.dealDocs ?? []) if (d !== scope.dealDoc) docs.push(d);
	return docs;
}

function spot(docs: readonly Y.Doc[], id: string): Spot | null {
	// The written shard comes first: its copy is the one the op moves.
	for (const doc of docs) {
		const card = dealsMap(doc).get(id);
		if (!card) continue;
		const field = cardReader(card);
		return { id, order: textOf(field('order')), stageId: textOf(field('stageId')) };
	}
	return null;
}

function neighbour(docs: readonly Y.Doc[], id: string, field: 'after' | 'before'): Spot {
	const s = spot(docs, id);
	if (!s) throw new BoardOpError('neighbour_not_found', { field });
	return s;
}

/**
 * In column `stageId` (every card but `exclude`): the first card above `above`, the last card
 * below `below`, or with neither the column's last card. One pass over the shards' cards, no
 * sort: a drop at the end of a 5,000-deal board's column reads each card's stage and, only for
 * the column's cards, its order key.
 */
function nearest(
	docs: readonly Y.Doc[],
	resolve: (stageId: string) => string | null,
	stageId: string,
	exclude: string | null,
	{ above, below }: { above?: Spot; below?: Spot }
): Spot | null {
	// A card in several shards (for a moment while its owner changes) counts once.
	const seen = docs.length > 1 ? new Set<string>() : null;
	let best: Spot | null = null;
	for (const doc of docs) {
		for (const [id, card] of dealsMap(doc)) {
			if (id === exclude || seen?.has(id)) continue;
			seen?.add(id);
			const field = cardReader(card);
			const cardStage = textOf(field('stageId'));
			if (resolve(cardStage) !== stageId) continue;
			const s = { id, order: textOf(field('order')), stageId: cardStage };
			if (above ? compareOrder(s, above) <= 0 : below && compareOrder(s, below) >= 0) continue;
			// Above a card: the lowest such; otherwise the highest.
			if (!best || (above ? compareOrder(s, best) < 0 : compareOrder(s, best) > 0)) best = s;
		}
	}
	return best;
}
