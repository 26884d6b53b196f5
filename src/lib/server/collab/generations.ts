import * as Y from 'yjs';

// Document generations (architecture.md › Board model › Growth). Every value a Yjs map
// overwrites stays behind as a tombstone, so a board shard that has seen 100,000 moves is ten
// times the size of the same deals written once, for good. A rewrite copies the document's
// current values into a fresh Y.Doc written by one new client (the generation's founder) and
// stores that instead: the same content without the history. A replica that still holds the
// old generation must never be merged into the new one (the two share no items, so every card
// would exist twice over, and the stale values could win); it is rebased instead: its state is
// merged into the old generation's final state, where Yjs decides every conflict as it always
// would, and the values that merge changed are written into the current generation.
//
// Only documents made of maps of maps of plain values can be copied exactly (board shards);
// the others (a deal's notes are Y.Text) are never rewritten.

/** The names of the rewritable documents: board shards, where moves pile up tombstones. */
export function isRewritable(docName: string) {
	return docName.startsWith('deals:');
}

/**
 * A fresh document holding `doc`'s current content and none of its history, written by one new
 * client (`founder`), or null when `doc` holds something a copy could not reproduce exactly.
 */
export function freshCopy(doc: Y.Doc): { copy: Y.Doc; founder: number } | null {
	const roots: [string, Y.Map<unknown>][] = [];
	for (const [name, type] of doc.share) {
		// A root nobody wrote is an AbstractType until someone asks for it as a map.
		if (type._start === null && type._map.size === 0) continue;
		if (!(type instanceof Y.Map) && type._start !== null) return null;
		const map = type instanceof Y.Map ? type : doc.getMap(name);
		if (!copyable(map)) return null;
		roots.push([name, map]);
	}
	if (roots.length === 0) return null;
	const copy = new Y.Doc();
	copy.transact(() => {
		for (const [name, map] of roots) {
			for (const [key, value] of map) copy.getMap(name).set(key, copyIn(copyOut(value)));
		}
	});
	return { copy, founder: copy.clientID };
}

function copyable(map: Y.Map<unknown>): boolean {
	for (const value of map.values()) {
		if (value instanceof Y.Map) {
			if (!copyable(value)) return false;
		} else if (value instanceof Y.AbstractType || value instanceof Y.Doc) return false;
	}
	return true;
}

/** A nested map to create, with its entries (copied out of another document). */
export class MapValue {
	constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** One entry to write: `path` is the root map's name, then the keys down to the entry. */
export type Change =
	| { kind: 'set'; path: readonly string[]; value: unknown }
	| { kind: 'delete'; path: readonly string[] };

/**
 * What `after` wrote relative to `before`, entry by entry: an entry whose value is another Yjs
 * item than before was written (even with the same value: in a merge that write would win over
 * a concurrent one, so it is carried too), and a nested map that is the same item is looked into.
 * An entry gone is deleted.
 */
export function diff(before: Y.Doc, after: Y.Doc): Change[] {
	const changes: Change[] = [];
	const names = new Set([...before.share.keys(), ...after.share.keys()]);
	for (const name of names) diffMap(before.getMap(name), after.getMap(name), [name], changes);
	return changes;
}

function diffMap(before: Y.Map<unknown>, after: Y.Map<unknown>, path: string[], out: Change[]) {
	for (const [key, item] of after._map) {
		if (item.deleted) continue;
		const was = before._map.get(key);
		const value: unknown = after.get(key);
		if (was && !was.deleted && Y.compareIDs(was.id, item.id)) {
			if (value instanceof Y.Map)
				diffMap(before.get(key) as Y.Map<unknown>, value, [...path, key], out);
		} else {
			out.push({
				kind: 'set',
				path: [...path, key],
				value: copyOut(value)
			});
		}
	}
	for (const [key, was] of before._map) {
		if (!was.deleted && !after.has(key)) out.push({ kind: 'delete', path: [...path, key] });
	}
}

// A value read out of a document, as plain data: a nested map becomes a MapValue.
function copyOut(value: unknown): unknown {
	if (!(value instanceof Y.Map)) return value;
	return new MapValue([...value.entries()].map(([k, v]) => [k, copyOut(v)] as const));
}

// The inverse, for writing into a document: a MapValue becomes a new Y.Map.
function copyIn(value: unknown): unknown {
	if (!(value instanceof MapValue)) return value;
	const map = new Y.Map<unknown>();
	for (const [k, v] of value.entries) map.set(k, copyIn(v));
	return map;
}

/**
 * Writes `changes` into `target` (call inside a transaction). An entry whose parent map is gone
 * from the target (deleted meanwhile) is not written: that deletion stands, as it would in a
 * merge. Returns how many entries were written.
 */
export function applyChanges(target: Y.Doc, changes: readonly Change[]) {
	let written = 0;
	for (const change of changes) {
		const [root, ...keys] = change.path;
		let map: Y.Map<unknown> | undefined = target.getMap(root!);
		for (const key of keys.slice(0, -1)) {
			const next: unknown = map.get(key);
			map = next instanceof Y.Map ? (next as Y.Map<unknown>) : undefined;
			if (!map) break;
		}
		if (!map) continue;
		const key = keys.at(-1)!;
		const existing = map.get(key);
		if (change.kind === 'delete') {
			if (!map.has(key)) continue;
			map.delete(key);
		} else if (change.value instanceof MapValue && existing instanceof Y.Map) {
			// A new card the target already holds: the same copy rebased again (the server stopped
			// after its live write and before the archive's, and the client posted it once more).
			// The first rebase wrote it whole, and whatever is in it now is that or newer; a card is
			// never replaced (SPEC B6).
			continue;
		} else map.set(key, copyIn(change.value));
		written += 1;
	}
	return written;
}

/**
 * Rebasing a stale replica's state (`incoming`): merges it into the final state of the
 * generation it belongs to (`archived`) and returns what that merge changed, to write into the
 * current generation, and the archive's new state (to store, so that the same replica rebased
 * again changes nothing).
 */
export function rebase({ archived, incoming }: { archived: Uint8Array; incoming: Uint8Array }) {
	const before = new Y.Doc();
	const after = new Y.Doc();
	try {
		Y.applyUpdate(before, archived);
		Y.applyUpdate(after, archived);
		Y.applyUpdate(after, incoming);
		return { changes: diff(before, after), archived: Y.encodeStateAsUpdate(after) };
	} finally {
		before.destroy();
		after.destroy();
	}
}

/** The generation a replica's state vector belongs to: the newest whose founder it knows. */
export function generationOf(
	stateVector: Map<number, number>,
	generations: readonly { generation: number; founder: number | null }[]
) {
	let found = 0;
	for (const g of generations) {
		if (g.founder !== null && stateVector.has(g.founder) && g.generation > found) {
			found = g.generation;
		}
	}
	return found;
}

/**
 * Whether a decoded update refers to items of a client `known` has never seen (its structs'
 * origins and parents, its deletions) other than its own: an update made against another
 * generation of the document. Updates of the current generation only refer to what the server
 * sent their client.
 */
export function refersToUnknown(
	decoded: ReturnType<typeof Y.decodeUpdate>,
	known: (client: number) => boolean
) {
	const own = new Set<number>();
	for (const s of decoded.structs) own.add(s.id.client);
	const unknown = (client: number) => !own.has(client) && !known(client);
	for (const s of decoded.structs) {
		if (!(s instanceof Y.Item)) continue;
		if (s.origin && unknown(s.origin.client)) return true;
		if (s.rightOrigin && unknown(s.rightOrigin.client)) return true;
		if (s.parent instanceof Y.ID && unknown(s.parent.client)) return true;
	}
	for (const client of decoded.ds.clients.keys()) if (unknown(client)) return true;
	return false;
}

/**
 * Whether a replica's state vector (its sync step 1) belongs to an older generation than the
 * one founded by `founder`: it knows something, but not the founder's copy.
 */
export function isStale(stateVector: Map<number, number>, founder: number | null) {
	return founder !== null && stateVector.size > 0 && !stateVector.has(founder);
}
