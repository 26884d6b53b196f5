import * as Y from 'yjs';
import {
	dealField,
	dealsDocName,
	dealsMap,
	parseBoardDocName,
	readSettings,
	textOf
} from '$lib/board/doc';
import { readStates } from '../collab/log';
import type { Db, Tx } from '../db';
import { shardNames } from '../pipelines/pipelines.repo';
import * as records from '../orgs/records';
import { refreshReceivables } from '../receivables/refresh';
import * as repo from './projection.repo';
import {
	boardRows,
	dealEvents,
	dealRow,
	sameDeal,
	shardRows,
	stageRows,
	type DealRow
} from './rows';

// The live projection of one loaded document into the tables, in one transaction per flush.
// The caller (server/collab/projection.extension.ts) says which cards or stages changed and
// who changed them; the values are read from the document once the transaction holds the
// pipeline's projection lock, so they are never older than what a concurrent rebuild wrote.

/** Who caused the change of each changed stage or card id; null: the server, or not known. */
export type Attribution = ReadonlyMap<string, string | null>;

/** Projects every stage of a pipeline document (a pipeline holds few). */
export async function projectPipeline(
	db: Db,
	{
		orgId,
		pipelineId,
		pipelineDoc,
		attribution
	}: { orgId: string; pipelineId: string; pipelineDoc: Y.Doc; attribution: Attribution }
) {
	// A stage's row can change through another stage's edit (deleting B into A moves B's column
	// when A itself was deleted earlier): those changes go to the last user of this flush.
	const lastUser = [...attribution.values()].findLast((u) => u !== null) ?? null;
	return db.transaction(async (tx) => {
		await repo.beginLiveFlush(tx, { pipelineId });
		const rows = stageRows({ pipelineDoc, orgId, pipelineId });
		await repo.writeSettings(tx, { orgId, pipelineId, settings: readSettings(pipelineDoc) });
		return repo.writeStages(tx, {
			pipelineId,
			rows,
			updatedBy: (id) => attribution.get(id) ?? lastUser
		});
	});
}

/**
 * Projects the cards `dealIds` of the shard `deals:<pipelineId>:<ownerId>` (every card, and every
 * row of the shard, when `dealIds` is null). Returns the rows of the cards it projected, as
 * stored (customer ids the organisation does not have are null), and the customer id each card
 * named when it was read.
 */
export async function projectShard(
	db: Db,
	{
		orgId,
		pipelineId,
		ownerId,
		dealDoc,
		dealIds,
		attribution,
		loadedDoc
	}: {
		orgId: string;
		pipelineId: string;
		ownerId: string;
		dealDoc: Y.Doc;
		dealIds: ReadonlySet<string> | null;
		attribution: Attribution;
		/** A shard loaded in this process (fresher than its stored state), if it is. */
		loadedDoc: (docName: string) => Y.Doc | undefined;
	}
): Promise<{
	rows: DealRow[];
	namedCustomers: Map<string, string | null>;
	/** Whether a win, a win undone or a won deal's amount was recorded (commissions, issue 5). */
	commissionsChanged: boolean;
}> {
	return db.transaction(async (tx) => {
		await repo.beginLiveFlush(tx, { pipelineId });
		const shard = { orgId, pipelineId, ownerId };
		let present: DealRow[];
		let gone: string[];
		let stored: Map<string, DealRow> | null = null;
		if (dealIds === null) {
			present = shardRows({ ...shard, dealDoc });
			const ids = new Set(present.map((r) => r.id));
			stored = new Map(
				(await repo.dealsOfShard(tx, { pipelineId, ownerId })).map((r) => [r.id, r])
			);
			gone = [...stored.keys()].filter((id) => !ids.has(id));
		} else {
			present = [];
			gone = [];
			for (const id of dealIds) {
				const row = dealRow({ ...shard, id, card: dealsMap(dealDoc).get(id) });
				if (row) present.push(row);
				else gone.push(id);
			}
		}
		// What the rows said before this flush, for the deals' history (SPEC B20).
		const before =
			stored ??
			new Map((await repo.dealsByIds(tx, { ids: present.map((r) => r.id) })).map((r) => [r.id, r]));
		const namedCustomers = new Map(present.map((r) => [r.id, r.customerId]));
		present = await repo.withKnownCustomers(tx, { orgId, rows: present });
		// A whole shard (on load) is mostly unchanged: write only what differs from its rows.
		const changed = stored
			? present.filter((r) => {
					const old = stored.get(r.id);
					return !old || !sameDeal(old, r);
				})
			: present;
		const written = new Set(
			await repo.upsertDeals(tx, {
				rows: changed.map((r) => ({ ...r, updatedBy: attribution.get(r.id) ?? null })),
				mode: 'live'
			})
		);
		const events = changed
			.filter((r) => written.has(r.id))
			.flatMap((r) =>
				dealEvents({
					before: before.get(r.id),
					after: r,
					actorId: attribution.get(r.id) ?? null,
					amountReason: textOf(dealField(dealDoc, r.id, 'amountReason')) || null
				})
			);
		const { createdDealIds } = await repo.insertEvents(tx, { events });
		// A win, a win undone, or the amount of a won deal changed: commissions are due again.
		const wonIds = new Set(present.filter((r) => r.status === 'won').map((r) => r.id));
		const commissionsChanged = events.some(
			(e) =>
				(e.kind === 'status' && (e.toValue === 'won' || e.fromValue === 'won')) ||
				(e.kind === 'amount' && wonIds.has(e.dealId))
		);
		// Each new deal counts against the plan's monthly records, once (its first `created`). One
		// made offline after the month was full is kept and flagged, never refused (issue 4).
		const byId = new Map(present.map((r) => [r.id, r]));
		const created = createdDealIds.map((id) => byId.get(id)!);
		const over = await records.reserveMany(tx, { orgId, at: created.map((r) => r.createdAt) });
		const flagged = created.filter((_, i) => over[i]!.overLimit).map((r) => r.id);
		await repo.flagOverLimit(tx, { ids: flagged });
		const deleted = await repo.deleteDeals(tx, { pipelineId, ownerId, ids: gone });
		// What won deals still owe (receivables R14): a win, a change to a won deal, a win undone.
		await refreshReceivables(tx, {
			orgId,
			dealIds: [
				...changed
					.filter((r) => r.status === 'won' || before.get(r.id)?.status === 'won')
					.map((r) => r.id),
				...deleted
			]
		});
		if (deleted.length > 0) {
			// The row was this shard's copy; another shard may hold the deal too (its owner is
			// changing), and the board shows that copy now (SPEC B16).
			const copies = await otherCopies(tx, { ...shard, dealIds: deleted, loadedDoc });
			const rows = await repo.withKnownCustomers(tx, { orgId, rows: copies });
			await repo.upsertDeals(tx, {
				rows: rows.map((r) => ({ ...r, updatedBy: attribution.get(r.id) ?? null })),
				mode: 'live'
			});
		}
		return { rows: present, namedCustomers, commissionsChanged };
	});
}

// The copies of `dealIds` in the pipeline's other shards, one per deal (SPEC B16). Rare (a card
// removed from its shard), so it may read every other shard of the pipeline.
async function otherCopies(
	tx: Tx,
	{
		orgId,
		pipelineId,
		ownerId,
		dealIds,
		loadedDoc
	}: {
		orgId: string;
		pipelineId: string;
		ownerId: string;
		dealIds: string[];
		loadedDoc: (docName: string) => Y.Doc | undefined;
	}
): Promise<DealRow[]> {
	const self = dealsDocName(pipelineId, ownerId);
	const [listed] = await shardNames(tx, { pipelineIds: [pipelineId] });
	const names = (listed?.names ?? []).filter((n) => n !== self);
	const unloaded = names.filter((n) => !loadedDoc(n));
	const states = await readStates(tx, { docNames: unloaded });
	const wanted = new Set(dealIds);
	const found: DealRow[][] = [];
	for (const name of names) {
		const owner = parseBoardDocName(name);
		if (owner?.kind !== 'deals') continue;
		let doc = loadedDoc(name);
		const scratch = doc ? undefined : new Y.Doc();
		if (scratch) {
			const state = states.get(name);
			if (state) Y.applyUpdate(scratch, state);
			doc = scratch;
		}
		const rows: DealRow[] = [];
		for (const id of wanted) {
			const row = dealRow({
				id,
				card: dealsMap(doc!).get(id),
				orgId,
				pipelineId,
				ownerId: owner.ownerId
			});
			if (row) rows.push(row);
		}
		found.push(rows);
		scratch?.destroy();
	}
	return boardRows(found);
}
