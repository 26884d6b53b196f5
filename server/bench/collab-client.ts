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
