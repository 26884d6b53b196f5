import type { Extension } from '@hocuspocus/server';
import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '$lib/server/db';
import { collabDocuments } from '$lib/server/db/schema';

// Interim persistence for the per-organisation document: load the stored state, store the merged
// state. A load that fails throws (Hocuspocus then refuses the connection) rather than serving an
// empty document. The live-board issue replaces this with an update log written before the ack.
export function persistenceExtension({ db }: { db: Db }): Extension {
	return {
		extensionName: 'persistence',
		async onLoadDocument({ documentName, document }) {
			const [row] = await db
				.select({ state: collabDocuments.state })
				.from(collabDocuments)
				.where(eq(collabDocuments.name, documentName));
			if (row) Y.applyUpdate(document, row.state);
			return document;
		},
		async onStoreDocument({ documentName, document }) {
			const state = Y.encodeStateAsUpdate(document);
			// Merge with what is stored, so a stale instance can never overwrite newer state.
			await db.transaction(async (tx) => {
				const [row] = await tx
					.select({ state: collabDocuments.state })
					.from(collabDocuments)
					.where(eq(collabDocuments.name, documentName))
					.for('update');
				const merged = row ? Y.mergeUpdates([row.state, state]) : state;
				await tx
					.insert(collabDocuments)
					.values({ name: documentName, state: merged })
					.onConflictDoUpdate({
						target: collabDocuments.name,
						set: { state: merged, updatedAt: sql`now()` }
					});
			});
		}
	};
}
