import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { dealField, textOf } from '$lib/board/doc';
import { moveDeal, updateDealFields } from '$lib/board/ops';
import { Prng } from '$lib/board/testing/prng';
import { inBatches, openReader, openSocket, withTimeout } from './collab-client';
import { progress } from './figures';

// Live board clients for the fan-out and durability figures. They run in child processes (this
// same bundle, build/server/bench.js, started with CHOT_BENCH_ROLE=board-clients), so that the
// clients' own work (applying every update they receive) spreads over processes instead of
// queueing in the bench's event loop. Each process holds whole boards, a writer and its readers
// together, so a send and its receipts are timed on one clock (performance.now()).
//
// Per board: one writer socket (the shard's owner, a sales rep) making named ops on the deals
// shard, and reader sockets (other members) on the same shard. Every Yjs update the writer sends
// is identified by the writer's clock before it (Y.getState), which is where the update's first
// struct starts: a reader has received it once a broadcast starting at that clock or later
// arrives. Readers only listen (collab-client.ts › openReader): they read that clock from the
// frame's header on arrival and apply nothing. The writer's acknowledgements (SyncStatus, which
// the server sends only after the update's row is committed to `collab_updates`) arrive in send
// order, one per update, and are matched first in, first out.

const ROLE_ENV = 'CHOT_BENCH_ROLE';
const ROLE = 'board-clients';

export type LiveBoard = {
	docName: string;
	writer: { userId: string; token: string };
	readerTokens: string[];
	/** The pipeline document's state (base64): the writer places moves among its stages. */
	pipelineState: string;
	dealIds: string[];
};

type Setup = {
	type: 'setup';
	origin: string;
	boards: LiveBoard[];
	/** Updates per second this process sends, spread evenly over its boards. */
	rate: number;
	warmupMs: number;
	measureMs: number;
	drainMs: number;
	seed: number;
};

export type ClientResult = {
	/** Send → receipt by each reader, ms, updates sent in the measured window. */
	fanout: number[];
	/** Send → acknowledgement, ms, same updates. */
	acks: number[];
	sent: number;
	measured: number;
	/** Receipts (or acks) still missing at the end of the drain; counted at their wait so far. */
	missingReceipts: number;
	missingAcks: number;
	/** How late sends went out against their schedule (client-side lag), p99 ms. */
	sendLagP99: number;
	closedSockets: number;
	/** CPU time the client processes used from "go" to their result, ms. */
	clientCpuMs: number;
	/** Every update acknowledged from "go" to the end of the drain, warm-up included. */
	ackedTotal: number;
};

type ParentMessage = Setup | { type: 'go' };
type ChildMessage =
	{ type: 'ready' } | { type: 'result'; result: ClientResult } | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// Parent side.

/**
 * Runs `boards` in `processes` client processes: connect, warm up, send `rate` updates per second
 * in total for `measureMs`, then wait up to `drainMs` for every receipt and ack. Returns every
 * process's samples merged.
 */
export async function runLive({
	origin,
	boards,
	rate,
	warmupMs,
	measureMs,
	drainMs = 10_000,
	processes,
	serverPid
}: {
	origin: string;
	boards: LiveBoard[];
	rate: number;
	warmupMs: number;
	measureMs: number;
	drainMs?: number;
	processes: number;
	/** The server's pid, to report the CPU time it used meanwhile (Linux /proc). */
	serverPid?: number;
}) {
	const entry = fileURLToPath(import.meta.url);
	const groups = Array.from({ length: processes }, (_, p) =>
		boards.filter((_, i) => i % processes === p)
	);
	const children = groups.map((group, p) => {
		const child = fork(entry, [], {
			env: { ...process.env, [ROLE_ENV]: ROLE },
			// Figures own stdout: a client's output goes to stderr.
			stdio: ['ignore', 'pipe', 'inherit', 'ipc']
		});
		child.stdout!.pipe(process.stderr);
		const setup: Setup = {
			type: 'setup',
			origin,
			boards: group,
			rate: (rate * group.length) / boards.length,
			warmupMs,
			measureMs,
			drainMs,
			seed: 1000 + p
		};
		child.send(setup);
		return child;
	});
	try {
		await withTimeout(
			Promise.all(children.map((c) => expect(c, 'ready'))),
			120_000,
			'board clients connecting'
		);
		const results = children.map((c) => expect(c, 'result'));
		const cpu0 = cpuMsOf(serverPid);
		const pg0 = postgresCpuMs(serverPid);
		const started = performance.now();
		for (const c of children) c.send({ type: 'go' } satisfies ParentMessage);
		const all = await withTimeout(
			Promise.all(results),
			warmupMs + measureMs + drainMs + 60_000,
			'board clients running'
		);
		const cpu1 = cpuMsOf(serverPid);
		const pg1 = postgresCpuMs(serverPid);
		return {
			...all.map((m) => (m as { result: ClientResult }).result).reduce(merge),
			/** Wall time from "go" until every client reported, ms. */
			wallMs: performance.now() - started,
			serverCpuMs: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
			postgresCpuMs: pg0 !== null && pg1 !== null ? pg1 - pg0 : null
		};
	} finally {
		for (const c of children) stopChild(c);
	}
}

/** User + system CPU time of a process, ms (Linux /proc, 100 ticks a second), or null. */
function cpuMsOf(pid: number | undefined, { withWaitedChildren = false } = {}) {
	if (!pid) return null;
	const fields = statOf(pid);
	if (!fields) return null;
	// utime, stime, then cutime, cstime: children that exited and were waited for.
	const ticks = [11, 12, ...(withWaitedChildren ? [13, 14] : [])];
	return ticks.reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
}

/**
 * CPU time of the PostgreSQL the server started (embedded: a child of the server process named
 * `postgres`), with every backend: the postmaster and its exited children, plus the live ones.
 * Null when the server uses a PostgreSQL it did not start.
 */
function postgresCpuMs(serverPid: number | undefined) {
	if (!serverPid) return null;
	const postmaster = childrenOf(serverPid).find((pid) => statOf(pid)?.comm === 'postgres');
	if (!postmaster) return null;
	let ms = cpuMsOf(postmaster, { withWaitedChildren: true }) ?? 0;
	for (const pid of childrenOf(postmaster)) ms += cpuMsOf(pid) ?? 0;
	return ms;
}

// /proc/<pid>/stat after the command name, whose field 0 is the state; with the name as `comm`.
function statOf(pid: number) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = text.slice(text.lastIndexOf(') ') + 2).split(' ') as string[] & {
			comm?: string;
		};
		fields.comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(') '));
		return fields;
	} catch {
		return null;
	}
}

function childrenOf(pid: number) {
	const out: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		// Field 1 after the name is the parent's pid.
		if (statOf(Number(entry))?.[1] === String(pid)) out.push(Number(entry));
	}
	return out;
}

function expect(child: ChildProcess, type: ChildMessage['type']) {
	return new Promise<ChildMessage>((resolve, reject) => {
		const onMessage = (m: ChildMessage) => {
			if (m.type === 'error')
				return done(reject, new Error(`board client ${child.pid}: ${m.message}`));
			if (m.type === type) done(resolve, m);
		};
		const onExit = (code: number | null) =>
			done(reject, new Error(`board client ${child.pid} exited (${code}) before "${type}"`));
		function done<T>(fn: (v: T) => void, v: T) {
			child.off('message', onMessage);
			child.off('exit', onExit);
			fn(v);
		}
		child.on('message', onMessage);
		child.once('exit', onExit);
	});
}

function stopChild(child: ChildProcess) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	// A finished client exits by itself; one still running when the bench gives up is ended.
	const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
	child.once('exit', () => clearTimeout(timer));
	if (child.connected) child.disconnect();
}

function merge(a: ClientResult, b: ClientResult): ClientResult {
	return {
		fanout: a.fanout.concat(b.fanout),
		acks: a.acks.concat(b.acks),
		sent: a.sent + b.sent,
		measured: a.measured + b.measured,
		missingReceipts: a.missingReceipts + b.missingReceipts,
		missingAcks: a.missingAcks + b.missingAcks,
		sendLagP99: Math.max(a.sendLagP99, b.sendLagP99),
		closedSockets: a.closedSockets + b.closedSockets,
		clientCpuMs: a.clientCpuMs + b.clientCpuMs,
		ackedTotal: a.ackedTotal + b.ackedTotal
	};
}

// ---------------------------------------------------------------------------------------------
// Client process side.

type Sent = { at: number; before: number; measured: boolean };
type Closable = { closed: boolean; destroy(): void };

async function clientMain() {
	// The bench is gone (finished, failed or interrupted): so is this process.
	process.on('disconnect', () => process.exit(0));
	const messages: ParentMessage[] = [];
	let wake: (() => void) | null = null;
	process.on('message', (m: ParentMessage) => {
		messages.push(m);
		wake?.();
	});
	async function next<T extends ParentMessage['type']>(type: T) {
		for (;;) {
			const i = messages.findIndex((m) => m.type === type);
			if (i >= 0) return messages.splice(i, 1)[0] as Extract<ParentMessage, { type: T }>;
			await new Promise<void>((r) => (wake = r));
		}
	}
	const send = (m: ChildMessage) =>
		new Promise<void>((r) => process.send!(m, undefined, {}, () => r()));

	const sockets: Closable[] = [];
	try {
		const setup = await next('setup');
		const boards = await inBatches(setup.boards, 10, (b) => connectBoard(setup.origin, b, sockets));
		await send({ type: 'ready' });
		await next('go');
		const cpu = process.cpuUsage();
		const result = await run(setup, boards, sockets);
		const used = process.cpuUsage(cpu);
		result.clientCpuMs = (used.user + used.system) / 1000;
		await send({ type: 'result', result });
	} catch (err) {
		await send({
			type: 'error',
			message: err instanceof Error ? (err.stack ?? err.message) : String(err)
		});
	} finally {
		for (const s of sockets) s.destroy();
	}
	process.exit(0);
}

async function connectBoard(origin: string, board: LiveBoard, sockets: Closable[]) {
	const writerSocket = openSocket({ origin, token: board.writer.token });
	sockets.push(writerSocket);
	const writer = writerSocket.attach(board.docName);
	const readers = board.readerTokens.map((token) => {
		const reader = {
			onUpdate: (_client: number, _clock: number) => {},
			synced: Promise.resolve()
		};
		const socket = openReader({
			origin,
			token,
			documentName: board.docName,
			onUpdate: (client, clock) => reader.onUpdate(client, clock)
		});
		sockets.push(socket);
		reader.synced = socket.synced;
		return reader;
	});
	await withTimeout(
		Promise.all([writer.synced, ...readers.map((r) => r.synced)]),
		60_000,
		`${board.docName} sync`
	);
	// The sync step 2 each provider sends on connect is acknowledged too: start from zero.
	await withTimeout(
		new Promise<void>((resolve) => {
			const check = () => writer.provider.unsyncedChanges === 0 && resolve();
			writer.provider.on('unsyncedChanges', check);
			check();
		}),
		30_000,
		`${board.docName} first ack`
	);
	const pipelineDoc = new Y.Doc();
	Y.applyUpdate(pipelineDoc, Buffer.from(board.pipelineState, 'base64'));
	return { board, writer, readers, pipelineDoc };
}

async function run(
	setup: Setup,
	boards: Awaited<ReturnType<typeof connectBoard>>[],
	sockets: Closable[]
): Promise<ClientResult> {
	const prng = new Prng(setup.seed);
	const fanout: number[] = [];
	const acks: number[] = [];
	const lags: number[] = [];
	let sendingAt = 0;
	let measuring = false;

	const live = boards.map(({ board, writer, readers, pipelineDoc }) => {
		const doc = writer.doc;
		const sent: Sent[] = [];
		// Every update the writer's document emits is one message to the server.
		let clock = Y.getState(doc.store, doc.clientID);
		doc.on('update', (_u: Uint8Array, origin: unknown) => {
			if (origin === writer.provider) return;
			sent.push({ at: sendingAt, before: clock, measured: measuring });
			clock = Y.getState(doc.store, doc.clientID);
		});
		let acked = 0;
		let unsynced = writer.provider.unsyncedChanges;
		writer.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
			const now = performance.now();
			for (; unsynced > number && acked < sent.length; unsynced--) {
				const s = sent[acked++]!;
				if (s.measured) acks.push(now - s.at);
			}
			unsynced = number;
		});
		const received = readers.map((r) => {
			const state = { next: 0 };
			r.onUpdate = (client, from) => {
				if (client !== doc.clientID) return;
				const now = performance.now();
				while (state.next < sent.length && sent[state.next]!.before <= from) {
					const s = sent[state.next++]!;
					if (s.measured) fanout.push(now - s.at);
				}
			};
			return state;
		});
		const origin = { kind: 'user', userId: board.writer.userId } as const;
		let amountBump = 0;
		function edit() {
			const before = sent.length;
			const dealId = prng.pick(board.dealIds);
			if (prng.chance(0.7)) {
				// Drop the card right after another one, in that one's column (a drag on the board).
				const other = prng.pick(board.dealIds);
				const stageId = textOf(dealField(doc, other, 'stageId'));
				if (other !== dealId && stageId) {
					try {
						moveDeal(
							{ pipelineDoc, dealDoc: doc },
							{ dealId, toStageId: stageId, after: other },
							origin
						);
					} catch {
						// e.g. the other card's column is not shown: fall through to a field update
					}
				}
			}
			if (sent.length === before) {
				const amount = (dealField(doc, dealId, 'amount') as number | undefined) ?? 0;
				updateDealFields(
					doc,
					{ dealId, amount: amount + 1000 + (++amountBump % 7) * 1000 },
					origin
				);
			}
		}
		return { sent, received, readers, edit, acked: () => acked };
	});

	const interval = (1000 * live.length) / setup.rate;
	const start = performance.now();
	const measureFrom = start + setup.warmupMs;
	const end = measureFrom + setup.measureMs;
	// Boards take turns evenly within each interval.
	const due = live.map((_, i) => start + (i * interval) / live.length);
	let sentCount = 0;
	let measuredCount = 0;
	// Open loop: each board's edits go out on their schedule whatever the answers do; a process
	// that falls behind catches up at once (and the lag is reported).
	await new Promise<void>((resolve) => {
		const tick = () => {
			const now = performance.now();
			let next = Infinity;
			for (let i = 0; i < live.length; i++) {
				while (due[i]! <= now && due[i]! < end) {
					measuring = due[i]! >= measureFrom;
					sendingAt = performance.now();
					if (measuring) lags.push(sendingAt - due[i]!);
					const before = live[i]!.sent.length;
					live[i]!.edit();
					const n = live[i]!.sent.length - before;
					sentCount += n;
					if (measuring) measuredCount += n;
					due[i]! += interval;
				}
				if (due[i]! < end) next = Math.min(next, due[i]!);
			}
			if (next === Infinity) resolve();
			else setTimeout(tick, Math.max(0, next - performance.now()));
		};
		tick();
	});

	// Drain: wait for every receipt and ack of what was sent, up to drainMs.
	const drainEnd = performance.now() + setup.drainMs;
	const pending = () =>
		live.some((b) => b.acked() < b.sent.length || b.received.some((r) => r.next < b.sent.length));
	while (pending() && performance.now() < drainEnd) await new Promise((r) => setTimeout(r, 20));
	const now = performance.now();
	let missingReceipts = 0;
	let missingAcks = 0;
	for (const b of live) {
		for (const r of b.received)
			for (let k = r.next; k < b.sent.length; k++)
				if (b.sent[k]!.measured) {
					missingReceipts++;
					fanout.push(now - b.sent[k]!.at);
				}
		for (let k = b.acked(); k < b.sent.length; k++)
			if (b.sent[k]!.measured) {
				missingAcks++;
				acks.push(now - b.sent[k]!.at);
			}
	}
	lags.sort((a, b) => a - b);
	return {
		fanout,
		acks,
		sent: sentCount,
		measured: measuredCount,
		missingReceipts,
		missingAcks,
		sendLagP99: lags.length ? lags[Math.ceil(lags.length * 0.99) - 1]! : 0,
		closedSockets: sockets.filter((s) => s.closed).length,
		clientCpuMs: 0,
		ackedTotal: live.reduce((n, b) => n + b.acked(), 0)
	};
}

if (process.env[ROLE_ENV] === ROLE) {
	// This process is a client process: it must never go on to run the bench itself.
	await clientMain();
	progress('board client: unreachable');
	process.exit(1);
}
