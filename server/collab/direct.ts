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
	append: (entry: LogEntry) => Promise<void>,
	{ holdMs = 15_000, maxHeld = 500 }: { holdMs?: number; maxHeld?: number } = {}
) {
	// A direct connection to a document nobody has open loads it (snapshot, log, the projection's
	// reconcile) and, when it disconnects, stores and unloads it again. Server writes come in runs
	// (a payment after a payment, a job over many deals), so the connection is held for `holdMs`
	// after its last change and reused: one load per run instead of one per change.
	type Connection = Awaited<ReturnType<Hocuspocus['openDirectConnection']>>;
	type Held = { connection: Connection; uses: number; timer?: NodeJS.Timeout };
	const held = new Map<string, Promise<Held>>();

	function letGo(docName: string, entry: Held) {
		if (entry.uses > 0) return;
		clearTimeout(entry.timer);
		held.delete(docName);
		return entry.connection.disconnect();
	}

	async function acquire(docName: string): Promise<Held> {
		let pending = held.get(docName);
		if (!pending) {
			pending = hocuspocus
				.openDirectConnection(docName, { userId: null })
				.then((connection) => ({ connection, uses: 0 }));
			held.set(docName, pending);
			pending.catch(() => held.delete(docName));
		}
		const entry = await pending;
		entry.uses += 1;
		clearTimeout(entry.timer);
		return entry;
	}

	async function release(docName: string, entry: Held) {
		entry.uses -= 1;
		if (entry.uses > 0) return;
		if (held.size > maxHeld) return letGo(docName, entry);
		entry.timer = setTimeout(() => void letGo(docName, entry), holdMs);
		entry.timer.unref();
	}

	// The server writes as one Yjs client per writer (process), not a fresh one per change: every
	// client id stays in a document's state vector for good, so a new id per change grew each
	// document by one entry per server write, and encoding it got slower with every payment.
	// Changes to one document run one at a time, so each starts from a live document that holds
	// the previous one and takes the next clocks. After a failure the update may or may not be in
	// the log, so the writer takes a new id rather than risk reusing those clocks.
	let clientID = new Y.Doc().clientID;
	const tails = new Map<string, Promise<unknown>>();

	function serially<T>(docName: string, task: () => Promise<T>): Promise<T> {
		const run = (tails.get(docName) ?? Promise.resolve()).then(task, task);
		const tail = run.catch(() => {});
		tails.set(docName, tail);
		void tail.then(() => {
			if (tails.get(docName) === tail) tails.delete(docName);
		});
		return run;
	}

	function change<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
		return serially(docName, () => changeNow(docName, fn));
	}

	async function changeNow<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
		const entry = await acquire(docName);
		const made: { update: Uint8Array; origin: unknown }[] = [];
		try {
			const live = entry.connection.document!;
			const scratch = new Y.Doc();
			Y.applyUpdate(scratch, Y.encodeStateAsUpdate(live));
			// Set after loading: Yjs gives a document a new id when a remote update brings structs
			// of its own id (which the live document holds from this writer's earlier changes).
			scratch.clientID = clientID;
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
		} catch (err) {
			// An op that refused (nothing made) used no clocks.
			if (made.length > 0) clientID = new Y.Doc().clientID;
			throw err;
		} finally {
			await release(docName, entry);
		}
	}

	/** Lets go of every held document (shutdown; tests that count loaded documents). */
	async function releaseAll() {
		const entries = await Promise.allSettled(
			[...held.entries()].map(async ([n, p]) => [n, await p] as const)
		);
		await Promise.all(
			entries.flatMap((r) => (r.status === 'fulfilled' ? [letGo(r.value[0], r.value[1])] : []))
		);
	}

	return Object.assign(change, { releaseAll });
}
