import type { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import { isOrigin, type Origin } from '$lib/board/origin';
import type { LogEntry } from '$lib/server/collab/log';

/**
 * The origin of an update the server has already written to `collab_updates`: the persistence
 * extension does not log it again. It is still an `Origin`, so the projection attributes it to
 * the user it was made for.
 */
export type LoggedOrigin = Origin & { logged: true };

export function isLogged(origin: unknown): origin is LoggedOrigin {
	return isOrigin(origin) && (origin as { logged?: unknown }).logged === true;
}

/**
 * Changes a document from the server through Hocuspocus (design.md: never by replacing a document
 * or writing derived tables behind its back). "Saved means saved" holds for the server's own
 * writes too: the named ops run on a scratch copy of the live document, their update is appended
 * to the log, and only then applied to the live document, which sends it to every client. A
 * client never holds a server change that PostgreSQL could lose (a SIGKILL between broadcast and
 * log write left read-only viewers with an update nobody stored: found by the durability harness).
 * The promise resolves with `fn`'s result once the change is stored and live.
 */
export function createCollabWriter(
	hocuspocus: Hocuspocus,
	append: (entry: LogEntry) => Promise<void>
) {
	return async function change<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
		const connection = await hocuspocus.openDirectConnection(docName, { userId: null });
		try {
			const live = connection.document!;
			// A fresh client id for each change: two changes in flight never share clocks.
			const scratch = new Y.Doc();
			Y.applyUpdate(scratch, Y.encodeStateAsUpdate(live));
			const made: { update: Uint8Array; origin: unknown }[] = [];
			scratch.on('update', (update: Uint8Array, origin: unknown) => made.push({ update, origin }));
			const result = fn(scratch);
			scratch.destroy();
			for (const { update, origin } of made) {
				const userId = isOrigin(origin) && origin.kind === 'user' ? origin.userId : null;
				await append({ docName, update, userId });
				const logged: LoggedOrigin = {
					...(isOrigin(origin) ? origin : { kind: 'server', reason: 'direct' }),
					logged: true
				};
				// Concurrent edits that reached the live document meanwhile merge as any two
				// replicas' do.
				Y.applyUpdate(live, update, logged);
			}
			return result;
		} finally {
			await connection.disconnect();
		}
	};
}
