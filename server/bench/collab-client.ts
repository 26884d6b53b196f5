import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { IncomingMessage, MessageType, OutgoingMessage } from '@hocuspocus/server';
import WebSocket from 'ws';
import { writeSyncStep1 } from 'y-protocols/sync';
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
			// Auth with the cookie's session (an empty token, as the board page sends), then sync step 1.
			const auth = new IncomingMessage(new Uint8Array());
			auth.writeVarString(documentName);
			auth.writeVarUint(MessageType.Auth);
			auth.writeVarUint(AUTH_TOKEN);
			auth.writeVarString('');
			ws.send(auth.toUint8Array());
			const step1 = new OutgoingMessage(documentName).createSyncMessage();
			writeSyncStep1(step1.encoder, new Y.Doc());
			ws.send(step1.toUint8Array());
		});
		ws.on('close', (code, reason) => {
			closed = true;
			reject(new Error(`${documentName}: socket closed (${code} ${reason.toString()})`));
		});
		ws.on('message', (data: Buffer) => {
			const message = new IncomingMessage(data);
			if (message.readVarString() !== documentName) return;
			const type = message.readVarUint();
			if (type === MessageType.Auth && message.readVarUint() === AUTH_DENIED) {
				reject(new Error(`${documentName}: authentication failed: ${message.readVarString()}`));
			} else if (type === MessageType.Sync || type === MessageType.SyncReply) {
				const kind = message.readVarUint();
				if (kind === SYNC_STEP_2) resolve();
				if (kind !== SYNC_UPDATE) return;
				// A Yjs v1 update: number of clients, then for the first one its number of structs,
				// its id and the clock its first struct starts at.
				const update = new IncomingMessage(message.readVarUint8Array());
				if (update.readVarUint() === 0) return;
				update.readVarUint();
				onUpdate(update.readVarUint(), update.readVarUint());
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

// y-protocols sync message types, and Hocuspocus's auth message types (@hocuspocus/common's
// AuthMessageType, not a dependency of ours).
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
const AUTH_TOKEN = 0;
const AUTH_DENIED = 1;
