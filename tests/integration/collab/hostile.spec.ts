import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { MessageType } from '@hocuspocus/server';
import { eq } from 'drizzle-orm';
import { generateKeyBetween } from 'fractional-indexing';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { FrameError, readFrame } from '../../../server/collab/frame';
import { dealField, dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, initPipeline, moveDeal } from '../../../src/lib/board/ops';
import { testBoard } from '../../../src/lib/board/testing/board';
import { Prng } from '../../../src/lib/board/testing/prng';
import * as session from '../../../src/lib/server/auth/session';
import * as collabLog from '../../../src/lib/server/collab/log';
import { collabDocuments, collabUpdates, pipelines } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { wsWithHeaders } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

// Issue 3, "Hostile input": an authenticated member sends 10,000 malformed or oversized frames
// while another member keeps editing another board, watched by a third. The server (production
// build, default limits) closes every bad socket, keeps serving the board with a low event-loop
// lag, and nothing of the garbage reaches PostgreSQL.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const writer = await createUser(app.db, { name: 'Trần Minh Quân' });
const hostile = await createUser(app.db, { name: 'Kẻ Phá Hoại' });
await addMember(app.db, { orgId: org.id, userId: writer.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: hostile.id, role: 'sales' });
const [boardA] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const more: Awaited<ReturnType<typeof newPipeline>>[] = [];
for (const name of ['Dự án', 'Bán lẻ', 'Đại lý', 'Xuất khẩu']) more.push(await newPipeline(name));
const boardB = more[0]!;

const cookies = new Map<string, string>();
for (const u of [owner, writer, hostile]) {
	const { token } = await session.create(app.db, { userId: u.id });
	cookies.set(u.id, `__Host-chot_session=${token}`);
}
const wsUrl = app.origin.replace(/^http/, 'ws') + '/collab';

async function newPipeline(name: string) {
	const [row] = await app.db
		.insert(pipelines)
		.values({ orgId: org.id, name, position: generateKeyBetween('a0', null) })
		.returning();
	const doc = new Y.Doc();
	initPipeline(
		doc,
		{
			name,
			stages: ['Tiếp cận', 'Báo giá', 'Đàm phán', 'Ký hợp đồng'].map((stage, i) => ({
				id: uuidv7(),
				name: stage,
				color: '#0f766e',
				winProbability: 20 * (i + 1),
				rotDays: 7
			}))
		},
		{ kind: 'server', reason: 'test' }
	);
	await app.db
		.insert(collabDocuments)
		.values({ name: pipelineDocName(row!.id), state: Y.encodeStateAsUpdate(doc) });
	return row!;
}

async function metrics() {
	const res = await app.fetch('/metrics');
	return (await res.json()) as {
		counters: Record<string, number>;
		eventLoop: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
	};
}

/** One socket for several documents, like a browser tab showing a board. */
function openSocket(userId: string) {
	const socket = new HocuspocusProviderWebsocket({
		url: wsUrl,
		WebSocketPolyfill: wsWithHeaders({ origin: app.origin, cookie: cookies.get(userId)! }),
		maxAttempts: 1
	});
	const closes: number[] = [];
	socket.on('close', ({ event }: { event: { code: number } }) => closes.push(event.code));
	const providers: HocuspocusProvider[] = [];
	return {
		socket,
		closes,
		open(name: string, doc = new Y.Doc()) {
			const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc });
			provider.attach();
			providers.push(provider);
			const synced = new Promise<void>((resolve, reject) => {
				provider.on('synced', () => resolve());
				provider.on('authenticationFailed', ({ reason }: { reason: string }) =>
					reject(new Error(`${name}: ${reason}`))
				);
			});
			return { provider, doc, synced };
		},
		destroy() {
			for (const p of providers) p.destroy();
			socket.destroy();
		}
	};
}

/** Resolves with the time `check` first holds, re-checked on each event; null after the timeout. */
function when(
	check: () => boolean,
	subscribe: (fn: () => void) => () => void,
	timeoutMs = 5000
): Promise<number | null> {
	return new Promise((resolve) => {
		if (check()) return resolve(performance.now());
		const timer = setTimeout(() => {
			off();
			resolve(null);
		}, timeoutMs);
		const off = subscribe(() => {
			if (!check()) return;
			clearTimeout(timer);
			off();
			resolve(performance.now());
		});
	});
}

const onDocUpdate = (doc: Y.Doc) => (fn: () => void) => {
	doc.on('update', fn);
	return () => doc.off('update', fn);
};
const onUnsynced = (p: HocuspocusProvider) => (fn: () => void) => {
	p.on('unsyncedChanges', fn);
	return () => p.off('unsyncedChanges', fn);
};

const percentile = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// An idle Node process timing its own event loop over the same window: what the other processes
// on this machine's two cores alone do to a loop. Reported next to the server's figure, for
// reading a failure on a busy machine; not asserted.
function idleLoopControl() {
	const child = spawn(
		process.execPath,
		[
			'-e',
			`const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 });
			h.enable();
			process.stdin.once('data', () => {
				process.stdout.write(String(Math.round(h.percentile(99) / 1e4) / 100));
				process.exit();
			});`
		],
		{ stdio: ['pipe', 'pipe', 'ignore'] }
	);
	return {
		p99Ms: () =>
			new Promise<number>((resolve) => {
				child.stdout.once('data', (d) => resolve(Number(String(d))));
				child.stdin.write('\n');
			})
	};
}
const closeCounters = (c: Record<string, number>) =>
	Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith('collab.closed_')));

describe('legitimate traffic under the default limits', () => {
	it('opens 20 documents on one socket and passes a quick series of drags', async () => {
		const tab = openSocket(owner.id);
		const names = [boardA!, ...more].flatMap((p) => [
			pipelineDocName(p.id),
			...[owner, writer, hostile].map((u) => dealsDocName(p.id, u.id))
		]);
		expect(names).toHaveLength(20);
		const docs = names.map((name) => tab.open(name));
		for (const d of docs) d.provider.setAwarenessField('user', { name: owner.name });
		await Promise.all(docs.map((d) => d.synced));

		// 40 drags as fast as the client makes them, each with its presence update.
		const pipelineDoc = docs[names.indexOf(pipelineDocName(boardB.id))]!.doc;
		const shard = docs[names.indexOf(dealsDocName(boardB.id, owner.id))]!;
		const stageIds = readStages(pipelineDoc).map((s) => s.id);
		const scope = { pipelineDoc, dealDoc: shard.doc };
		const origin = { kind: 'user', userId: owner.id } as const;
		const dealId = uuidv7();
		createDeal(
			scope,
			{ id: dealId, title: 'Máy lọc nước', stageId: stageIds[0]!, ownerId: owner.id },
			origin
		);
		for (let i = 0; i < 40; i++) {
			shard.provider.setAwarenessField('dragging', { dealId, over: i });
			moveDeal(scope, { dealId, toStageId: stageIds[(i + 1) % stageIds.length]! }, origin);
		}
		expect(
			await when(() => shard.provider.unsyncedChanges === 0, onUnsynced(shard.provider))
		).not.toBeNull();
		expect(tab.closes).toEqual([]);
		expect(closeCounters((await metrics()).counters)).toEqual({});
		tab.destroy();
	});

	it('applies presence at most every 100 ms per socket, ending with the latest state', async () => {
		const name = pipelineDocName(boardB.id);
		const a = openSocket(owner.id);
		const b = openSocket(writer.id);
		const sender = a.open(name);
		const observer = b.open(name);
		await Promise.all([sender.synced, observer.synced]);
		await sleep(300);
		const seen: unknown[] = [];
		const id = sender.doc.clientID;
		observer.provider.awareness!.on(
			'change',
			({ updated, added }: { updated: number[]; added: number[] }) => {
				if ([...updated, ...added].includes(id))
					seen.push(observer.provider.awareness!.getStates().get(id)?.cursor);
			}
		);
		const before = (await metrics()).counters['collab.awareness_dropped'] ?? 0;
		// 40 presence changes at once (a pointer flicking across the board).
		for (let i = 0; i < 40; i++) sender.provider.setAwarenessField('cursor', i);
		await when(
			() => seen.at(-1) === 39,
			(fn) => {
				observer.provider.awareness!.on('change', fn);
				return () => observer.provider.awareness!.off('change', fn);
			},
			2000
		);
		// The first at once, the latest 100 ms later; the 38 in between were dropped.
		expect(seen).toEqual([0, 39]);
		expect((await metrics()).counters['collab.awareness_dropped']! - before).toBe(38);
		a.destroy();
		b.destroy();
	});
});

// ---- The hostile client ---------------------------------------------------------------------

type Kind =
	| 'random'
	| 'truncated'
	| 'wrong-type'
	| 'huge-length'
	| 'big-awareness'
	| 'garbage-update'
	| 'garbage-read-only'
	| 'garbage-large'
	| 'garbage-large-read-only'
	| 'oversize'
	| 'wire-garbage'
	| 'huge-header'
	| 'unauthenticated'
	| 'too-many-documents'
	| 'flood';

// What the server must answer each kind with, and which counter it must count it in.
const expected: Record<Kind, { code: number; counter: string }> = {
	random: { code: 1007, counter: 'malformed' },
	truncated: { code: 1007, counter: 'malformed' },
	'wrong-type': { code: 1007, counter: 'malformed' },
	'huge-length': { code: 1007, counter: 'malformed' },
	'big-awareness': { code: 1009, counter: 'oversize' },
	'garbage-update': { code: 1007, counter: 'malformed' },
	'garbage-read-only': { code: 1007, counter: 'malformed' },
	// Above 64 KiB the update is decoded by the persistence extension (or, read-only, the limits
	// extension), which closes its document; the limits extension then closes the socket.
	'garbage-large': { code: 4205, counter: 'doc_error' },
	'garbage-large-read-only': { code: 4205, counter: 'doc_error' },
	oversize: { code: 1009, counter: 'oversize' },
	'wire-garbage': { code: 1002, counter: 'malformed' },
	'huge-header': { code: 1009, counter: 'oversize' },
	unauthenticated: { code: 1008, counter: 'backlog' },
	'too-many-documents': { code: 1008, counter: 'backlog' },
	flood: { code: 1008, counter: 'rate' }
};

const prng = new Prng(20260105);
const ownShard = dealsDocName(boardA!.id, hostile.id);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => prng.int(0, 255));

function message(name: string, write: (e: encoding.Encoder) => void) {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, name);
	write(e);
	return encoding.toUint8Array(e);
}
const authFor = (name: string) =>
	message(name, (e) => {
		encoding.writeVarUint(e, MessageType.Auth);
		encoding.writeVarUint(e, 0);
		encoding.writeVarString(e, '');
	});
const syncMessage = (name: string, step: number, payload: Uint8Array) =>
	message(name, (e) => {
		encoding.writeVarUint(e, MessageType.Sync);
		encoding.writeVarUint(e, step);
		encoding.writeVarUint8Array(e, payload);
	});

function isSyncFor(data: Buffer, name: string) {
	const d = decoding.createDecoder(data);
	return decoding.readVarString(d) === name && decoding.readVarUint(d) === MessageType.Sync;
}

/** Whether the envelope check refuses these bytes (random garbage is kept only if it does). */
function refused(data: Uint8Array) {
	try {
		readFrame(data, { maxAwarenessBytes: 16 * 1024, maxDecodedUpdateBytes: 64 * 1024 });
		return false;
	} catch (err) {
		if (err instanceof FrameError) return true;
		throw err;
	}
}
function garbage(make: () => Uint8Array, keep: (b: Uint8Array) => boolean) {
	for (;;) {
		const b = make();
		if (keep(b)) return b;
	}
}
const undecodable = (b: Uint8Array) => {
	try {
		Y.decodeUpdate(b);
		return false;
	} catch {
		return true;
	}
};

// A real edit (a new card), as the writer's board would send it: what the hostile client tries
// to slip into the writer's shard without authenticating it.
function forgedUpdate() {
	const b = testBoard({ seed: prng.int(1, 1e9) });
	b.deal('Hàng giả', { stageId: b.stageIds[0] });
	return Y.encodeStateAsUpdate(b.dealDoc);
}

function awarenessFrame(name: string, state: object) {
	const awareness = new awarenessProtocol.Awareness(new Y.Doc());
	awareness.setLocalState(state);
	const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
	awareness.destroy();
	return message(name, (e) => {
		encoding.writeVarUint(e, MessageType.Awareness);
		encoding.writeVarUint8Array(e, update);
	});
}

type Session = {
	kind: Kind;
	frames: Uint8Array[];
	/** Sent once the server answers the sync step 1 for this document (it is open then). */
	afterSync?: { name: string; frames: Uint8Array[] };
	raw?: Uint8Array;
};

/** Opens `name` (auth, then sync step 1) and sends `frames` once the server has opened it. */
function opened(kind: Kind, name: string, frames: Uint8Array[]): Session {
	return {
		kind,
		frames: [authFor(name), syncMessage(name, 0, Y.encodeStateVector(new Y.Doc()))],
		afterSync: { name, frames }
	};
}

function session_(kind: Kind): Session {
	const n = prng.int(3, 8);
	const many = (make: () => Uint8Array) => Array.from({ length: n }, make);
	const anyName = () => prng.pick([ownShard, pipelineDocName(boardB.id), `x:${prng.int(0, 1e6)}`]);
	switch (kind) {
		case 'random':
			return { kind, frames: many(() => garbage(() => bytes(prng.int(1, 300)), refused)) };
		case 'truncated':
			return {
				kind,
				frames: many(() => {
					const whole = prng.chance(0.5)
						? syncMessage(anyName(), 2, forgedUpdate())
						: awarenessFrame(anyName(), { user: { name: 'x' } });
					const cut = whole.subarray(0, prng.int(1, whole.length - 1));
					return refused(cut) ? cut : Uint8Array.from([0xff, 0xff, 0xff]);
				})
			};
		case 'wrong-type':
			return {
				kind,
				frames: many(() =>
					message(anyName(), (e) => {
						encoding.writeVarUint(e, prng.pick([5, 6, 8, 9, 10, 42, 2 ** 20]));
						encoding.writeVarString(e, 'xin chào');
					})
				)
			};
		case 'huge-length':
			return {
				kind,
				frames: many(() =>
					prng.chance(0.5)
						? Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x61, 0x62])
						: message(anyName(), (e) => {
								encoding.writeVarUint(e, MessageType.Sync);
								encoding.writeVarUint(e, 2);
								encoding.writeVarUint(e, 2 ** 40);
								encoding.writeUint8Array(e, bytes(16));
							})
				)
			};
		case 'big-awareness':
			return { kind, frames: [awarenessFrame(ownShard, { user: { name: 'x'.repeat(20_000) } })] };
		// Valid headers around updates that do not decode, sent once the document is open.
		case 'garbage-update':
			return opened(kind, ownShard, [
				syncMessage(
					ownShard,
					prng.pick([1, 2]),
					garbage(() => bytes(prng.int(2, 200)), undecodable)
				)
			]);
		case 'garbage-read-only': {
			// Reps see the pipeline document read-only.
			const name = pipelineDocName(boardA!.id);
			return opened(kind, name, [
				syncMessage(
					name,
					2,
					garbage(() => bytes(prng.int(2, 200)), undecodable)
				)
			]);
		}
		case 'garbage-large':
		case 'garbage-large-read-only': {
			const name = kind === 'garbage-large' ? ownShard : pipelineDocName(boardA!.id);
			return opened(kind, name, [
				syncMessage(
					name,
					2,
					garbage(() => bytes(70_000), undecodable)
				)
			]);
		}
		case 'oversize':
			return { kind, frames: [new Uint8Array(8 * 1024 * 1024 + 1)] };
		case 'wire-garbage': {
			// Not WebSocket framing: reserved bits, an unmasked client frame, a reserved opcode.
			const head = prng.pick([
				[0xf2, 0x85],
				[0x82, 0x05],
				[0x83, 0x85]
			]);
			return { kind, frames: [], raw: Uint8Array.from([...head, ...bytes(9)]) };
		}
		case 'huge-header':
			// A masked binary frame announcing 2^40 bytes, of which 16 follow.
			return {
				kind,
				frames: [],
				raw: Uint8Array.from([0x82, 0xff, 0, 0, 0x01, 0, 0, 0, 0, 0, ...bytes(4), ...bytes(16)])
			};
		case 'unauthenticated': {
			// Edits for the writer's shard and other documents this socket never authenticated.
			const targets = [dealsDocName(boardB.id, writer.id), pipelineDocName(boardB.id)];
			const edit = forgedUpdate();
			return {
				kind,
				frames: Array.from({ length: 501 }, (_, i) => syncMessage(targets[i % 2]!, 2, edit))
			};
		}
		case 'too-many-documents':
			return { kind, frames: Array.from({ length: 257 }, (_, i) => authFor(`x:${i}`)) };
		case 'flood':
			// Valid presence (or sync step 1) frames for its own open shard, faster than 200/s.
			return opened(
				kind,
				ownShard,
				Array.from({ length: 1100 }, (_, i) =>
					prng.chance(0.5)
						? awarenessFrame(ownShard, { cursor: i })
						: syncMessage(ownShard, 0, Y.encodeStateVector(new Y.Doc()))
				)
			);
	}
}

type Outcome = { kind: Kind; sent: number; received: number; code: number | null };

// Sends a session's frames over a real WebSocket and waits for the server to close it.
function runSession(s: Session): Promise<Outcome> {
	if (s.raw) return runRaw(s);
	return new Promise((resolve) => {
		const ws = new WebSocket(wsUrl, {
			headers: { origin: app.origin, cookie: cookies.get(hostile.id)! }
		});
		let sent = 0;
		let received = 0;
		const timer = setTimeout(() => {
			ws.terminate();
			resolve({ kind: s.kind, sent, received, code: null });
		}, 10_000);
		const send = (frames: Uint8Array[]) => {
			for (const f of frames) {
				if (ws.readyState !== WebSocket.OPEN) return;
				ws.send(f);
				sent += 1;
			}
		};
		ws.on('open', () => send(s.frames));
		ws.on('message', (data: Buffer) => {
			received += 1;
			// What needs an open document waits for the server's answer to its step 1.
			if (!s.afterSync || !isSyncFor(data, s.afterSync.name)) return;
			const { frames } = s.afterSync;
			s.afterSync = undefined;
			send(frames);
		});
		ws.on('close', (code) => {
			clearTimeout(timer);
			resolve({ kind: s.kind, sent, received, code });
		});
		ws.on('error', () => {});
	});
}

// A WebSocket handshake by hand, then bytes no WebSocket client would send.
function runRaw(s: Session): Promise<Outcome> {
	return new Promise((resolve) => {
		const socket = net.connect(app.port, '127.0.0.1');
		let buffer = Buffer.alloc(0);
		let upgraded = false;
		const done = (code: number | null) => {
			clearTimeout(timer);
			socket.destroy();
			resolve({ kind: s.kind, sent: upgraded ? 1 : 0, received: 0, code });
		};
		const timer = setTimeout(() => done(null), 10_000);
		socket.on('connect', () =>
			socket.write(
				[
					'GET /collab HTTP/1.1',
					`Host: 127.0.0.1:${app.port}`,
					'Upgrade: websocket',
					'Connection: Upgrade',
					`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
					'Sec-WebSocket-Version: 13',
					`Origin: ${app.origin}`,
					`Cookie: ${cookies.get(hostile.id)}`,
					'',
					''
				].join('\r\n')
			)
		);
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			if (!upgraded) {
				const end = buffer.indexOf('\r\n\r\n');
				if (end < 0) return;
				if (!buffer.subarray(0, 12).toString().includes('101')) return done(null);
				upgraded = true;
				buffer = buffer.subarray(end + 4);
				socket.write(s.raw!);
			}
			// The server's close frame: opcode 8, unmasked, status code first.
			if (buffer.length >= 4 && (buffer[0]! & 0x0f) === 8) done(buffer.readUInt16BE(2));
		});
		socket.on('error', () => {});
		socket.on('close', () => done(null));
	});
}

// The well-behaved pair: the writer edits board B (creates and drags cards) one edit after
// another; each must be acknowledged and reach the watcher.
async function editSteadily(stop: { done: boolean }) {
	const tab = openSocket(writer.id);
	const pipeline = tab.open(pipelineDocName(boardB.id));
	const shardName = dealsDocName(boardB.id, writer.id);
	const shard = tab.open(shardName);
	const watcherTab = openSocket(owner.id);
	const watcher = watcherTab.open(shardName);
	await Promise.all([pipeline.synced, shard.synced, watcher.synced]);
	const stageIds = readStages(pipeline.doc).map((s) => s.id);
	const scope = { pipelineDoc: pipeline.doc, dealDoc: shard.doc };
	const origin = { kind: 'user', userId: writer.id } as const;
	const ids: string[] = [];
	const ack: number[] = [];
	const seen: number[] = [];
	const failures: string[] = [];
	const watched = (id: string) => dealField(watcher.doc, id, 'stageId');
	for (let i = 0; !stop.done || i < 20; i++) {
		let id: string;
		let stageId: string;
		const started = performance.now();
		if (ids.length < 10 || i % 3 === 0) {
			id = uuidv7();
			stageId = stageIds[0]!;
			createDeal(
				scope,
				{ id, title: `Đơn hàng ${i}`, stageId, ownerId: writer.id, amount: i * 1_000_000 },
				origin
			);
			ids.push(id);
		} else {
			id = prng.pick(ids);
			const current = dealField(shard.doc, id, 'stageId');
			stageId = prng.pick(stageIds.filter((s) => s !== current));
			moveDeal(scope, { dealId: id, toStageId: stageId }, origin);
		}
		const [acked, reached] = await Promise.all([
			when(() => shard.provider.unsyncedChanges === 0, onUnsynced(shard.provider)),
			when(() => watched(id) === stageId, onDocUpdate(watcher.doc))
		]);
		if (acked === null) failures.push(`edit ${i} not acknowledged`);
		else ack.push(acked - started);
		if (reached === null) failures.push(`edit ${i} never reached the watcher`);
		else seen.push(reached - started);
		await sleep(40);
	}
	const result = {
		edits: ack.length,
		ack,
		seen,
		failures,
		closes: [...tab.closes, ...watcherTab.closes],
		deals: shard.doc.getMap('deals').toJSON(),
		watcherDeals: watcher.doc.getMap('deals').toJSON()
	};
	tab.destroy();
	watcherTab.destroy();
	return result;
}

describe('10,000 malformed or oversized frames from an authenticated member', () => {
	it('closes every bad socket while another board keeps being served', async () => {
		// The sessions, in a seeded order: the long ones once or a few times, then short ones
		// (one to three bad frames per socket) until 10,000 frames are planned.
		const plan: Session[] = [
			...(['flood', 'flood', 'flood', 'flood', 'unauthenticated', 'unauthenticated'] as const).map(
				session_
			),
			session_('too-many-documents'),
			...(['oversize', 'oversize', 'huge-header', 'huge-header'] as const).map(session_),
			...Array.from({ length: 10 }, () => session_('garbage-large')),
			...Array.from({ length: 10 }, () => session_('garbage-large-read-only'))
		];
		const short: Kind[] = [
			'random',
			'truncated',
			'wrong-type',
			'huge-length',
			'big-awareness',
			'garbage-update',
			'garbage-read-only',
			'wire-garbage'
		];
		let planned = plan.reduce(
			(n, s) => n + s.frames.length + (s.afterSync?.frames.length ?? 0) + (s.raw ? 1 : 0),
			0
		);
		while (planned < 10_000) {
			const s = session_(short[plan.length % short.length]!);
			plan.push(s);
			planned += s.frames.length + (s.afterSync?.frames.length ?? 0) + (s.raw ? 1 : 0);
		}
		for (let i = plan.length - 1; i > 0; i--) {
			const j = prng.int(0, i);
			[plan[i], plan[j]] = [plan[j]!, plan[i]!];
		}

		const stop = { done: false };
		const editing = editSteadily(stop);
		// The hostile member's own tab stays open on its board, as a browser's would, so its
		// documents stay loaded while its other sockets misbehave.
		const anchor = openSocket(hostile.id);
		const anchored = [ownShard, pipelineDocName(boardA!.id)].map((n) => anchor.open(n));
		await Promise.all(anchored.map((a) => a.synced));
		await sleep(1000);
		await app.fetch('/metrics?reset=event-loop');
		const control = idleLoopControl();

		const started = performance.now();
		const outcomes: Outcome[] = [];
		let next = 0;
		// Four hostile connections at a time, each reconnecting as the server closes it.
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				while (next < plan.length) outcomes.push(await runSession(plan[next++]!));
			})
		);
		const attackMs = performance.now() - started;
		const { eventLoop, counters } = await metrics();
		const idleP99 = await control.p99Ms();
		stop.done = true;
		const good = await editing;
		expect(anchor.closes).toEqual([]);
		anchor.destroy();

		const frames = outcomes.reduce((n, o) => n + o.sent, 0);
		const wrong = outcomes.filter((o) => o.code !== expected[o.kind].code);
		console.info(
			`hostile: ${frames} frames over ${outcomes.length} sockets in ${Math.round(attackMs)} ms; ` +
				`event loop p50 ${eventLoop.p50Ms} ms, p99 ${eventLoop.p99Ms} ms, max ${eventLoop.maxMs} ms ` +
				`(${eventLoop.samples} samples; an idle process: p99 ${idleP99} ms); writer: ${good.edits} edits, ack p50 ` +
				`${percentile(good.ack, 50).toFixed(1)} / p99 ${percentile(good.ack, 99).toFixed(1)} ms, ` +
				`watcher p50 ${percentile(good.seen, 50).toFixed(1)} / p99 ${percentile(good.seen, 99).toFixed(1)} ms`
		);

		expect(frames).toBeGreaterThanOrEqual(10_000);
		// Every bad socket was closed, with the code its kind calls for.
		expect(
			wrong.map((o) => `${o.kind}: ${o.code} (sent ${o.sent}, received ${o.received})`)
		).toEqual([]);
		// Counted once each, under the right reason.
		const want: Record<string, number> = {};
		for (const o of outcomes) {
			const key = `collab.closed_${expected[o.kind].counter}`;
			want[key] = (want[key] ?? 0) + 1;
		}
		expect(closeCounters(counters)).toEqual(want);
		expect(eventLoop.p99Ms).toBeLessThan(100);

		// The other board was served throughout.
		expect(good.failures).toEqual([]);
		expect(good.closes).toEqual([]);
		expect(good.edits).toBeGreaterThan(50);
		expect(good.watcherDeals).toEqual(good.deals);

		// Every socket is gone on the server once the clients are (their state with it).
		await expect
			.poll(async () => (await (await app.fetch('/healthz')).json()).checks.collab, {
				timeout: 10_000
			})
			.toEqual({ connections: 0, sockets: 0 });

		// The server is up and never saw an unhandled error.
		expect((await app.fetch('/healthz')).status).toBe(200);
		expect(app.logs.join('')).not.toMatch(/unhandled|uncaught|ERR_UNHANDLED_ERROR/i);

		// PostgreSQL holds the writer's shard exactly, and nothing the hostile member sent.
		const shardName = dealsDocName(boardB.id, writer.id);
		const states = await collabLog.readStates(app.db, { docNames: [shardName] });
		const stored = new Y.Doc();
		Y.applyUpdate(stored, states.get(shardName)!);
		expect(stored.getMap('deals').toJSON()).toEqual(good.deals);
		const rows = await app.db
			.select({
				docName: collabUpdates.docName,
				userId: collabUpdates.userId,
				update: collabUpdates.update
			})
			.from(collabUpdates);
		expect(rows.filter((r) => r.userId === hostile.id)).toEqual([]);
		expect(rows.filter((r) => r.docName === shardName && r.userId !== writer.id)).toEqual([]);
		for (const r of rows) expect(() => Y.decodeUpdate(r.update)).not.toThrow();
		expect(rows.some((r) => r.docName === ownShard)).toBe(false);
	}, 120_000);
});

// Last: the server decodes and applies the 2.6 MB step 2 (and compacts it when it unloads) for
// about a second, which must not fall into the event-loop window measured above.
describe('the message size limit', () => {
	it("accepts a 5,000-deal shard's sync step 2 in one frame", async () => {
		// A client that built a whole 5,000-deal shard offline sends it in its step 2: ten
		// replicas of 500 cards each, merged (building 5,000 through the ops takes ~9 s). The org
		// document carries the bytes, so the projection does not turn 5,000 cards into rows here.
		const offline = new Y.Doc();
		for (let part = 0; part < 10; part++) {
			const b = testBoard({ seed: part + 1 });
			for (let i = 0; i < 500; i++)
				b.deal(`Hợp đồng cung cấp thiết bị văn phòng số ${i} cho chi nhánh Hà Nội`, {
					customerName: `Công ty TNHH Thương mại Dịch vụ Minh Phát ${i}`,
					customerPhone: '0912 345 678',
					amount: 125_000_000 + i * 1000,
					stageId: b.stageIds[i % 3]
				});
			Y.applyUpdate(offline, Y.encodeStateAsUpdate(b.dealDoc));
		}
		// 2.6 MB: cards made since SPEC B25 are one entry each; a shard stored before it is 3.3 MB,
		// well inside the 8 MiB limit too.
		const bytes = Y.encodeStateAsUpdate(offline).length;
		expect(bytes).toBeGreaterThan(2_500_000);

		const tab = openSocket(owner.id);
		const { synced } = tab.open(`org:${org.id}`, offline);
		await synced;
		// The provider does not count its step 2 as an unsynced change: wait for its log row.
		const logged = () =>
			app.db
				.select({ seq: collabUpdates.seq })
				.from(collabUpdates)
				.where(eq(collabUpdates.docName, `org:${org.id}`));
		await expect.poll(async () => (await logged()).length, { timeout: 20_000 }).toBeGreaterThan(0);
		const states = await collabLog.readStates(app.db, { docNames: [`org:${org.id}`] });
		const stored = new Y.Doc();
		Y.applyUpdate(stored, states.get(`org:${org.id}`)!);
		expect(stored.getMap('deals').size).toBe(5000);
		expect(tab.closes).toEqual([]);
		tab.destroy();
		console.info(`5,000-deal step 2: ${bytes} bytes`);
	}, 60_000);
});
