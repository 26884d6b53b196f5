import {
	Connection,
	type Document,
	type Extension,
	type afterLoadDocumentPayload,
	type beforeUnloadDocumentPayload
} from '@hocuspocus/server';
import * as Y from 'yjs';
import {
	dealsMap,
	parseBoardDocName,
	settingsMap,
	stagesMap,
	type BoardDocName
} from '$lib/board/doc';
import { followCustomer, updateDealFields } from '$lib/board/ops';
import { isOrigin, type Origin } from '$lib/board/origin';
import * as inlineCustomers from '$lib/server/customers/inline';
import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import { projectPipeline, projectShard } from '$lib/server/projection/project';
import * as projection from '$lib/server/projection/projection.repo';
import { dealRow, type DealRow } from '$lib/server/projection/rows';
import type { CollabContext } from './auth.extension';

type ChangeDoc = <T>(docName: string, fn: (doc: Y.Doc) => T) => Promise<T>;

type Tracked = {
	name: string;
	board: BoardDocName;
	doc: Document;
	/** Resolved on the first flush; null when the pipeline no longer exists. */
	orgId?: string | null;
	/** Changed card (or stage) ids since the last flush, each with the user who caused it. */
	dirty: Map<string, string | null>;
	/** Reconcile the whole document (after it loads, or after a failed flush of it). */
	everything: boolean;
	timer: NodeJS.Timeout | null;
	/** This document's flushes, one after another. */
	chain: Promise<void>;
	/** Cards whose inline customer is being resolved. */
	resolving: Set<string>;
	/** Failed flushes in a row, for the retry's backoff. */
	failures: number;
	/** The attribution of the flush in progress, if one is. */
	flushing?: Map<string, string | null>;
	/** When the oldest change not yet in a flush was marked (performance.now()), and the oldest
	 * of the flush in progress: how far the tables are behind this document. */
	since: number | null;
	flushingSince: number | null;
};

const INLINE_CUSTOMER: Origin = { kind: 'server', reason: 'inline-customer' };
/** The dirty key of a pipeline document's settings (stage ids are UUIDs, so it never clashes). */
const SETTINGS = 'settings';

/**
 * Keeps the `stages` and `deals` tables in step with the board documents (design.md
 * "Projection"), off the hot path: a change only marks the stages or cards it touched, with the
 * user whose update caused it; each document is flushed `flushAfterMs` later in one transaction,
 * and before it is unloaded. A document is reconciled in full when it loads, which also repairs
 * whatever a crash kept from being flushed. Rows are written from the document's current
 * values, so a flush is idempotent and any flush after the last change leaves the row right,
 * also with several instances sharing documents through Redis (each flushes what it sees).
 *
 * After a deal shard's flush, a card with an inline customer (name, phone) and no customer id
 * gets one: the customer is found by phone or created (customers/inline.ts) and its id written
 * into the card with a named op, through Hocuspocus, like every server-side change; a customer
 * found by phone also gives the card its name (SPEC B24).
 */
export function projectionExtension({
	db,
	log,
	changeDoc,
	flushAfterMs = 1000,
	retryAfterMs = 2000,
	maxFlushes = 2,
	onCommissionsChanged
}: {
	db: Db;
	log: Logger;
	/** A flush recorded a win, a win undone, or a won deal's new amount (issue 5). */
	onCommissionsChanged?: (input: { orgId: string }) => void;
	/** Changes a document from the server (server/collab/direct.ts). */
	changeDoc: ChangeDoc;
	flushAfterMs?: number;
	retryAfterMs?: number;
	/**
	 * Flushes running at once, over all documents. Documents edited together come due together
	 * (100 boards edited at once: 100 transactions a second, all at the same instant), and as
	 * many flushes at once held most of the pool and two cores' worth of PostgreSQL and event
	 * loop: every edit's log insert queued behind them (board bench fan-out p99 with the log's own
	 * pool: 0.14 s; with 2 places too: 0.08–0.10 s, the tables 2–4 s behind). A flush waiting its
	 * turn still takes every change made meanwhile, so under load flushes grow rather than queue.
	 */
	maxFlushes?: number;
}) {
	const tracked = new Map<string, Tracked>();
	// Customer resolutions run outside the flush chains: their write opens a direct connection,
	// whose disconnect may unload the document, and unloading waits for the chain.
	const background = new Set<Promise<unknown>>();
	let closing = false;

	function mark(t: Tracked, id: string, userId: string | null) {
		markInto(t.dirty, id, userId);
		t.since ??= performance.now();
		// A flush in progress reads the document only once its transaction has begun, so it may
		// project this change; without its author it was recorded as nobody's (a follower's
		// notification then named "someone", and told the author of their own change), and the
		// next flush found nothing new. A user already named for the card keeps it.
		const inFlight = t.flushing;
		if (inFlight && (inFlight.get(id) ?? null) === null) inFlight.set(id, userId);
		schedule(t, flushAfterMs);
	}

	function schedule(t: Tracked, delayMs: number) {
		if (t.timer || closing) return;
		t.timer = setTimeout(() => {
			t.timer = null;
			enqueue(t, { resolveCustomers: true });
		}, delayMs);
		t.timer.unref();
	}

	// Flushes of all documents take turns for `maxFlushes` places, first come first served; a
	// finished flush hands its place straight to the next in line.
	let flushing = 0;
	let flushes = 0;
	const waiting: (() => void)[] = [];
	async function inTurn(fn: () => Promise<void>) {
		if (flushing < maxFlushes) flushing += 1;
		else await new Promise<void>((resolve) => waiting.push(resolve));
		try {
			await fn();
		} finally {
			const next = waiting.shift();
			if (next) next();
			else flushing -= 1;
		}
	}

	function enqueue(t: Tracked, options: { resolveCustomers: boolean }) {
		if (t.timer) clearTimeout(t.timer);
		t.timer = null;
		// A flush queued behind another of the same document often finds that one took its changes.
		t.chain = t.chain.then(() => (pending(t) ? inTurn(() => flush(t, options)) : undefined));
		return t.chain;
	}

	const pending = (t: Tracked) => t.everything || t.dirty.size > 0;

	async function flush(t: Tracked, { resolveCustomers }: { resolveCustomers: boolean }) {
		if (!pending(t)) return;
		const { everything, dirty, since } = t;
		t.everything = false;
		t.dirty = new Map();
		t.flushing = dirty;
		t.since = null;
		t.flushingSince = since;
		try {
			t.orgId ??= await projection.orgOf(db, { pipelineId: t.board.pipelineId });
			// A pipeline deleted meanwhile has no rows to keep (they went with it).
			if (t.orgId === null || t.doc.isDestroyed) return;
			if (t.board.kind === 'pipeline') {
				await projectPipeline(db, {
					orgId: t.orgId,
					pipelineId: t.board.pipelineId,
					pipelineDoc: t.doc,
					attribution: dirty
				});
				return;
			}
			const { rows, namedCustomers, commissionsChanged } = await projectShard(db, {
				orgId: t.orgId,
				pipelineId: t.board.pipelineId,
				ownerId: t.board.ownerId,
				dealDoc: t.doc,
				dealIds: everything ? null : new Set(dirty.keys()),
				attribution: dirty,
				loadedDoc: (name) => {
					const other = tracked.get(name)?.doc;
					return other && !other.isDestroyed ? other : undefined;
				}
			});
			t.failures = 0;
			if (commissionsChanged) onCommissionsChanged?.({ orgId: t.orgId });
			if (resolveCustomers) resolveInlineCustomers(t, { rows, namedCustomers, attribution: dirty });
		} catch (err) {
			// Keep what was not projected, attribution included, and try again later, less often
			// each time. A document unloaded first is reconciled in full when it loads again.
			log.warn({ err, docName: t.name }, 'could not project a board document; retrying');
			t.everything ||= everything;
			const merged = new Map(dirty);
			for (const [id, userId] of t.dirty) markInto(merged, id, userId);
			t.dirty = merged;
			if (since !== null) t.since = Math.min(since, t.since ?? since);
			// The pipeline may have been deleted meanwhile (its rows then fail their foreign key).
			t.orgId = undefined;
			t.failures += 1;
			schedule(t, Math.min(retryAfterMs * 2 ** (t.failures - 1), 60_000));
		} finally {
			t.flushing = undefined;
			t.flushingSince = null;
			flushes += 1;
		}
	}

	function resolveInlineCustomers(
		t: Tracked,
		{
			rows,
			namedCustomers,
			attribution
		}: {
			rows: DealRow[];
			/** The customer id each card named when projected (unknown ones included). */
			namedCustomers: ReadonlyMap<string, string | null>;
			attribution: ReadonlyMap<string, string | null>;
		}
	) {
		if (closing || t.board.kind !== 'deals' || !t.orgId) return;
		const orgId = t.orgId;
		const candidates = rows
			.filter((r) => r.customerId === null && (r.customerName || r.customerPhone))
			.filter((r) => !t.resolving.has(r.id))
			// What the card said when it was projected: the id is written only if it still does.
			.map((r) => ({ row: r, seenCustomerId: namedCustomers.get(r.id) ?? null }));
		if (candidates.length === 0) return;
		for (const c of candidates) t.resolving.add(c.row.id);
		const work = (async () => {
			const found: {
				row: DealRow;
				seenCustomerId: string | null;
				customerId: string;
				name: string;
				created: boolean;
			}[] = [];
			for (const c of candidates) {
				try {
					const resolved = await inlineCustomers.resolve(db, {
						orgId,
						dealId: c.row.id,
						name: c.row.customerName,
						phone: c.row.customerPhone,
						ownerId: c.row.ownerId,
						createdBy: attribution.get(c.row.id) ?? c.row.createdBy
					});
					found.push({ ...c, ...resolved });
				} catch (err) {
					log.warn({ err, dealId: c.row.id }, 'could not resolve an inline customer');
				}
			}
			if (found.length === 0 || closing) return;
			await changeDoc(t.name, (doc) => {
				for (const f of found) {
					const now = dealRow({ ...f.row, card: dealsMap(doc).get(f.row.id) });
					// Edited meanwhile (another name or phone, or a customer picked): the next flush
					// decides again from what the card says then.
					if (
						!now ||
						now.customerName !== f.row.customerName ||
						now.customerPhone !== f.row.customerPhone ||
						now.customerId !== f.seenCustomerId
					)
						continue;
					// A customer made from the card has the card's name. An existing one keeps its own,
					// and the card shows it from now on; the name typed stays in the deal's history,
					// where the projection records the change (SPEC B24).
					if (f.created)
						updateDealFields(doc, { dealId: f.row.id, customerId: f.customerId }, INLINE_CUSTOMER);
					else
						followCustomer(
							doc,
							{ dealId: f.row.id, customerId: f.customerId, customerName: f.name },
							INLINE_CUSTOMER
						);
				}
			});
		})()
			.catch((err: unknown) =>
				log.warn({ err, docName: t.name }, 'could not write resolved customers into a card')
			)
			.finally(() => {
				for (const c of candidates) t.resolving.delete(c.row.id);
				background.delete(work);
			});
		background.add(work);
	}

	const extension = {
		extensionName: 'projection',

		async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload) {
			const board = parseBoardDocName(documentName);
			if (!board) return;
			const t: Tracked = {
				name: documentName,
				board,
				doc: document,
				dirty: new Map(),
				everything: true,
				timer: null,
				chain: Promise.resolve(),
				resolving: new Set(),
				failures: 0,
				since: null,
				flushingSince: null
			};
			tracked.set(documentName, t);
			// Registered after the stored state was applied (onLoadDocument), so loading marks
			// nothing; the full reconcile below covers it.
			const watched = board.kind === 'pipeline' ? stagesMap(document) : dealsMap(document);
			watched.observeDeep((events, transaction) => {
				const userId = userOf(transaction.origin);
				for (const event of events) {
					// A card or stage added, replaced or removed; or a field of one changed.
					if (event.target === watched) for (const id of event.keys.keys()) mark(t, id, userId);
					else if (typeof event.path[0] === 'string' && !onlyLedger(event.keys.keys())) {
						mark(t, event.path[0], userId);
					}
				}
			});
			// The settings SQL needs (visibility, editing) are projected with the stages.
			if (board.kind === 'pipeline')
				settingsMap(document).observe((_, transaction) =>
					mark(t, SETTINGS, userOf(transaction.origin))
				);
			document.on('destroy', () => {
				if (t.timer) clearTimeout(t.timer);
				t.timer = null;
				if (tracked.get(documentName) === t) tracked.delete(documentName);
			});
			schedule(t, 0);
		},

		async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload) {
			// Flush what is pending while the document is still in memory. Customer resolution
			// waits for the next load: its write would keep the document loaded.
			const t = tracked.get(documentName);
			if (t) await enqueue(t, { resolveCustomers: false });
		},

		/**
		 * For /metrics: flushes running and waiting for a place, flushes done, and how long ago
		 * the oldest change not yet in the tables was made (0 when they are up to date).
		 */
		stats() {
			const now = performance.now();
			let oldest = now;
			for (const t of tracked.values())
				oldest = Math.min(oldest, t.flushingSince ?? t.since ?? now);
			return { flushing, waiting: waiting.length, flushes, behindMs: Math.round(now - oldest) };
		},

		/** Flushes every loaded document and waits for resolutions in flight (for shutdown). */
		async drain() {
			// No new resolutions; those in flight write into cards, so they finish before the flush.
			closing = true;
			while (background.size > 0) await Promise.allSettled([...background]);
			await Promise.all([...tracked.values()].map((t) => enqueue(t, { resolveCustomers: false })));
		}
	} satisfies Extension & { drain(): Promise<void>; stats(): unknown };
	return extension;
}

/**
 * Copies the server writes into cards and no table reads: the ledger figures (SPEC B21) and the
 * last contact (B22). A change of only these projects nothing.
 */
const serverCopies = new Set(['paid', 'overdue', 'lastContactAt']);

function onlyLedger(keys: Iterable<string>): boolean {
	for (const key of keys) if (!serverCopies.has(key)) return false;
	return true;
}

// Attribution (design.md): a client's update is its connection's user; a server-side change
// made for a user (origin `user`) is theirs; the server's own changes, jobs and updates relayed
// from another instance (which attributes them itself) name nobody.
function userOf(origin: unknown): string | null {
	if (origin instanceof Connection) return (origin.context as CollabContext).userId ?? null;
	if (isOrigin(origin) && origin.kind === 'user') return origin.userId;
	return null;
}

// A user's change is never attributed away to a later change by the server.
function markInto(dirty: Map<string, string | null>, id: string, userId: string | null) {
	if (userId !== null || !dirty.has(id)) dirty.set(id, userId);
}
