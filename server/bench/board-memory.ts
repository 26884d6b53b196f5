import v8 from 'node:v8';
import vm from 'node:vm';
import * as Y from 'yjs';
import { inBatches, openSocket, withTimeout, type BenchSocket } from './collab-client';
import { progress } from './figures';
import type { connectInspector } from './inspector';

// Server memory per idle connection and per loaded board, read from the server's /metrics
// (process.memoryUsage(), loopback only) after forced full garbage collections, as differences
// between states of one server process. "Live" memory is the V8 heap in use plus external memory
// (Buffers, ArrayBuffers); RSS is reported beside it, but RSS after a collection keeps whatever
// pages V8 and the allocator chose not to return, so it moves by megabytes between readings.

export type Snapshot = {
	rss: number;
	heap: number;
	external: number;
	live: number;
	connections: number;
	documents: number;
};

type Inspector = Awaited<ReturnType<typeof connectInspector>>;

/**
 * Server memory after forced full collections, once it has settled: for a few seconds after
 * documents load, the work they started (projection of every card, log and socket buffers)
 * holds megabytes, longer on a busy machine. So the first reading waits 2 s, and readings 1.5 s
 * apart are taken until three in a row agree within 256 KB (at most 12 readings).
 */
export async function snapshot(origin: string, inspector: Inspector): Promise<Snapshot> {
	const readings: Snapshot[] = [];
	await new Promise((r) => setTimeout(r, 2000));
	for (let i = 0; i < 12; i++) {
		await inspector.collectGarbage();
		readings.push(await read(origin));
		const last3 = readings.slice(-3).map((s) => s.live);
		if (last3.length === 3 && Math.max(...last3) - Math.min(...last3) < 256 * 1024)
			return readings.at(-1)!;
		await new Promise((r) => setTimeout(r, 1500));
	}
	progress(
		`memory did not settle within 256 KB: readings ${readings.map((s) => mb(s.live)).join(', ')} MB`
	);
	return readings.at(-1)!;
}

async function read(origin: string): Promise<Snapshot> {
	const m = (await (await fetch(`${origin}/metrics`)).json()) as {
		rssBytes: number;
		heapUsedBytes: number;
		externalBytes: number;
		collabConnections: number;
		collabDocuments: number;
	};
	return {
		rss: m.rssBytes,
		heap: m.heapUsedBytes,
		external: m.externalBytes,
		live: m.heapUsedBytes + m.externalBytes,
		connections: m.collabConnections,
		documents: m.collabDocuments
	};
}

/** Waits until the server has no collab connection and no loaded document left. */
export async function waitIdle(origin: string, timeoutMs = 30_000) {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const m = (await (await fetch(`${origin}/metrics`)).json()) as {
			collabConnections: number;
			collabDocuments: number;
		};
		if (m.collabConnections === 0 && m.collabDocuments === 0) return;
		if (performance.now() > deadline)
			throw new Error(
				`server still has ${m.collabConnections} connections and ${m.collabDocuments} documents`
			);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** Opens one socket per entry, each with the given documents, and waits until all are synced. */
export async function openMany(
	origin: string,
	entries: { token: string; docNames: string[] }[],
	what: string
): Promise<BenchSocket[]> {
	const sockets: BenchSocket[] = [];
	const started = performance.now();
	try {
		await withTimeout(
			inBatches(entries, 25, async ({ token, docNames }) => {
				const socket = openSocket({ origin, token });
				sockets.push(socket);
				await Promise.all(docNames.map((name) => socket.attach(name).synced));
			}),
			120_000,
			what
		);
	} catch (err) {
		for (const s of sockets) s.destroy();
		throw err;
	}
	progress(
		`${what}: ${sockets.length} sockets synced in ${Math.round(performance.now() - started)} ms`
	);
	return sockets;
}

export const kb = (bytes: number) => bytes / 1024;
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * Heap held by a bare Y.Doc loaded from `state`, measured in this (bench) process: the share of a
 * loaded board that is the Yjs document itself, whatever the server keeps beside it.
 */
export function yDocHeapBytes(state: Uint8Array, copies = 10) {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc') as () => void;
	gc();
	gc();
	const before = process.memoryUsage();
	const docs: Y.Doc[] = [];
	for (let i = 0; i < copies; i++) {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, state);
		docs.push(doc);
	}
	gc();
	gc();
	const after = process.memoryUsage();
	const bytes = (after.heapUsed + after.external - before.heapUsed - before.external) / copies;
	for (const d of docs) d.destroy();
	return bytes;
}
