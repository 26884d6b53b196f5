import type { Hocuspocus } from '@hocuspocus/server';
import type * as Y from 'yjs';

/**
 * Changes a document from the server through Hocuspocus (design.md: never by replacing a document
 * or writing derived tables behind its back). The document is loaded if it is not, `fn` runs the
 * named ops (each tagged with its own origin, which the persistence extension logs as the user
 * who caused it), every connected client receives the result live, and the promise resolves once
 * the update is in `collab_updates`.
 */
export function createCollabWriter(hocuspocus: Hocuspocus) {
	return async function change<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
		const connection = await hocuspocus.openDirectConnection(docName, { userId: null });
		try {
			let result!: T;
			// transact() runs fn, then the store hooks, which wait for this instance's log writes.
			await connection.transact((doc) => {
				result = fn(doc);
			});
			return result;
		} finally {
			await connection.disconnect();
		}
	};
}
