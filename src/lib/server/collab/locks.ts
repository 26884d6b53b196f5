import postgres from 'postgres';
import { DOC_LOCK_CLASS } from './log';

/**
 * The shared advisory locks a collab instance holds on the documents it has loaded. A compaction
 * rewrites a document only when it can take the lock exclusively (log.ts › compact), so never
 * while any instance holds the document in memory. Session locks live as long as their
 * connection, so they are held on a connection of their own (a one-connection client to the
 * same database, no idle or lifetime limit), and calls run one after another on it; taking a lock
 * waits while a rewrite of that document is being committed.
 *
 * When that connection closes (the server restarted it, the network dropped it) its locks go
 * with it: the next call — a heartbeat every `heartbeatMs` while any lock is held — runs on a
 * new connection and first takes every held lock again. A call that fails or takes longer than
 * `timeoutMs` drops the connection, so a stuck one cannot hold up every document load. Between a
 * loss and the next call, a rewrite may slip under a loaded document; its log rows carry the older
 * generation and are rebased by the next compaction, so nothing is lost, and `onRetaken` is told
 * which documents were held through the gap, so the holder can check whether one of them moved
 * on to a newer generation meanwhile (architecture.md › Growth).
 */
export function createDocLocks(
	client: postgres.Sql,
	{
		heartbeatMs = 5000,
		timeoutMs = 15_000,
		onRetaken = () => {}
	}: {
		heartbeatMs?: number;
		timeoutMs?: number;
		/** Called, outside the lock calls' queue, with the documents whose locks were lost and taken
		 * again (some may have been released by the time it runs). */
		onRetaken?: (docNames: string[]) => void;
	} = {}
) {
	const o = client.options;
	let sql: postgres.Sql | null = null;
	// The connection holds none of the locks in `held` (new, or closed and reopened).
	let fresh = true;
	const held = new Map<string, number>();
	let tail: Promise<unknown> = Promise.resolve();

	function connection() {
		if (!sql) {
			// The parsed options of the app's client (host and port lists, password) as given.
			const created: postgres.Sql = postgres({
				host: o.host,
				port: o.port,
				database: o.database,
				user: o.user,
				pass: o.pass,
				ssl: o.ssl,
				max: 1,
				idle_timeout: null,
				max_lifetime: null,
				onnotice: () => {},
				onclose: () => {
					// Only the current connection's loss matters: one dropped after a failed call may
					// close after its successor took the locks, which must not take them twice.
					if (sql === created) fresh = true;
				},
				connection: { application_name: 'chot-doc-locks' }
			} as unknown as postgres.Options<Record<string, never>>);
			sql = created;
			fresh = true;
		}
		return sql;
	}

	async function lock(s: postgres.Sql, docName: string) {
		await s`select pg_advisory_lock_shared(${DOC_LOCK_CLASS}::int, hashtext(${docName}))`;
	}

	async function run(task: (s: postgres.Sql) => Promise<void>) {
		const s = connection();
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				(async () => {
					if (fresh) {
						fresh = false;
						const retaken = [...held.keys()];
						for (const [docName, count] of held) {
							for (let i = 0; i < count; i++) await lock(s, docName);
						}
						// Not awaited: the check may unload documents, whose release queues behind this.
						if (retaken.length > 0) setImmediate(() => onRetaken(retaken));
					}
					await task(s);
				})(),
				new Promise((_, reject) => {
					timer = setTimeout(() => reject(new Error('document lock call timed out')), timeoutMs);
				})
			]);
		} catch (err) {
			// Start over on a new connection: this one's locks are in doubt.
			if (sql === s) sql = null;
			void s.end({ timeout: 0 }).catch(() => {});
			throw err;
		} finally {
			clearTimeout(timer);
		}
	}

	function serially(task: (s: postgres.Sql) => Promise<void>) {
		const next = tail.then(() => run(task));
		tail = next.catch(() => {});
		return next;
	}

	const heartbeat = setInterval(() => {
		if (held.size === 0) return;
		serially(async (s) => {
			await s`select 1`;
		}).catch(() => {});
	}, heartbeatMs);
	heartbeat.unref();

	return {
		/** Takes the document's shared lock (waits while it is being rewritten). */
		hold(docName: string) {
			return serially(async (s) => {
				await lock(s, docName);
				held.set(docName, (held.get(docName) ?? 0) + 1);
			});
		},
		/** Gives back one `hold` of the document. */
		release(docName: string) {
			return serially(async (s) => {
				const count = held.get(docName) ?? 0;
				if (count === 0) return;
				if (count === 1) held.delete(docName);
				else held.set(docName, count - 1);
				await s`select pg_advisory_unlock_shared(${DOC_LOCK_CLASS}::int, hashtext(${docName}))`;
			});
		},
		/** Documents held, with how many holds each (tests). */
		held: () => new Map(held),
		/** Releases every lock by closing the connection (shutdown). */
		async close() {
			clearInterval(heartbeat);
			await tail;
			held.clear();
			const s = sql;
			sql = null;
			await s?.end({ timeout: 5 });
		}
	};
}

export type DocLocks = ReturnType<typeof createDocLocks>;
