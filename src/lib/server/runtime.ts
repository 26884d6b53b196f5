import type PgBoss from 'pg-boss';
import type * as Y from 'yjs';
import type { Config } from './config';
import type { Db } from './db';
import type { Logger } from './log';

// The services one process shares between its parts. The Node entry (server/) and the SvelteKit
// handler are bundled separately, so each has its own copy of this module; the registry therefore
// lives on globalThis under a Symbol, set once at boot before the handler is imported. It holds
// process-wide services only, never per-user state.
export type Runtime = {
	config: Config;
	db: Db;
	boss: PgBoss;
	log: Logger;
	/**
	 * Closes every live collab socket of a user on every instance (membership removed or role
	 * changed, logged out everywhere). Clients that may still connect reconnect and re-authorise.
	 */
	disconnectUser: (input: { userId: string; reason: string }) => Promise<void>;
	/**
	 * Changes a collab document on the server (named ops only, each with its origin), live for
	 * every client; resolves once the change is in the update log. Only on instances with the
	 * collab role.
	 */
	changeDoc: <T>(docName: string, fn: (doc: Y.Doc) => T) => Promise<T>;
	/**
	 * Calls `onChange` whenever one of the user's notifications is added or changes (on any
	 * instance: a trigger NOTIFYs). Returns the function that stops watching.
	 */
	watchNotifications: (userId: string, onChange: () => void) => () => void;
	/** Counters exposed at /metrics (loopback only). */
	counters: Map<string, number>;
};

const KEY = Symbol.for('chot.runtime');
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined) {
	(globalThis as Holder)[KEY] = runtime;
}

export function runtime(): Runtime {
	const r = (globalThis as Holder)[KEY];
	if (!r) throw new Error('Chốt runtime is not initialised (start the app through server/)');
	return r;
}

export function count(name: string, by = 1) {
	const c = runtime().counters;
	c.set(name, (c.get(name) ?? 0) + by);
}
