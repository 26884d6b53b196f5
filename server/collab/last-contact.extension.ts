import type {
	Extension,
	Hocuspocus,
	afterLoadDocumentPayload,
	beforeUnloadDocumentPayload
} from '@hocuspocus/server';
import type * as Y from 'yjs';
import { parseBoardDocName } from '$lib/board/doc';
import { contactsMap, parseDealDocName } from '$lib/deal/doc';
import type { Db } from '$lib/server/db';
import {
	lastContactOf,
	reconcileShard,
	writeLastContact,
	type Peek
} from '$lib/server/deals/last-contact';
import type { Logger } from '$lib/server/log';
import type { Runtime } from '$lib/server/runtime';

type Tracked = {
	dealId: string;
	doc: Y.Doc;
	timer: NodeJS.Timeout | null;
	chain: Promise<void>;
	/** Flushes in a row that found no card: a deal made offline may not be projected yet. */
	misses: number;
};

const MAX_MISSES = 5;

/**
 * Keeps each board card's `lastContactAt` in step with its deal's contact log (board SPEC B22):
 * a change to the log of a loaded `deal:<id>` writes the card (debounced, and only when the card
 * holds another value), and a shard that loads is reconciled once, catching writes a crash lost.
 * The cards' key is ignored by the board projection and the log is not in the shard, so a
 * write here never leads back here.
 */
export function lastContactExtension({
	db,
	log,
	changeDoc,
	flushAfterMs = 500
}: {
	db: Db;
	log: Logger;
	changeDoc: Runtime['changeDoc'];
	flushAfterMs?: number;
}) {
	const rt = { db, changeDoc };
	const tracked = new Map<string, Tracked>();
	const background = new Set<Promise<unknown>>();
	let hocuspocus: Hocuspocus | undefined;
	const peek: Peek = (name) => hocuspocus?.documents.get(name);

	function inBackground(work: Promise<unknown>) {
		background.add(work);
		void work.finally(() => background.delete(work));
	}

	function schedule(t: Tracked, delayMs: number) {
		if (t.timer) return;
		t.timer = setTimeout(() => void flush(t), delayMs);
		t.timer.unref();
	}

	function flush(t: Tracked) {
		if (t.timer) clearTimeout(t.timer);
		t.timer = null;
		t.chain = t.chain.then(() =>
			writeLastContact(rt, { dealId: t.dealId, lastContactAt: lastContactOf(t.doc), peek })
				.then((written) => {
					t.misses = written ? 0 : t.misses + 1;
					if (!written && t.misses < MAX_MISSES) schedule(t, flushAfterMs * 4 * t.misses);
				})
				.catch((err: unknown) =>
					log.warn({ err, dealId: t.dealId }, 'could not write the last contact into a card')
				)
		);
		return t.chain;
	}

	return {
		extensionName: 'last-contact',

		async afterLoadDocument({ documentName, document, instance }: afterLoadDocumentPayload) {
			hocuspocus = instance;
			const dealId = parseDealDocName(documentName);
			if (dealId) {
				const t: Tracked = {
					dealId,
					doc: document,
					timer: null,
					chain: Promise.resolve(),
					misses: 0
				};
				tracked.set(documentName, t);
				contactsMap(document).observeDeep(() => schedule(t, flushAfterMs));
				document.on('destroy', () => {
					t.misses = MAX_MISSES; // no retry on a document that is gone
					if (t.timer) clearTimeout(t.timer);
					if (tracked.get(documentName) === t) tracked.delete(documentName);
				});
				return;
			}
			if (parseBoardDocName(documentName)?.kind !== 'deals') return;
			// After the load completes: the write goes through a direct connection to this document.
			inBackground(
				new Promise((r) => setImmediate(r))
					.then(() => reconcileShard(rt, { docName: documentName, shard: document, peek }))
					.catch((err: unknown) =>
						log.warn({ err, documentName }, "could not reconcile a shard's last contacts")
					)
			);
		},

		async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload) {
			const t = tracked.get(documentName);
			if (t?.timer) await flush(t);
		},

		/** Finishes pending writes (for shutdown). */
		async drain() {
			await Promise.all([...tracked.values()].filter((t) => t.timer).map((t) => flush(t)));
			while (background.size > 0) await Promise.allSettled([...background]);
		}
	} satisfies Extension & { drain(): Promise<void> };
}
