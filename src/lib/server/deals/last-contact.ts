import { sql } from 'drizzle-orm';
import type * as Y from 'yjs';
import { cardField, dealsDocName, dealsMap } from '$lib/board/doc';
import { BoardOpError, setLastContact } from '$lib/board/ops';
import { isUuid } from '$lib/board/order';
import { dealDocName, readContacts } from '$lib/deal/doc';
import type { Tx } from '../db';
import type { Runtime } from '../runtime';

// The last contact on a board card (board SPEC B22): a copy of the latest `at` of the deal's
// contact log, so every open board can flag idle deals live without reading the log. The log is
// the truth; these functions keep the copy in step from it.

const origin = { kind: 'server', reason: 'last-contact' } as const;

/** A live document of this instance, when it has it loaded (a peek, never a load). */
export type Peek = (docName: string) => Y.Doc | undefined;

/** The latest contact in a deal document's log, counting what the projection keeps; or null. */
export function lastContactOf(doc: Y.Doc): number | null {
	let latest: number | null = null;
	for (const c of readContacts(doc)) {
		if (!isUuid(c.id) || !Number.isSafeInteger(c.at) || c.at < 0) continue;
		if (latest === null || c.at > latest) latest = c.at;
	}
	return latest;
}

function cardHolds(doc: Y.Doc | undefined, dealId: string, value: number | null) {
	const card = doc ? dealsMap(doc).get(dealId) : undefined;
	return card !== undefined && (cardField(card, 'lastContactAt') ?? null) === value;
}

/**
 * Writes a deal's last contact into its card, in the shard the projection says it lives in.
 * Opens the shard only when the live copy here does not already hold the value. False when the
 * deal is not projected yet or not in that shard (a hand-over in flight): the shard's next load
 * reconciles it.
 */
export async function writeLastContact(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{ dealId, lastContactAt, peek }: { dealId: string; lastContactAt: number | null; peek: Peek }
): Promise<boolean> {
	const [deal] = await rt.db.execute<{ pipeline_id: string; owner_id: string }>(
		sql`select pipeline_id, owner_id from deals where id = ${dealId}`
	);
	if (!deal) return false;
	const name = dealsDocName(deal.pipeline_id, deal.owner_id);
	if (cardHolds(peek(name), dealId, lastContactAt)) return true;
	try {
		await rt.changeDoc(name, (doc) => setLastContact(doc, { dealId, lastContactAt }, origin));
		return true;
	} catch (err) {
		if (err instanceof BoardOpError && err.code === 'deal_not_found') return false;
		throw err;
	}
}

/**
 * What every card of a shard should hold: from the deal's document when this instance has it
 * loaded (it may be ahead of the table by a flush), from `deal_activities` otherwise (flushed
 * before a deal document unloads). Copies of a handed-over deal are left alone.
 */
export async function expectedLastContacts(
	db: Tx,
	{ shard, peek }: { shard: Y.Doc; peek: Peek }
): Promise<Map<string, number | null>> {
	const out = new Map<string, number | null>();
	const fromTable: string[] = [];
	for (const [id, card] of dealsMap(shard)) {
		if (!isUuid(id) || cardField(card, 'movedTo') !== undefined) continue;
		const live = peek(dealDocName(id));
		if (live) out.set(id, lastContactOf(live));
		else fromTable.push(id);
	}
	if (fromTable.length === 0) return out;
	const rows = await db.execute<{ deal_id: string; last: string | null }>(sql`
		select d.id as deal_id, (extract(epoch from max(a.at)) * 1000)::bigint::text as last
		from unnest(${sql.param(fromTable)}::uuid[]) as d(id)
		left join deal_activities a on a.deal_id = d.id
		group by d.id`);
	for (const r of rows) out.set(r.deal_id, r.last === null ? null : Number(r.last));
	return out;
}

/**
 * Brings every card of a loaded shard in step with its deal's contact log (after a crash lost a
 * write, or for deals contacted before cards held the copy). Writes only the cards that differ,
 * in one change. Returns how many it wrote.
 */
export async function reconcileShard(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{ docName, shard, peek }: { docName: string; shard: Y.Doc; peek: Peek }
): Promise<number> {
	const expected = await expectedLastContacts(rt.db, { shard, peek });
	const differing = [...expected].filter(([id, value]) => !cardHolds(shard, id, value));
	if (differing.length === 0) return 0;
	return rt.changeDoc(docName, (doc) => {
		let written = 0;
		for (const [dealId, lastContactAt] of differing) {
			if (!dealsMap(doc).has(dealId)) continue; // removed meanwhile
			if (setLastContact(doc, { dealId, lastContactAt }, origin)) written += 1;
		}
		return written;
	});
}
