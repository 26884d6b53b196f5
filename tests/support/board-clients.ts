import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
	dealField,
	dealsDocName,
	dealsMap,
	pipelineDocName,
	readStages
} from '../../src/lib/board/doc';
import {
	createDeal,
	isBoardOpError,
	moveDeal,
	moveStage,
	renameStage,
	setStageFields,
	setStar,
	setStatus,
	updateDealFields
} from '../../src/lib/board/ops';
import type { Origin } from '../../src/lib/board/origin';
import { columns, stageResolver, type Column } from '../../src/lib/board/read';
import { Prng } from '../../src/lib/board/testing/prng';
import { wsWithHeaders } from './collab-client';

// Live board clients for durability harnesses: real Hocuspocus providers over real WebSockets,
// changing board documents only through the named operations (SPEC B5), and keeping, per
// document, every update their ops produced and how many of them the server has acknowledged.
//
// "Acknowledged", precisely. Hocuspocus answers every sync-step-2 and update message it applies
// with one SyncStatus ack, and our persistence extension holds that apply until the update is
// committed to `collab_updates`. The provider keeps `unsyncedChanges`: +1 per update it sends,
// reset to 1 when a connection starts syncing (for the sync step 2 it is about to send, which
// carries everything the server lacks, so also whatever an earlier connection never got acked),
// −1 per ack. An op writes one transaction, whose update the provider sends synchronously inside
// the op; the op is recorded right after. So when `unsyncedChanges` reaches 0, every op recorded
// for that document so far has been acknowledged, and `acked` moves up to them.
// One provider quirk makes the count lie: an update made while the socket is down is queued and
// flushed after the reset to 1, so its ack can bring the count to 0 while the step 2 (carrying
// older unacknowledged ops) is still unanswered. Clients therefore edit only on an open, synced
// connection, as the provider's count is only exact then; offline editing is the offline test's.

export type OpRecord = { name: string; update: Uint8Array };

/** One client's copy of one document. */
export type Replica = {
	docName: string;
	writable: boolean;
	doc: Y.Doc;
	provider: HocuspocusProvider;
	socket: HocuspocusProviderWebsocket;
	/** Resolves on the first sync; rejects if the server refuses the document. */
	synced: Promise<void>;
	/** The updates of this client's successful ops on this document, in the order sent. */
	ops: OpRecord[];
	/** ops[0 .. acked) are acknowledged by the server. */
	acked: number;
	/** Seen on the wire: the last sync step 2 sent, and SyncStatus refusals with the step 2 before. */
	wire: { lastStep2?: Uint8Array; refusals: number; refusedStep2?: Uint8Array };
};

export type BoardUser = { id: string; role: 'owner' | 'manager' | 'sales'; cookie: string };
export type Board = { pipelineId: string; shardOwners: string[] };

export type BoardClient = {
	index: number;
	user: BoardUser;
	board: Board;
	pipeline: Replica;
	/** Every shard of the board, by owner id (the view); `writable` marks those it may edit. */
	shards: Map<string, Replica>;
	replicas: Replica[];
	prng: Prng;
	origin: Origin;
	stats: Map<string, number>;
	destroy(): void;
};

export function boardDocNames(board: Board) {
	return [
		pipelineDocName(board.pipelineId),
		...board.shardOwners.map((o) => dealsDocName(board.pipelineId, o))
	];
}

/**
 * Opens the pipeline document and every shard of the board over one reconnecting socket, as the
 * browser does (src/lib/board/client/session.svelte.ts: multiplexed, awareness on the pipeline
 * document only). Reps write their own shard; owners and managers every shard and the pipeline
 * document (their access, server/collab/auth.extension.ts).
 */
export function openBoardClient({
	origin,
	index,
	user,
	board,
	seed,
	onServerVector
}: {
	origin: string;
	index: number;
	user: BoardUser;
	board: Board;
	seed: number;
	/** Called with the state vector the server announces (its sync step 1) for a document. */
	onServerVector?: (docName: string, vector: Map<number, number>, client: number) => void;
}): BoardClient {
	const manages = user.role === 'owner' || user.role === 'manager';
	const byName = new Map<string, Replica>();
	// Sync step 2 frames out; the server's sync step 1 and SyncStatus frames in.
	const tap = (direction: 'in' | 'out', frame: Uint8Array) => {
		const m = readSyncFrame(frame);
		const r = m && byName.get(m.docName);
		if (!m || !r) return;
		if (direction === 'out' && m.step2) r.wire.lastStep2 = m.step2;
		if (direction === 'in' && m.step1) {
			onServerVector?.(m.docName, Y.decodeStateVector(m.step1), index);
		}
		if (direction === 'in' && m.applied === false) {
			r.wire.refusals++;
			r.wire.refusedStep2 = r.wire.lastStep2;
		}
	};
	const Base = wsWithHeaders({ origin, cookie: user.cookie });
	const socket = new HocuspocusProviderWebsocket({
		url: origin.replace(/^http/, 'ws') + '/collab',
		// `ws` emits 'error' when the provider closes a socket that is still connecting (a retry
		// racing a slow handshake) after it has removed its listeners; unheard, that error would
		// be thrown. A browser's WebSocket never throws there.
		WebSocketPolyfill: class extends Base {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols);
				this.on('error', () => {});
				this.on('message', (data: ArrayBuffer | Buffer) => tap('in', new Uint8Array(data)));
				const send = this.send.bind(this) as (...args: unknown[]) => void;
				this.send = ((data: unknown, ...rest: unknown[]) => {
					if (data instanceof Uint8Array) tap('out', data);
					send(data, ...rest);
				}) as WebSocket['send'];
			}
		},
		// The reconnect timings of collab-client's `connect({ reconnect: true })`.
		delay: 100,
		minDelay: 100,
		factor: 1.5,
		maxDelay: 1000
	});
	const open = (docName: string, writable: boolean, awareness: boolean): Replica => {
		const doc = new Y.Doc();
		const provider = new HocuspocusProvider({
			websocketProvider: socket,
			name: docName,
			document: doc,
			...(awareness ? {} : { awareness: null })
		});
		const synced = new Promise<void>((resolve, reject) => {
			provider.on('synced', () => resolve());
			provider.on('authenticationFailed', ({ reason }: { reason: string }) =>
				reject(new Error(`${docName}: authentication failed: ${reason}`))
			);
		});
		const replica: Replica = {
			docName,
			writable,
			doc,
			provider,
			socket,
			synced,
			ops: [],
			acked: 0,
			wire: { refusals: 0 }
		};
		byName.set(docName, replica);
		provider.on('unsyncedChanges', ({ number }: { number: number }) => {
			if (number === 0) replica.acked = replica.ops.length;
		});
		// Required with a shared websocketProvider (stack-notes), or it never syncs.
		provider.attach();
		return replica;
	};
	const pipeline = open(pipelineDocName(board.pipelineId), manages, true);
	const shards = new Map(
		board.shardOwners.map((ownerId) => [
			ownerId,
			open(dealsDocName(board.pipelineId, ownerId), manages || ownerId === user.id, false)
		])
	);
	const replicas = [pipeline, ...shards.values()];
	return {
		index,
		user,
		board,
		pipeline,
		shards,
		replicas,
		prng: new Prng(seed),
		origin: { kind: 'user', userId: user.id },
		stats: new Map(),
		destroy() {
			for (const r of replicas) r.provider.destroy();
			socket.destroy();
			// As collab-client's destroy(): a finished client must not dial a restarting server.
			socket.connect = async () => {};
		}
	};
}

/** Connected, authenticated, synced, socket open: the provider's ack count is exact (above). */
export function live(r: Replica) {
	const p = r.provider;
	return p.isSynced && p.isAuthenticated && r.socket.webSocket?.readyState === WebSocket.OPEN;
}

export function settled(r: Replica) {
	return live(r) && r.provider.unsyncedChanges === 0;
}

const titles = [
	'Máy lọc nước',
	'Phần mềm kế toán',
	'Bàn ghế văn phòng',
	'Cà phê sỉ',
	'Đơn hàng 🎉'
];
const customers = [
	'Công ty TNHH Ánh Dương',
	'Cửa hàng Bảy Hiền',
	'Tạp hóa Cô Ba',
	'Nhà thuốc An Khang'
];
const phones = ['0912 345 678', '+84 903 123 456', '028 3930 1234'];
const colors = ['#64748b', '#0ea5e9', '#f59e0b', '#10b981'];

type Step = { name: string; replica: Replica; run: () => void };

/**
 * Runs one random named operation with valid inputs taken from the client's current view, on a
 * document it may write whose connection is live. Returns its outcome (`createDeal:ok`,
 * `moveDeal:noop`, `…:refused:<code>`, `idle` when nothing it may write is live).
 */
export function randomStep(client: BoardClient, { maxDeals = 400 } = {}): string {
	const step = pickStep(client, maxDeals);
	if (!step) return count(client, 'idle');
	let update: Uint8Array | null = null;
	const onUpdate = (u: Uint8Array, origin: unknown) => {
		if (origin === client.origin) update = u;
	};
	step.replica.doc.on('update', onUpdate);
	try {
		step.run();
	} catch (e) {
		if (!isBoardOpError(e)) throw e;
		return count(client, `${step.name}:refused:${e.code}`);
	} finally {
		step.replica.doc.off('update', onUpdate);
	}
	if (!update) return count(client, `${step.name}:noop`);
	step.replica.ops.push({ name: step.name, update });
	return count(client, `${step.name}:ok`);
}

function count(client: BoardClient, key: string) {
	client.stats.set(key, (client.stats.get(key) ?? 0) + 1);
	return key;
}

function pickStep(client: BoardClient, maxDeals: number): Step | null {
	const { prng } = client;
	const writable = [...client.shards.values()].filter((r) => r.writable && live(r));
	const stageOps = client.pipeline.writable && live(client.pipeline);
	if (writable.length === 0 && !stageOps) return null;
	if (stageOps && (writable.length === 0 || prng.chance(0.04))) return stageStep(client);
	const shard = prng.pick(writable);
	const ownerId = [...client.shards].find(([, r]) => r === shard)![0];
	const pipelineDoc = client.pipeline.doc;
	const dealDocs = [...client.shards.values()].map((r) => r.doc);
	const scope = { pipelineDoc, dealDoc: shard.doc, dealDocs };
	const stages = readStages(pipelineDoc);
	if (stages.length === 0) return null;
	const ids = [...dealsMap(shard.doc).keys()];
	const boardSize = dealDocs.reduce((n, d) => n + dealsMap(d).size, 0);
	const at = Date.now();
	const kind =
		ids.length === 0
			? 'createDeal'
			: prng.weighted<string>([
					[boardSize < maxDeals ? 3 : 0.2, 'createDeal'],
					[6, 'moveDeal'],
					[2, 'updateDealFields'],
					[1, 'setStar'],
					[2, 'setStatus']
				]);
	const cols = () => columns({ pipelineDoc, dealDocs });
	switch (kind) {
		case 'createDeal': {
			const id = uuidv7();
			const column = prng.pick(cols());
			return {
				name: kind,
				replica: shard,
				run: () =>
					createDeal(
						scope,
						{
							id,
							title: `${prng.pick(titles)} #${client.index}-${shard.ops.length}`,
							stageId: column.stage.id,
							ownerId,
							amount: prng.int(0, 5000) * 100_000,
							...(prng.chance(0.5) ? { customerName: prng.pick(customers) } : {}),
							...(prng.chance(0.3) ? { customerPhone: prng.pick(phones) } : {}),
							...neighbours(prng, column, id),
							at
						},
						client.origin
					)
			};
		}
		case 'moveDeal': {
			const dealId = prng.pick(ids);
			const all = cols();
			const resolve = stageResolver(pipelineDoc);
			const from = resolve(String(dealField(shard.doc, dealId, 'stageId')));
			// Half the moves reorder within the deal's column, half go to another column.
			const column =
				prng.chance(0.5) && from ? all.find((c) => c.stage.id === from)! : prng.pick(all);
			return {
				name: kind,
				replica: shard,
				run: () =>
					moveDeal(
						scope,
						{ dealId, toStageId: column.stage.id, ...neighbours(prng, column, dealId), at },
						client.origin
					)
			};
		}
		case 'updateDealFields': {
			const dealId = prng.pick(ids);
			const patch = prng.weighted<object>([
				[2, { title: `${prng.pick(titles)} (sửa ${shard.ops.length})` }],
				[2, { amount: prng.int(0, 5000) * 100_000 }],
				[1, { customerName: prng.chance(0.2) ? null : prng.pick(customers) }],
				[1, { customerPhone: prng.chance(0.2) ? null : prng.pick(phones) }]
			]);
			return {
				name: kind,
				replica: shard,
				run: () => updateDealFields(shard.doc, { dealId, ...patch, at }, client.origin)
			};
		}
		case 'setStar': {
			const dealId = prng.pick(ids);
			const starred = dealField(shard.doc, dealId, 'starred') !== true;
			return {
				name: kind,
				replica: shard,
				run: () => setStar(shard.doc, { dealId, starred, at }, client.origin)
			};
		}
		default: {
			const dealId = prng.pick(ids);
			const status = prng.pick(['open', 'won', 'lost', 'standby'] as const);
			return {
				name: 'setStatus',
				replica: shard,
				run: () =>
					setStatus(
						shard.doc,
						{
							dealId,
							status,
							...(status === 'lost' ? { lostReason: 'Khách chọn nhà cung cấp khác' } : {}),
							...(status === 'standby' ? { standbyUntil: '2026-12-01' } : {}),
							at
						},
						client.origin
					)
			};
		}
	}
}

/** Stage edits an owner or manager makes now and then (never deletions or access settings). */
function stageStep(client: BoardClient): Step {
	const { prng } = client;
	const doc = client.pipeline.doc;
	const stages = readStages(doc);
	const stageId = prng.pick(stages).id;
	const kind = prng.pick(['renameStage', 'setStageFields', 'moveStage']);
	const run =
		kind === 'renameStage'
			? () => renameStage(doc, { stageId, name: `Giai đoạn ${prng.int(1, 99)}` }, client.origin)
			: kind === 'setStageFields'
				? () =>
						setStageFields(
							doc,
							{
								stageId,
								color: prng.pick(colors),
								winProbability: prng.int(0, 100),
								rotDays: prng.int(0, 30)
							},
							client.origin
						)
				: () => {
						const others = stages.filter((s) => s.id !== stageId).map((s) => s.id);
						const i = prng.int(0, others.length);
						moveStage(
							doc,
							{
								stageId,
								...(i > 0 ? { after: others[i - 1] } : {}),
								...(i < others.length ? { before: others[i] } : {})
							},
							client.origin
						);
					};
	return { name: kind, replica: client.pipeline, run };
}

/** Adjacent neighbours in the column as the client sees it: both, one of them, or the end. */
function neighbours(prng: Prng, column: Column, dealId: string) {
	const ids = column.deals.map((d) => d.id).filter((id) => id !== dealId);
	const i = prng.int(0, ids.length);
	const after = i > 0 && prng.chance(0.8) ? ids[i - 1] : undefined;
	const before = i < ids.length && prng.chance(0.8) ? ids[i] : undefined;
	return { ...(after ? { after } : {}), ...(before ? { before } : {}) };
}

/** A document's state vector and delete set, indexed for `holds`. */
export type StateIndex = {
	sv: Map<number, number>;
	ds: Map<number, { clock: number; len: number }[]>;
};

export function indexState(doc: Y.Doc): StateIndex {
	const ds = new Map<number, { clock: number; len: number }[]>();
	for (const [client, items] of Y.createDeleteSetFromStructStore(doc.store).clients) {
		// Sorted by clock and merged where runs touch, so a deleted range lies within one run.
		const runs: { clock: number; len: number }[] = [];
		for (const { clock, len } of [...items].sort((a, b) => a.clock - b.clock)) {
			const last = runs.at(-1);
			if (last && last.clock + last.len >= clock) {
				last.len = Math.max(last.len, clock + len - last.clock);
			} else runs.push({ clock, len });
		}
		ds.set(client, runs);
	}
	return { sv: Y.decodeStateVector(Y.encodeStateVector(doc)), ds };
}

/**
 * Whether the indexed state holds every struct and every deletion of `update`: what
 * `Y.snapshotContainsUpdate` decides, without merging the whole delete set once per update (the
 * checks look at thousands of updates against documents with thousands of deletions).
 */
export function holds(state: StateIndex, update: Uint8Array) {
	const { structs, ds } = Y.decodeUpdate(update);
	for (const s of structs) {
		if (s instanceof Y.Skip) continue;
		if ((state.sv.get(s.id.client) ?? 0) < s.id.clock + s.length) return false;
	}
	for (const [client, ranges] of ds.clients) {
		const runs = state.ds.get(client) ?? [];
		for (const { clock, len } of ranges) {
			let lo = 0;
			let hi = runs.length - 1;
			let found = false;
			while (lo <= hi) {
				const mid = (lo + hi) >> 1;
				const run = runs[mid]!;
				if (run.clock + run.len <= clock) lo = mid + 1;
				else if (run.clock > clock) hi = mid - 1;
				else {
					found = clock + len <= run.clock + run.len;
					break;
				}
			}
			if (!found) return false;
		}
	}
	return true;
}

/** Whether two byte strings are equal (a fast path for large encoded states). */
export function sameBytes(a: Uint8Array, b: Uint8Array) {
	return Buffer.from(a.buffer, a.byteOffset, a.length).equals(
		Buffer.from(b.buffer, b.byteOffset, b.length)
	);
}

/** The board maps of a document as plain data (a Y.Doc's own toJSON shows only types it has used). */
export function content(doc: Y.Doc) {
	return Object.fromEntries(
		['settings', 'stages', 'deals'].map((name) => [name, doc.getMap(name).toJSON()])
	);
}

/** A document's state in a canonical encoding (SPEC B18: joins garbage-collected runs first). */
export function canonicalState(doc: Y.Doc) {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	Y.tryGc(Y.createDeleteSetFromStructStore(copy.store), copy.store, () => true);
	const state = Y.encodeStateAsUpdate(copy);
	copy.destroy();
	return state;
}

/**
 * For a failure message: what of `update` the document `stored` lacks. Structs past its state
 * vector (whose, and which map key they set) and deletions it has not made. `names` labels the
 * client ids of known replicas; any other client id is someone else, e.g. the server's own doc.
 */
export function lacking(stored: Y.Doc, update: Uint8Array, names: ReadonlyMap<number, string>) {
	const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(stored)));
	const items = structs
		.filter((s): s is Y.Item => s instanceof Y.Item)
		.map((s) => `${names.get(s.id.client) ?? `client id ${s.id.client}`}:${s.parentSub ?? '∅'}`);
	const storedDs = Y.createDeleteSetFromStructStore(stored.store);
	let deletions = 0;
	for (const [client, ranges] of ds.clients) {
		for (const { clock, len } of ranges) {
			for (let c = clock; c < clock + len; c++) {
				if (!Y.isDeleted(storedDs, Y.createID(client, c))) deletions++;
			}
		}
	}
	const counts = new Map<string, number>();
	for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
	return `${[...counts].map(([k, n]) => `${n}× ${k}`).join(', ') || 'no structs'}; ${deletions} deletions`;
}

/**
 * Reads a Hocuspocus frame far enough to see a sync step 1's state vector, a step 2's update or a
 * SyncStatus answer: varString document name, varUint message type (0 sync, 4 sync reply, 8 sync
 * status), then for sync a varUint sub-type (0 = step 1, 1 = step 2) and a varUint8Array, for
 * status a varInt (1 = applied).
 */
export function readSyncFrame(frame: Uint8Array) {
	let pos = 0;
	const varUint = () => {
		let n = 0;
		let mult = 1;
		for (;;) {
			const b = frame[pos++];
			if (b === undefined) throw new RangeError('short frame');
			n += (b & 0x7f) * mult;
			if (b < 0x80) return n;
			mult *= 128;
		}
	};
	const bytes = () => {
		const len = varUint();
		const out = frame.subarray(pos, pos + len);
		pos += len;
		return out;
	};
	try {
		const docName = new TextDecoder().decode(bytes());
		const type = varUint();
		if (type === 8) return { docName, applied: (frame[pos]! & 0x3f) === 1 };
		if (type === 0 || type === 4) {
			const step = varUint();
			if (step === 0) return { docName, step1: bytes().slice() };
			if (step === 1) return { docName, step2: bytes().slice() };
		}
		return { docName };
	} catch {
		return null;
	}
}
