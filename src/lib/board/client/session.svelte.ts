import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { dealDocName } from '$lib/deal/doc';
import {
	dealsDocName,
	pipelineDocName,
	readSettings,
	STALE_GENERATION,
	type PipelineSettings
} from '../doc';
import { LiveColumns } from '../live-columns';
import { isOrigin } from '../origin';
import type { Column } from '../read';
import { clearPending, readPending, writePending } from './local';

// One open board in the browser: the pipeline document plus every owner shard the viewer may
// see (design.md), multiplexed over one WebSocket, each kept in IndexedDB so the board opens and
// takes edits with no network. Components read the `$state` fields; they change documents only
// through the named ops in `../ops`, with `scope()`/`shard()` giving them the documents.

export type Me = { id: string; name: string; color: string };
export type Peer = {
	clientId: number;
	user: Me;
	/** Deal being dragged or edited by that person, if any. */
	dealId?: string;
	action?: 'dragging' | 'editing';
};

/**
 * - `connecting`: first contact, nothing local yet.
 * - `saved`: connected and every edit made here is acknowledged, i.e. in PostgreSQL (the server
 *   logs an update before it acknowledges it).
 * - `saving`: connected, some edits not acknowledged yet.
 * - `offline`: no connection; `pending` edits wait in IndexedDB.
 */
export type SaveState = 'connecting' | 'saved' | 'saving' | 'offline';

type Entry = {
	name: string;
	doc: Y.Doc;
	/** Null until the local copy is loaded (see `whenLocal`). */
	provider: HocuspocusProvider | null;
	local: IndexeddbPersistence;
	/** What this browser keeps of the document is in it. */
	localLoaded: boolean;
	/** That local copy held something (the board was opened here before). */
	hadLocal: boolean;
	/** Synced with the server at least once this session. */
	serverSynced: boolean;
};

// A local copy that takes longer than this to load (a blocked or broken IndexedDB) no longer
// holds up the connection to the server.
const LOCAL_TIMEOUT_MS = 4000;

export class BoardSession {
	readonly pipelineId: string;
	readonly me: Me;
	readonly pipelineDoc: Y.Doc;
	/** Shards by owner id; fixed for the session's life, so not reactive. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- filled once in the constructor
	readonly shards = new Map<string, Y.Doc>();

	columns = $state.raw<Column[]>([]);
	settings = $state.raw<PipelineSettings>({ name: '', visibility: 'all', editing: 'own' });
	saveState = $state<SaveState>('connecting');
	/** Edits made here that the server has not acknowledged yet (survives a reload). */
	pending = $state(0);
	peers = $state.raw<Peer[]>([]);
	/** True once the board has something to show (from IndexedDB or the server). */
	ready = $state(false);
	/**
	 * True once the board shows the documents themselves and takes edits: every document loaded
	 * from this browser or synced with the server (or, offline, whatever is here). Until then the
	 * page shows the server's preview of the first screen.
	 */
	live = $state(false);
	/** True once every document has synced with the server at least once this session. */
	synced = $state(false);
	/** A document the server refused (e.g. access changed): the page offers a reload. */
	refused = $state(false);
	/**
	 * A local copy belongs to an older generation of its document (the server rewrote it without
	 * its history): `sending` while this browser posts it to be rebased (the page blocks edits,
	 * which would land in the copy being replaced, then reloads), `failed` while it cannot
	 * (offline: edits go on into the kept copy, which is posted whole on the next try).
	 */
	rebasing = $state<'no' | 'sending' | 'failed'>('no');

	#socket: HocuspocusProviderWebsocket;
	#entries: Entry[] = [];
	/** The board's own documents (pipeline and shards), not the deal documents opened later. */
	#boardEntries: Entry[] = [];
	#columns: LiveColumns;
	#frame = 0;
	#holds = 0;
	#connected = false;
	#destroyed = false;
	#rebaseUrl: string;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
	#stale = new Set<Entry>();
	#rebaseTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(input: {
		url: string;
		/** Where a stale local copy is posted (the board's `rebase` endpoint). */
		rebaseUrl: string;
		pipelineId: string;
		ownerIds: readonly string[];
		me: Me;
	}) {
		this.pipelineId = input.pipelineId;
		this.me = input.me;
		this.#rebaseUrl = input.rebaseUrl;
		this.pending = readPending(this.me.id, this.pipelineId);
		this.#socket = new HocuspocusProviderWebsocket({
			url: input.url,
			// Reconnect quickly at first, then back off to 10 s (a flaky mobile connection).
			delay: 500,
			minDelay: 500,
			maxDelay: 10_000,
			factor: 1.6
		});
		this.#socket.on('status', ({ status }: { status: string }) => {
			this.#connected = status === 'connected';
			// Offline, the board shows what this browser has, even a shard it never kept.
			this.#changed();
		});

		// The browser knows before a ping times out: drop the socket at once when the network goes,
		// and dial again as soon as it is back.
		window.addEventListener('offline', this.#goOffline);
		window.addEventListener('online', this.#goOnline);

		this.pipelineDoc = this.#open(pipelineDocName(input.pipelineId), true);
		for (const ownerId of input.ownerIds) {
			this.shards.set(ownerId, this.#open(dealsDocName(input.pipelineId, ownerId), false));
		}
		this.#columns = new LiveColumns({
			pipelineDoc: this.pipelineDoc,
			dealDocs: [...this.shards.values()]
		});
		this.#recompute();
	}

	/** The documents an op on a deal of `ownerId` needs (SPEC B7: neighbours in any shard). */
	scope(ownerId: string) {
		const dealDoc = this.shards.get(ownerId);
		if (!dealDoc) throw new Error(`no shard open for owner ${ownerId}`);
		return { pipelineDoc: this.pipelineDoc, dealDoc, dealDocs: [...this.shards.values()] };
	}

	shard(ownerId: string) {
		return this.scope(ownerId).dealDoc;
	}

	/** Tells the others which card this person is dragging or editing (or nothing). */
	setActivity(activity: { dealId: string; action: 'dragging' | 'editing' } | null) {
		const awareness = this.#boardEntries[0]?.provider?.awareness;
		awareness?.setLocalStateField('activity', activity);
	}

	/**
	 * Keeps `columns` as they are until the returned function is called: a drag rearranges what
	 * the board shows, and new columns in the middle of it would put the dragged card back and
	 * cost a frame. Changes that arrive meanwhile show at the next frame after the release.
	 */
	hold(): () => void {
		this.#holds += 1;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.#holds -= 1;
			this.#schedule();
		};
	}

	/**
	 * Opens `deal:<dealId>` (deal SPEC D1) on the board's socket, kept in IndexedDB like the
	 * board's documents, so a deal's notes and contact log work offline. The server refuses it
	 * until the card is projected (a deal created a moment ago): then it asks again, a little
	 * later each time, while edits made meanwhile wait locally. Its unacknowledged edits count in
	 * the board's save status.
	 */
	openDeal(dealId: string): { doc: Y.Doc; close: () => void } {
		const name = dealDocName(dealId);
		const doc = new Y.Doc();
		const local = new IndexeddbPersistence(`chot:${this.me.id}:${name}`, doc);
		let entry: (Entry & { provider: HocuspocusProvider }) | undefined;
		let retry: ReturnType<typeof setTimeout> | undefined;
		let closed = false;
		const attach = (attempt: number) => {
			const provider = new HocuspocusProvider({
				websocketProvider: this.#socket,
				name,
				document: doc,
				awareness: null
			});
			provider.on('synced', () => this.#updateSaveState());
			provider.on('unsyncedChanges', () => this.#updateSaveState());
			provider.on('authenticationFailed', () => {
				this.#entries = this.#entries.filter((e) => e !== entry);
				provider.destroy();
				if (closed || attempt >= 8) return;
				retry = setTimeout(() => attach(attempt + 1), Math.min(500 * 2 ** attempt, 15_000));
			});
			provider.attach();
			entry = {
				name,
				doc,
				provider,
				local,
				localLoaded: true,
				hadLocal: false,
				serverSynced: false
			};
			this.#entries.push(entry);
			this.#updateSaveState();
		};
		// Connected once the local copy is in, so the server is not sent it all again (`whenLocal`).
		const stopWaiting = whenLocal(local, () => {
			if (!closed) attach(0);
		});
		const counted = (_update: Uint8Array, origin: unknown) => {
			if (isOrigin(origin) && origin.kind === 'user') {
				this.pending += 1;
				writePending(this.me.id, this.pipelineId, this.pending);
				this.#updateSaveState();
			}
		};
		doc.on('update', counted);
		return {
			doc,
			close: () => {
				closed = true;
				stopWaiting();
				clearTimeout(retry);
				const last = entry;
				const finish = () => {
					this.#entries = this.#entries.filter((e) => e !== last);
					last?.provider.destroy();
					void local.destroy();
					doc.destroy();
					this.#updateSaveState();
				};
				// Closing the drawer must not make an unacknowledged edit look saved: keep the
				// document open (and counted) until the server has it, for up to a minute.
				if (!last || last.provider.unsyncedChanges === 0 || this.#destroyed) return finish();
				const giveUp = setTimeout(finish, 60_000);
				last.provider.on('unsyncedChanges', () => {
					if (last.provider.unsyncedChanges === 0) {
						clearTimeout(giveUp);
						finish();
					}
				});
			}
		};
	}

	#goOffline = () => this.#socket.disconnect();
	#goOnline = () => void this.#socket.connect();

	destroy() {
		this.#destroyed = true;
		clearTimeout(this.#rebaseTimer);
		window.removeEventListener('offline', this.#goOffline);
		window.removeEventListener('online', this.#goOnline);
		cancelAnimationFrame(this.#frame);
		this.#columns.destroy();
		for (const e of this.#entries) {
			e.provider?.destroy();
			void e.local.destroy();
		}
		this.#socket.destroy();
	}

	#open(name: string, withAwareness: boolean): Y.Doc {
		const doc = new Y.Doc();
		// Per user: two people sharing a browser never read each other's cached boards.
		const local = new IndexeddbPersistence(`chot:${this.me.id}:${name}`, doc);
		// Yjs encodes every transaction for the document's 'update' listeners. y-indexeddb's own
		// listener ignores what it loads, so it listens only once the local copy is in: encoding
		// a 5,000-deal shard again for nothing took ~0.3 s of a warm open.
		doc.off('update', local._storeUpdate);
		const entry: Entry = {
			name,
			doc,
			provider: null,
			local,
			localLoaded: false,
			hadLocal: false,
			serverSynced: false
		};
		this.#entries.push(entry);
		this.#boardEntries.push(entry);
		local.on('synced', () => {
			entry.localLoaded = true;
			entry.hadLocal = doc.store.clients.size > 0;
			if (!this.ready && this.pipelineDoc.getMap('stages').size > 0) this.ready = true;
			this.#changed();
		});
		// The provider connects once the local copy is in the document: its sync then asks the
		// server only for what is missing here and sends only what the server lacks. Before, it
		// saw the loaded copy as a local edit and sent the whole document back to the server,
		// which logged it again (4 MB for a 5,000-deal shard, on every warm open).
		whenLocal(local, () => {
			if (this.#destroyed) return;
			doc.on('update', local._storeUpdate);
			doc.on('update', (_update: Uint8Array, origin: unknown) => {
				// Count edits made here (named ops carry an Origin); remote ones are not ours.
				if (isOrigin(origin) && origin.kind === 'user') {
					this.pending += 1;
					writePending(this.me.id, this.pipelineId, this.pending);
					this.#updateSaveState();
				}
				this.#schedule();
			});
			const provider = new HocuspocusProvider({
				websocketProvider: this.#socket,
				name,
				document: doc,
				// Presence lives on the pipeline document only: one awareness per board. Hocuspocus
				// needs at least one awareness per socket for its keep-alive.
				...(withAwareness ? {} : { awareness: null })
			});
			provider.on('synced', () => {
				entry.serverSynced = true;
				if (this.pipelineDoc.getMap('stages').size > 0) this.ready = true;
				this.#changed();
			});
			provider.on('unsyncedChanges', () => this.#updateSaveState());
			provider.on('authenticationFailed', () => {
				this.refused = true;
				this.#changed();
			});
			provider.on('close', ({ event }: { event: { reason?: string } }) => {
				if (event.reason === STALE_GENERATION) this.#staleCopy(entry);
			});
			if (withAwareness) {
				provider.awareness?.setLocalStateField('user', this.me);
				provider.on('awarenessChange', () => this.#readPeers(provider));
			}
			entry.provider = provider;
			// Required with a shared websocketProvider (stack-notes), or it never syncs.
			provider.attach();
			this.#updateSaveState();
		});
		return doc;
	}

	// The server closed a document because this browser's copy belongs to an older generation of
	// it. The provider stops (it would only be refused again); shards rewritten together are
	// collected for a moment so that one reload follows them all.
	#staleCopy(entry: Entry) {
		entry.provider?.destroy();
		entry.provider = null;
		this.#stale.add(entry);
		this.rebasing = 'sending';
		clearTimeout(this.#rebaseTimer);
		this.#rebaseTimer = setTimeout(() => void this.#rebase(), 300);
	}

	// Posts each stale copy whole (its edits made offline are in it), deletes it once the server
	// has carried them into the current generation, then reloads the page, which opens the
	// current generation afresh. Nothing is deleted before the server has it; a failure (offline,
	// the server busy) keeps the copy and tries again, a little later each time.
	async #rebase() {
		for (let attempt = 0; !this.#destroyed && this.#stale.size > 0; attempt++) {
			this.rebasing = 'sending';
			for (const entry of [...this.#stale]) {
				const outcome = await this.#postCopy(entry);
				if (outcome === 'done') this.#stale.delete(entry);
				if (outcome === 'refused') {
					this.rebasing = 'failed';
					return;
				}
			}
			if (this.#stale.size === 0) {
				location.reload();
				return;
			}
			this.rebasing = 'failed';
			await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** attempt, 15_000)));
		}
	}

	async #postCopy(entry: Entry): Promise<'done' | 'retry' | 'refused'> {
		try {
			const res = await fetch(`${this.#rebaseUrl}?doc=${encodeURIComponent(entry.name)}`, {
				method: 'POST',
				headers: { 'content-type': 'application/octet-stream' },
				body: new Blob([Y.encodeStateAsUpdate(entry.doc) as Uint8Array<ArrayBuffer>])
			});
			if (res.ok) {
				await entry.local.clearData();
				return 'done';
			}
			return res.status === 400 || res.status === 403 || res.status === 404 ? 'refused' : 'retry';
		} catch {
			return 'retry';
		}
	}

	// A document loaded or synced: the board may be complete now. Shown at once rather than at
	// the next frame, so the page never says "saved" over the preview.
	#changed() {
		if (this.#destroyed) return;
		this.#updateSaveState();
		if (!this.live && this.ready) {
			const complete = this.#boardEntries.every(
				(e) => e.serverSynced || (e.localLoaded && e.hadLocal)
			);
			if (complete || this.saveState === 'offline' || this.refused) {
				this.#recompute();
				this.live = true;
				return;
			}
		}
		this.#schedule();
	}

	#updateSaveState() {
		if (this.#destroyed) return;
		const providers = this.#entries.map((e) => e.provider);
		// A document not connected yet (its local copy still loading) is not synced.
		const allSynced = providers.every((p) => p?.isSynced === true);
		const unacked = providers.reduce((n, p) => n + (p?.unsyncedChanges ?? 0), 0);
		if (this.#connected && allSynced && unacked === 0) {
			// Every provider has sent what it holds (its sync step 2 on connect carries edits made
			// offline, even before a reload) and the server has acknowledged it: it is in PostgreSQL.
			this.synced = true;
			if (this.pending !== 0) {
				this.pending = 0;
				clearPending(this.me.id, this.pipelineId);
			}
			this.saveState = 'saved';
		} else if (this.#connected) {
			this.saveState = this.pending > 0 || unacked > 0 ? 'saving' : 'connecting';
		} else {
			this.saveState = this.ready || this.pending > 0 ? 'offline' : 'connecting';
		}
	}

	#readPeers(provider: HocuspocusProvider) {
		const out: Peer[] = [];
		for (const [clientId, state] of provider.awareness?.getStates() ?? []) {
			if (clientId === provider.document.clientID) continue;
			const user = state.user as Me | undefined;
			if (!user?.id) continue;
			const activity = state.activity as
				{ dealId: string; action: 'dragging' | 'editing' } | null | undefined;
			out.push({
				clientId,
				user,
				...(activity ? { dealId: activity.dealId, action: activity.action } : {})
			});
		}
		this.peers = out;
	}

	// Documents change in bursts (a sync, a flurry of remote moves): read the board once a frame,
	// and not while a drag holds it.
	#schedule() {
		if (this.#frame || this.#destroyed) return;
		this.#frame = requestAnimationFrame(() => {
			this.#frame = 0;
			if (this.#holds === 0) this.#recompute();
		});
	}

	#recompute() {
		const settings = readSettings(this.pipelineDoc);
		const s = this.settings;
		if (
			settings.name !== s.name ||
			settings.visibility !== s.visibility ||
			settings.editing !== s.editing
		) {
			this.settings = settings;
		}
		// Only the cards and columns the documents changed are read again (LiveColumns); an
		// unchanged board is the same array, so nothing downstream runs.
		const columns = this.#columns.read();
		if (columns !== this.columns) this.columns = columns;
		if (!this.ready && this.pipelineDoc.getMap('stages').size > 0) this.ready = true;
	}
}

/**
 * Runs `fn` once the local copy is loaded into the document, or after LOCAL_TIMEOUT_MS if
 * IndexedDB does not answer. Returns a function that cancels the wait.
 */
function whenLocal(local: IndexeddbPersistence, fn: () => void): () => void {
	let done = false;
	const run = () => {
		if (done) return;
		done = true;
		clearTimeout(timer);
		fn();
	};
	const timer = setTimeout(run, LOCAL_TIMEOUT_MS);
	if (local.synced) run();
	else void local.whenSynced.then(run);
	return () => {
		done = true;
		clearTimeout(timer);
	};
}
