import type * as Y from 'yjs';
import { dealStatuses, dealsMap, stagesMap, type Deal, type DealStatus } from './doc';
import {
	columnOf,
	preferredCopy,
	readCard,
	stageIndex,
	type Column,
	type StageIndex
} from './read';

/**
 * `columns()` kept up to date as the documents change (SPEC B16), for the browser: a 5,000-card
 * board re-read in full on every update cost ~100 ms a frame. It watches the documents
 * (`observeDeep`) and, on `read()`, re-reads only the cards a transaction touched and rebuilds
 * only the columns they left or entered; a stage change re-buckets the cards it already holds
 * (no card is read again). Whatever the documents did, `read()` equals `columns()` on them
 * (live-columns.spec.ts checks it after random operations). Columns nothing touched keep their
 * object, and `read()` returns the same array while nothing changed, so a UI can skip work.
 */
export class LiveColumns {
	readonly #pipelineDoc: Y.Doc;
	readonly #dealDocs: readonly Y.Doc[];
	readonly #statuses: readonly DealStatus[];
	/** Per shard, every card as last read (old copies marked `movedTo` included). */
	readonly #cards: Map<string, Deal>[];
	/** Per shard, the cards changed since the last `read()`. */
	readonly #dirty: Set<string>[];
	/** The copy shown of each deal id (SPEC B16), whatever its status. */
	readonly #shown = new Map<string, Deal>();
	/** The column of each shown deal that passes the status filter. */
	readonly #columnOf = new Map<string, string>();
	/** The deals in each column, unordered. */
	#members = new Map<string, Map<string, Deal>>();
	#index: StageIndex = { stages: [], resolve: () => null };
	#columns: Column[] = [];
	#stagesChanged = true;
	#started = false;
	readonly #stop: (() => void)[] = [];

	constructor({
		pipelineDoc,
		dealDocs,
		statuses = dealStatuses
	}: {
		pipelineDoc: Y.Doc;
		dealDocs: readonly Y.Doc[];
		/** Which deals to show; all by default. */
		statuses?: readonly DealStatus[];
	}) {
		this.#pipelineDoc = pipelineDoc;
		this.#dealDocs = dealDocs;
		this.#statuses = statuses;
		this.#cards = dealDocs.map(() => new Map());
		this.#dirty = dealDocs.map(() => new Set());

		const stages = stagesMap(pipelineDoc);
		const onStages = () => {
			this.#stagesChanged = true;
		};
		stages.observeDeep(onStages);
		this.#stop.push(() => stages.unobserveDeep(onStages));
		dealDocs.forEach((doc, i) => {
			const deals = dealsMap(doc);
			const dirty = this.#dirty[i]!;
			const onDeals = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
				for (const event of events) {
					// A card added, replaced or removed; or a field of one changed.
					if (event.target === deals) for (const id of event.keys.keys()) dirty.add(id);
					else if (typeof event.path[0] === 'string') dirty.add(event.path[0]);
				}
			};
			deals.observeDeep(onDeals);
			this.#stop.push(() => deals.unobserveDeep(onDeals));
		});
	}

	/** The columns as the documents say now. The same array as last time if nothing changed. */
	read(): Column[] {
		const changed = new Set<string>();
		if (!this.#started) {
			// First read: every card (what arrived before the observers counts too).
			this.#started = true;
			this.#dealDocs.forEach((doc, i) => {
				for (const id of dealsMap(doc).keys()) this.#dirty[i]!.add(id);
			});
		}
		this.#dealDocs.forEach((doc, i) => {
			const dirty = this.#dirty[i]!;
			if (dirty.size === 0) return;
			const cards = this.#cards[i]!;
			const deals = dealsMap(doc);
			for (const id of dirty) {
				const card = deals.get(id);
				if (card) cards.set(id, readCard(id, card));
				else cards.delete(id);
				changed.add(id);
			}
			dirty.clear();
		});
		for (const id of changed) {
			const copy = this.#winner(id);
			if (copy) this.#shown.set(id, copy);
			else this.#shown.delete(id);
		}

		const dirtyColumns = new Set<string>();
		if (this.#stagesChanged) {
			this.#stagesChanged = false;
			this.#index = stageIndex(this.#pipelineDoc);
			this.#members = new Map(this.#index.stages.map((s) => [s.id, new Map()]));
			this.#columnOf.clear();
			for (const deal of this.#shown.values()) this.#place(deal);
			for (const s of this.#index.stages) dirtyColumns.add(s.id);
		} else {
			for (const id of changed) {
				const was = this.#columnOf.get(id);
				if (was !== undefined) {
					this.#members.get(was)!.delete(id);
					this.#columnOf.delete(id);
					dirtyColumns.add(was);
				}
				const deal = this.#shown.get(id);
				const now = deal && this.#place(deal);
				if (now) dirtyColumns.add(now);
			}
		}
		if (dirtyColumns.size === 0 && this.#columns.length === this.#index.stages.length) {
			return this.#columns;
		}
		const before = new Map(this.#columns.map((c) => [c.stage.id, c]));
		this.#columns = this.#index.stages.map((stage) => {
			const kept = before.get(stage.id);
			if (kept && !dirtyColumns.has(stage.id)) return kept;
			return columnOf(stage, [...this.#members.get(stage.id)!.values()]);
		});
		return this.#columns;
	}

	destroy() {
		for (const stop of this.#stop.splice(0)) stop();
	}

	// The copy of `id` the board shows, chosen as `boardDeals` chooses (same shard order).
	#winner(id: string): Deal | undefined {
		let best: Deal | undefined;
		for (const cards of this.#cards) {
			const deal = cards.get(id);
			// The old copy of a deal handed to another owner is not shown (SPEC B19).
			if (!deal || deal.movedTo !== undefined) continue;
			if (!best || preferredCopy(deal, best)) best = deal;
		}
		return best;
	}

	// Puts a shown deal in its column (SPEC B12) if it passes the filter; returns the column.
	#place(deal: Deal): string | undefined {
		if (!this.#statuses.includes(deal.status)) return undefined;
		const column = this.#index.resolve(deal.stageId);
		if (column === null) return undefined;
		this.#members.get(column)!.set(deal.id, deal);
		this.#columnOf.set(deal.id, column);
		return column;
	}
}
