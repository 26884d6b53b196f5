import type postgres from 'postgres';
import { DOC_LOCK_CLASS } from './log';

/**
 * The shared advisory locks a collab instance holds on the documents it has loaded, on one
 * connection reserved for them (session locks live as long as their connection). A compaction
 * rewrites a document only when it can take the lock exclusively (log.ts › compact), so never
 * while any instance holds the document in memory. Calls run one after another on the
 * connection; taking a lock waits while a rewrite of that document is being committed.
 *
 * If the connection is lost, its locks go with it: the next call reserves a new one and takes
 * again every lock still held. In between, a rewrite may happen under a loaded document; its log
 * rows then carry the older generation and are rebased by the next compaction, so nothing is
 * lost (architecture.md › Growth).
 */
export function createDocLocks(client: postgres.Sql) {
	let reserved: Promise<postgres.ReservedSql> | null = null;
	const held = new Map<string, number>();
	let tail: Promise<unknown> = Promise.resolve();

	function connection() {
		reserved ??= client.reserve();
		return reserved;
	}

	async function lock(sql: postgres.ReservedSql, docName: string) {
		await sql`select pg_advisory_lock_shared(${DOC_LOCK_CLASS}::int, hashtext(${docName}))`;
	}

	async function run(task: (sql: postgres.ReservedSql) => Promise<void>) {
		try {
			await task(await connection());
		} catch (err) {
			if (!isConnectionError(err)) throw err;
			// Lost with its locks: start over on a new connection with every lock still held.
			const lost = reserved;
			reserved = null;
			void lost?.then((s) => s.release()).catch(() => {});
			const sql = await connection();
			for (const [docName, count] of held) {
				for (let i = 0; i < count; i++) await lock(sql, docName);
			}
			await task(sql);
		}
	}

	function serially(task: (sql: postgres.ReservedSql) => Promise<void>) {
		const next = tail.then(() => run(task));
		tail = next.catch(() => {});
		return next;
	}

	return {
		/** Takes the document's shared lock (waits while it is being rewritten). */
		hold(docName: string) {
			return serially(async (sql) => {
				await lock(sql, docName);
				held.set(docName, (held.get(docName) ?? 0) + 1);
			});
		},
		/** Gives back one `hold` of the document. */
		release(docName: string) {
			return serially(async (sql) => {
				const count = held.get(docName) ?? 0;
				if (count === 0) return;
				if (count === 1) held.delete(docName);
				else held.set(docName, count - 1);
				await sql`select pg_advisory_unlock_shared(${DOC_LOCK_CLASS}::int, hashtext(${docName}))`;
			});
		},
		/** Documents held, with how many holds each (tests). */
		held: () => new Map(held),
		/** Releases every lock and gives the connection back (shutdown). */
		async close() {
			await tail;
			held.clear();
			const r = reserved;
			reserved = null;
			if (!r) return;
			const sql = await r;
			// A pooled connection must not go back holding session locks.
			await sql`select pg_advisory_unlock_all()`.catch(() => {});
			sql.release();
		}
	};
}

export type DocLocks = ReturnType<typeof createDocLocks>;

function isConnectionError(err: unknown) {
	const code = (err as { code?: unknown } | null)?.code;
	return (
		typeof code === 'string' &&
		(code.startsWith('CONNECTION_') || code === 'ECONNRESET' || code === 'ECONNREFUSED')
	);
}
