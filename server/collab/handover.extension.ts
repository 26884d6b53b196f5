import { Connection, type Extension, type afterLoadDocumentPayload } from '@hocuspocus/server';
import type * as Y from 'yjs';
import { cardField, dealsDocName, dealsMap, parseBoardDocName } from '$lib/board/doc';
import { forwardEdits } from '$lib/board/ops';
import { readCard } from '$lib/board/read';
import type { Logger } from '$lib/server/log';
import type { CollabContext } from './auth.extension';

type ChangeDoc = <T>(docName: string, fn: (doc: Y.Doc) => T) => Promise<T>;

// Keys the hand-over itself writes on the old copy: not edits to carry over.
const OWN_KEYS = new Set(['movedTo', 'updatedAt', 'ownerId']);

/**
 * Carries edits that reach the old copy of a handed-over deal (SPEC B19) over to the new
 * owner's copy. Such edits come from a client that was offline during the hand-over: it syncs
 * its changes to the card it knew. Only the instance that received the client's update forwards
 * it (updates relayed through Redis were forwarded where they arrived); the new copy takes the
 * old copy's current values of the keys that changed, through a named op, attributed to the
 * client's user. The old copy keeps them too, so nothing typed is ever dropped.
 */
export function handoverExtension({ changeDoc, log }: { changeDoc: ChangeDoc; log: Logger }) {
	const inflight = new Set<Promise<unknown>>();

	const extension = {
		extensionName: 'handover',

		async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload) {
			const board = parseBoardDocName(documentName);
			if (board?.kind !== 'deals') return;
			const deals = dealsMap(document);
			deals.observeDeep((events, transaction) => {
				if (!(transaction.origin instanceof Connection)) return;
				const userId = (transaction.origin.context as CollabContext).userId ?? null;
				const changed = new Map<string, Set<string>>();
				for (const event of events) {
					if (event.target === deals || typeof event.path[0] !== 'string') continue;
					const dealId = event.path[0];
					const keys = changed.get(dealId) ?? new Set<string>();
					for (const key of event.keys.keys()) if (!OWN_KEYS.has(key)) keys.add(key);
					changed.set(dealId, keys);
				}
				for (const [dealId, keys] of changed) {
					const card = deals.get(dealId);
					const movedTo = card && cardField(card, 'movedTo');
					if (!card || typeof movedTo !== 'string' || keys.size === 0) continue;
					const from = readCard(dealId, card);
					const target = dealsDocName(board.pipelineId, movedTo);
					const origin = userId
						? ({ kind: 'user', userId } as const)
						: ({ kind: 'server', reason: 'handover-forward' } as const);
					const job = changeDoc(target, (doc) =>
						forwardEdits(doc, { from, keys: [...keys] }, origin)
					)
						.then((written) => {
							if (written.length > 0)
								log.info({ dealId, to: movedTo, keys: written }, 'carried late edits to new owner');
						})
						.catch((err: unknown) =>
							log.error({ err, dealId, to: movedTo }, 'could not carry late edits to new owner')
						);
					inflight.add(job);
					void job.finally(() => inflight.delete(job));
				}
			});
		},

		/** Waits for forwards in flight (for shutdown, before the log drains). */
		async drain() {
			while (inflight.size > 0) await Promise.allSettled([...inflight]);
		}
	} satisfies Extension & { drain(): Promise<void> };
	return extension;
}
