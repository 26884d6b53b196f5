import type {
	Extension,
	afterLoadDocumentPayload,
	beforeUnloadDocumentPayload
} from '@hocuspocus/server';
import type * as Y from 'yjs';
import { contactsMap, parseDealDocName, tasksMap } from '$lib/deal/doc';
import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';
import { projectContacts } from '$lib/server/projection/activities';
import { projectTasks } from '$lib/server/projection/tasks';

type Tracked = { dealId: string; doc: Y.Doc; timer: NodeJS.Timeout | null; chain: Promise<void> };

/**
 * Keeps `deal_activities` and `tasks` in step with the contact logs and tasks of `deal:<dealId>`
 * documents (deal SPEC D4, D6), off the hot path like the board projection: a change schedules
 * one flush of both whole maps `flushAfterMs` later (a deal holds tens of entries, not
 * thousands); a load reconciles; an unload flushes first. A failed flush is retried on the next
 * change or load.
 */
export function activitiesExtension({
	db,
	log,
	flushAfterMs = 500
}: {
	db: Db;
	log: Logger;
	flushAfterMs?: number;
}) {
	const tracked = new Map<string, Tracked>();

	function schedule(t: Tracked, delayMs: number) {
		if (t.timer) return;
		t.timer = setTimeout(() => void enqueue(t), delayMs);
		t.timer.unref();
	}

	function enqueue(t: Tracked) {
		if (t.timer) clearTimeout(t.timer);
		t.timer = null;
		// Each map on its own: a refused contact log must not hold the tasks back, nor the reverse.
		t.chain = t.chain.then(() =>
			Promise.all([
				projectContacts(db, { dealId: t.dealId, doc: t.doc }).catch((err: unknown) =>
					log.warn({ err, dealId: t.dealId }, 'could not project a contact log')
				),
				projectTasks(db, { dealId: t.dealId, doc: t.doc }).catch((err: unknown) =>
					log.warn({ err, dealId: t.dealId }, "could not project a deal's tasks")
				)
			]).then(() => undefined)
		);
		return t.chain;
	}

	return {
		extensionName: 'activities',

		async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload) {
			const dealId = parseDealDocName(documentName);
			if (!dealId) return;
			const t: Tracked = { dealId, doc: document, timer: null, chain: Promise.resolve() };
			tracked.set(documentName, t);
			contactsMap(document).observeDeep(() => schedule(t, flushAfterMs));
			tasksMap(document).observeDeep(() => schedule(t, flushAfterMs));
			document.on('destroy', () => {
				if (t.timer) clearTimeout(t.timer);
				if (tracked.get(documentName) === t) tracked.delete(documentName);
			});
			schedule(t, 0);
		},

		async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload) {
			const t = tracked.get(documentName);
			if (t) await enqueue(t);
		},

		/** Flushes every loaded log (for shutdown). */
		async drain() {
			await Promise.all([...tracked.values()].map((t) => enqueue(t)));
		}
	} satisfies Extension & { drain(): Promise<void> };
}
