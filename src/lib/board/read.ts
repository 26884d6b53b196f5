import type * as Y from 'yjs';
import {
	cardReader,
	dealStatuses,
	dealsMap,
	numberOf,
	plainStage,
	readAllStages,
	shownStages,
	textOf,
	type Deal,
	type DealStatus,
	type Stage
} from './doc';
import { compareOrder } from './order';

// Read models over the documents: plain objects for the UI and the projection. Readers never
// write, and they accept whatever a document holds (SPEC B16).

export function readCard(id: string, card: Y.Map<unknown>): Deal {
	const field = cardReader(card);
	const status = field('status');
	const deal: Deal = {
		id,
		title: textOf(field('title')),
		stageId: textOf(field('stageId')),
		order: textOf(field('order')),
		amount: numberOf(field('amount')),
		ownerId: textOf(field('ownerId')),
		starred: field('starred') === true,
		status: dealStatuses.includes(status as DealStatus) ? (status as DealStatus) : 'open',
		createdAt: numberOf(field('createdAt')),
		updatedAt: numberOf(field('updatedAt')),
		stageEnteredAt: numberOf(field('stageEnteredAt')),
		createdBy: textOf(field('createdBy'))
	};
	for (const key of [
		'customerId',
		'customerName',
		'customerPhone',
		'expectedCloseDate',
		'source',
		'amountReason',
		'movedTo'
	] as const) {
		const v = field(key);
		if (typeof v === 'string') deal[key] = v;
	}
	for (const key of ['paid', 'overdue', 'lastContactAt'] as const) {
		const v = field(key);
		if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) deal[key] = v;
	}
	// Only the status's own companion is shown (SPEC B14); ops keep the other null, but a card
	// written by anything else could hold one.
	const lostReason = field('lostReason');
	if (deal.status === 'lost' && typeof lostReason === 'string') deal.lostReason = lostReason;
	const standbyUntil = field('standbyUntil');
	if (deal.status === 'standby' && typeof standbyUntil === 'string') {
		deal.standbyUntil = standbyUntil;
	}
	return deal;
}

export function readDeal(doc: Y.Doc, dealId: string): Deal | undefined {
	const card = dealsMap(doc).get(dealId);
	return card ? readCard(dealId, card) : undefined;
}

/** Every card of a shard, sorted by stage id, then order key, then deal id. */
export function readDeals(doc: Y.Doc): Deal[] {
	const out: Deal[] = [];
	for (const [id, card] of dealsMap(doc)) out.push(readCard(id, card));
	return out.sort((a, b) =>
		a.stageId !== b.stageId ? (a.stageId < b.stageId ? -1 : 1) : compareOrder(a, b)
	);
}

export type StageIndex = {
	/** The columns, in order. */
	stages: Stage[];
	/**
	 * Maps a stored stage id to the column it shows in (SPEC B12): a shown stage is itself; a
	 * deleted stage follows its `mergedInto` chain; a cycle, a dead end or an unknown id falls
	 * back to the first column. Null only when the pipeline has no stages (not loaded yet).
	 */
	resolve: (stageId: string) => string | null;
};

export function stageIndex(pipelineDoc: Y.Doc): StageIndex {
	const all = readAllStages(pipelineDoc);
	const stages = shownStages(all).map(plainStage);
	const shown = new Set(stages.map((s) => s.id));
	const mergedInto = new Map(all.map((s) => [s.id, s.mergedInto]));
	const first = stages[0]?.id ?? null;
	const resolve = (stageId: string) => {
		// Nearly every card names a shown stage: answered without following any chain.
		if (shown.has(stageId)) return stageId;
		const seen = new Set<string>();
		for (let id: string | undefined = stageId; id !== undefined && !seen.has(id);) {
			if (shown.has(id)) return id;
			seen.add(id);
			id = mergedInto.get(id);
		}
		return first;
	};
	return { stages, resolve };
}

export function stageResolver(pipelineDoc: Y.Doc) {
	return stageIndex(pipelineDoc).resolve;
}

export type Column = {
	stage: Stage;
	/** In board order: order key, then deal id. */
	deals: Deal[];
	count: number;
	/** Sum of the deals' amounts, đồng. */
	total: number;
	/** Expected amount: won 100 %, lost 0 %, open and standby at the stage's win probability. */
	weighted: number;
};

/**
 * The board: one column per shown stage, each deal in exactly one column. A deal found in more
 * than one shard (for a moment while its owner changes) is shown once (SPEC B16).
 */
export function columns({
	pipelineDoc,
	dealDocs,
	statuses = dealStatuses
}: {
	pipelineDoc: Y.Doc;
	dealDocs: readonly Y.Doc[];
	/** Which deals to show; all by default. */
	statuses?: readonly DealStatus[];
}): Column[] {
	const { stages, resolve } = stageIndex(pipelineDoc);
	const byStage = new Map<string, Deal[]>(stages.map((s) => [s.id, []]));
	for (const deal of boardDeals(dealDocs)) {
		if (!statuses.includes(deal.status)) continue;
		const stageId = resolve(deal.stageId);
		if (stageId !== null) byStage.get(stageId)!.push(deal);
	}
	return stages.map((stage) => columnOf(stage, byStage.get(stage.id)!));
}

/**
 * One column from its stage and its deals (sorted here): count, total and weighted expected
 * amount (SPEC B15). Shared by `columns` and the incremental read model (live-columns.ts).
 */
export function columnOf(stage: Stage, deals: Deal[]): Column {
	deals.sort(compareOrder);
	let total = 0;
	let weightedPercent = 0;
	for (const d of deals) {
		total += d.amount;
		const p = d.status === 'won' ? 100 : d.status === 'lost' ? 0 : stage.winProbability;
		weightedPercent += d.amount * p;
	}
	return { stage, deals, count: deals.length, total, weighted: Math.round(weightedPercent / 100) };
}

/** The cards of several shards, each deal id once: the copy updated last, then by owner id. */
export function boardDeals(dealDocs: readonly Y.Doc[]): Deal[] {
	const byId = new Map<string, Deal>();
	for (const doc of dealDocs) {
		for (const [id, card] of dealsMap(doc)) {
			const deal = readCard(id, card);
			// The old copy of a deal handed to another owner is not shown (SPEC B19).
			if (deal.movedTo !== undefined) continue;
			const seen = byId.get(id);
			if (!seen || preferredCopy(deal, seen)) byId.set(id, deal);
		}
	}
	return [...byId.values()];
}

/** Of two copies of one deal, whether the board shows `a` rather than `b` (SPEC B16). */
export function preferredCopy(a: Deal, b: Deal) {
	return a.updatedAt !== b.updatedAt ? a.updatedAt > b.updatedAt : a.ownerId > b.ownerId;
}

/** True when an open deal has sat in its stage longer than the stage's rot days (0 = never). */
export function isRotting({ deal, stage, now }: { deal: Deal; stage: Stage; now: number }) {
	return (
		deal.status === 'open' &&
		stage.rotDays > 0 &&
		now - deal.stageEnteredAt > stage.rotDays * 24 * 60 * 60 * 1000
	);
}

/**
 * Whole days an open deal has gone without contact, when that is longer than its stage's rot
 * days (SPEC B22); null when it is not idle. Counted from the last contact-log entry, or from
 * the deal's creation when the log is empty, never from the last edit.
 */
export function idleDays({ deal, stage, now }: { deal: Deal; stage: Stage; now: number }) {
	if (deal.status !== 'open' || stage.rotDays <= 0) return null;
	const since = now - (deal.lastContactAt ?? deal.createdAt);
	if (since <= stage.rotDays * 24 * 60 * 60 * 1000) return null;
	return Math.floor(since / (24 * 60 * 60 * 1000));
}
