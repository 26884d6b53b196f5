import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

// The bench's own provider client (the same idea as tests/support/collab-client.ts): a real
// Hocuspocus provider over a real WebSocket sending what a browser sends (session cookie, Origin),
// with any number of documents on one socket, as the board page does. No reconnects: a socket
// that drops during a bench is counted, not silently redialled.

export type BenchSocket = ReturnType<typeof openSocket>;

export function openSocket({ origin, token }: { origin: string; token: string }) {
	// The production server names its cookie `__Host-chot_session` when it sets secure cookies (the
	// default under NODE_ENV=production) and `chot_session` otherwise; send both.
	const headers = { origin, cookie: `__Host-chot_session=${token}; chot_session=${token}` };
	const WebSocketWithHeaders = class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
			// Failures surface as 'close' (counted, or a rejected `synced`); an 'error' event with
			// no listener (e.g. destroying a socket still connecting) would end the bench process.
			this.on('error', () => {});
		}
	};
	const socket = new HocuspocusProviderWebsocket({
		url: origin.replace(/^http/, 'ws') + '/collab',
		WebSocketPolyfill: WebSocketWithHeaders,
		maxAttempts: 1
	});
	let closed = false;
	socket.on('close', () => (closed = true));
	const providers: HocuspocusProvider[] = [];
	return {
		socket,
		get closed() {
			return closed;
		},
		/** Opens a document on this socket; `synced` resolves after the first sync with the server. */
		attach(documentName: string) {
			const doc = new Y.Doc();
			const provider = new HocuspocusProvider({
				websocketProvider: socket,
				name: documentName,
				document: doc
			});
			// Required with an explicit websocketProvider, or it never syncs.
			provider.attach();
			providers.push(provider);
			const synced = new Promise<void>((resolve, reject) => {
				provider.on('synced', () => resolve());
				provider.on('authenticationFailed', ({ reason }: { reason: string }) =>
					reject(new Error(`${documentName}: authentication failed: ${reason}`))
				);
				socket.on('close', ({ event }: { event: { code: number; reason: string } }) =>
					reject(new Error(`${documentName}: socket closed (${event.code} ${event.reason})`))
				);
			});
			return { doc, provider, synced };
		},
		destroy() {
			for (const p of providers) p.destroy();
			socket.destroy();
			// destroy() may still schedule a reconnect; a finished bench client must not dial again.
			socket.connect = async () => {};
		}
	};
}

/** Runs `fn` over `items` with at most `limit` in flight (connecting hundreds of sockets at once
 * measures the upgrade queue, not what the bench is after). */
export async function inBatches<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T) => Promise<R>
) {
	const out: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await fn(items[i]!);
			}
		})
	);
	return out;
}

/** Rejects after `ms` with `what` in the message unless `p` settles first. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([
		p.finally(() => clearTimeout(timer)),
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
		})
	]);
}

/** Resolves once the server has acknowledged every update the provider has sent. */
export function acked(provider: HocuspocusProvider) {
	return new Promise<void>((resolve) => {
		if (provider.unsyncedChanges === 0) return resolve();
		const on = ({ number }: { number: number }) => {
			if (number !== 0) return;
			provider.off('unsyncedChanges', on);
			resolve();
		};
		provider.on('unsyncedChanges', on);
	});
}

/**
 * A reader that only listens: one WebSocket on one document, authenticated by the same cookie,
 * that asks for the document once (sync step 1 with an empty state vector, so `synced` means the
 * server has added it to the document and sent its state) and from then on reports each update
 * the server broadcasts by the first client id and clock it carries, read from the update's
 * header without applying it. The fan-out figure is about the server: a reader that applied
 * every update to its own Y.Doc spent the two shared cores the server needs (300 of them applying
 * 6,000 updates/s), and its receipts waited behind that work.
 */
export function openReader({
	origin,
	token,
	documentName,
	onUpdate
}: {
	origin: string;
	token: string;
	documentName: string;
	onUpdate: (client: number, clock: number) => void;
}) {
	const headers = { origin, cookie: `__Host-chot_session=${token}; chot_session=${token}` };
	const ws = new WebSocket(origin.replace(/^http/, 'ws') + '/collab', { headers });
	ws.on('error', () => {});
	let closed = false;
	const synced = new Promise<void>((resolve, reject) => {
		ws.on('open', () => {
			const name = varString(documentName);
			// Auth with the cookie's session (an empty token, as the board page sends), then sync step 1.
			ws.send(Buffer.concat([name, varUint(MESSAGE.auth), varUint(0), varString('')]));
			ws.send(Buffer.concat([name, varUint(MESSAGE.sync), varUint(0), varUint(1), varUint(0)]));
		});
		ws.on('close', (code, reason) => {
			closed = true;
			reject(new Error(`${documentName}: socket closed (${code} ${reason.toString()})`));
		});
		ws.on('message', (data: Buffer) => {
			const r = new Reader(data);
			if (r.string() !== documentName) return;
			const type = r.uint();
			if (type === MESSAGE.auth && r.uint() === 1) {
				reject(new Error(`${documentName}: authentication failed: ${r.string()}`));
			} else if (type === MESSAGE.sync || type === MESSAGE.syncReply) {
				const kind = r.uint();
				if (kind === 1) resolve();
				if (kind !== 2) return;
				// A Yjs v1 update: number of clients, then for the first one its number of structs,
				// its id and the clock its first struct starts at.
				const update = new Reader(r.bytes());
				if (update.uint() === 0) return;
				update.uint();
				onUpdate(update.uint(), update.uint());
			}
		});
	});
	return {
		synced,
		get closed() {
			return closed;
		},
		destroy: () => ws.terminate()
	};
}

// Hocuspocus message types (@hocuspocus/server's MessageType).
const MESSAGE = { sync: 0, auth: 2, syncReply: 4 } as const;

function varUint(n: number) {
	const out: number[] = [];
	while (n > 0x7f) {
		out.push(0x80 | (n % 0x80));
		n = Math.floor(n / 0x80);
	}
	out.push(n);
	return Buffer.from(out);
}

function varString(s: string) {
	const bytes = Buffer.from(s, 'utf8');
	return Buffer.concat([varUint(bytes.length), bytes]);
}

class Reader {
	#pos = 0;
	constructor(private readonly buf: Uint8Array) {}
	uint() {
		let n = 0;
		let scale = 1;
		for (;;) {
			if (this.#pos >= this.buf.length) throw new Error('message ends inside a number');
			const b = this.buf[this.#pos++]!;
			n += (b & 0x7f) * scale;
			if (b < 0x80) return n;
			scale *= 0x80;
		}
	}
	bytes() {
		const len = this.uint();
		const out = this.buf.subarray(this.#pos, this.#pos + len);
		this.#pos += len;
		return out;
	}
	string() {
		return Buffer.from(this.bytes()).toString('utf8');
	}
}
