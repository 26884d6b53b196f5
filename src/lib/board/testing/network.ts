import * as Y from 'yjs';
import type { Prng } from './prng';

// An in-memory network of replicas for convergence tests, after the idea of Yjs's own
// TestConnector (tests/testHelper.js): local updates are queued at every online peer, and the
// test decides when, in what order and how often each message is delivered. Messages follow the
// y-protocols sync steps: step 1 sends a state vector, step 2 answers with what it lacks.

type Kind = 'step1' | 'step2' | 'update';
type Message = { from: number; doc: string; kind: Kind; payload: Uint8Array };

/** The origin of applied remote updates, so they are not broadcast again. */
const NETWORK = Symbol('network');

export class Replica {
	online = true;
	inbox: Message[] = [];
	readonly docs: Record<string, Y.Doc> = {};

	constructor(
		readonly index: number,
		private readonly net: Network
	) {}

	doc(name: string): Y.Doc {
		return this.docs[name]!;
	}

	addDoc(name: string, clientID: number) {
		const doc = new Y.Doc();
		// Seeded client ids: which concurrent write wins depends on them, and a seed must replay.
		doc.clientID = clientID;
		doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== NETWORK && this.online) this.net.broadcast(this, name, update);
		});
		this.docs[name] = doc;
	}

	receive(m: Message) {
		if (this.online) this.inbox.push(m);
	}
}

export class Network {
	readonly replicas: Replica[];
	delivered = 0;

	constructor(
		private readonly prng: Prng,
		{ replicas, docs }: { replicas: number; docs: readonly string[] }
	) {
		this.replicas = Array.from({ length: replicas }, (_, i) => new Replica(i, this));
		for (const r of this.replicas) {
			for (const name of docs) r.addDoc(name, prng.int(1, 2 ** 31 - 1));
		}
	}

	broadcast(from: Replica, doc: string, payload: Uint8Array) {
		for (const r of this.replicas) {
			if (r !== from) r.receive({ from: from.index, doc, kind: 'update', payload });
		}
	}

	/** Goes offline: messages in flight to it are lost, its own edits wait for the next sync. */
	disconnect(r: Replica) {
		r.online = false;
		r.inbox = [];
	}

	/** Comes back and exchanges state vectors with every online peer (sync step 1). */
	connect(r: Replica) {
		if (r.online) return;
		r.online = true;
		for (const peer of this.replicas) {
			if (peer === r || !peer.online) continue;
			for (const [name, doc] of Object.entries(r.docs)) {
				peer.receive({
					from: r.index,
					doc: name,
					kind: 'step1',
					payload: Y.encodeStateVector(doc)
				});
				const theirs = Y.encodeStateVector(peer.doc(name));
				r.receive({ from: peer.index, doc: name, kind: 'step1', payload: theirs });
			}
		}
	}

	/**
	 * Delivers one message to a random online replica: the oldest from a random sender (a link
	 * keeps order, like a WebSocket), or with `reorder` any queued message at all. With
	 * `duplicate`, the message also stays queued, to arrive again later.
	 */
	deliverRandom({ duplicate = 0, reorder = 0 }: { duplicate?: number; reorder?: number } = {}) {
		const ready = this.replicas.filter((r) => r.online && r.inbox.length > 0);
		if (ready.length === 0) return false;
		const r = this.prng.pick(ready);
		let i: number;
		if (this.prng.chance(reorder)) {
			i = this.prng.int(0, r.inbox.length - 1);
		} else {
			const from = this.prng.pick(r.inbox).from;
			i = r.inbox.findIndex((m) => m.from === from);
		}
		const m = r.inbox[i]!;
		if (!this.prng.chance(duplicate)) r.inbox.splice(i, 1);
		this.apply(r, m);
		return true;
	}

	/** Everyone online, every message delivered (in random order). */
	flush() {
		for (const r of this.replicas) this.connect(r);
		while (this.deliverRandom()) {
			/* keep delivering */
		}
	}

	private apply(r: Replica, m: Message) {
		this.delivered++;
		const doc = r.doc(m.doc);
		if (m.kind === 'step1') {
			const sender = this.replicas[m.from]!;
			const missing = Y.encodeStateAsUpdate(doc, m.payload);
			sender.receive({ from: r.index, doc: m.doc, kind: 'step2', payload: missing });
		} else {
			Y.applyUpdate(doc, m.payload, NETWORK);
		}
	}
}
