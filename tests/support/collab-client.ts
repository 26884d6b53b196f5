import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

// A real Hocuspocus provider over a real WebSocket, sending the headers a browser would
// (session cookie, Origin): Node's `ws` takes them as constructor options.
export function wsWithHeaders(headers: Record<string, string>) {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
			// `ws` emits 'error' when the provider closes a socket still connecting (a reconnect
			// racing a restarting server) after it removed its own listeners; unheard, the error is
			// thrown and fails the run (seen in durability.spec.ts). A browser's WebSocket never
			// throws there; failures still surface as 'close'.
			this.on('error', () => {});
		}
	};
}

export function connect({
	origin,
	documentName,
	cookie,
	wsOrigin = origin,
	reconnect = false,
	doc = new Y.Doc()
}: {
	origin: string;
	documentName: string;
	cookie?: string;
	wsOrigin?: string;
	/** Keep reconnecting (quickly) like a browser would, e.g. across server restarts. */
	reconnect?: boolean;
	/** The replica to sync (a copy kept from before, as a browser keeps one in IndexedDB). */
	doc?: Y.Doc;
}) {
	const headers: Record<string, string> = { origin: wsOrigin };
	if (cookie) headers.cookie = cookie;
	const socket = new HocuspocusProviderWebsocket({
		url: origin.replace(/^http/, 'ws') + '/collab',
		WebSocketPolyfill: wsWithHeaders(headers),
		// Most tests watch a single connection's fate: no silent reconnect loop unless asked.
		...(reconnect ? { delay: 100, minDelay: 100, factor: 1.5, maxDelay: 1000 } : { maxAttempts: 1 })
	});
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name: documentName,
		document: doc
	});
	// Required with an explicit websocketProvider (stack-notes), or it never syncs.
	provider.attach();
	const synced = new Promise<void>((resolve, reject) => {
		provider.on('synced', () => resolve());
		provider.on('authenticationFailed', ({ reason }: { reason: string }) =>
			reject(new Error(`authentication failed: ${reason}`))
		);
	});
	// The server closing this document only (not the socket), e.g. for a stale generation.
	const docClosed = new Promise<string>((resolve) => {
		provider.on('close', ({ event }: { event: { reason?: string } }) =>
			resolve(String(event.reason))
		);
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => {
		socket.on('close', ({ event }: { event: { code: number; reason: string } }) =>
			resolve({ code: event.code, reason: String(event.reason) })
		);
	});
	return {
		doc,
		provider,
		socket,
		synced,
		closed,
		docClosed,
		destroy() {
			provider.destroy();
			socket.destroy();
			// The provider schedules a reconnect on close, and connect() turns reconnecting back on
			// even after destroy(); a test client that is done must not dial a restarting server.
			socket.connect = async () => {};
		}
	};
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

/** Opens a raw upgrade and returns the HTTP status the server answered (101 when accepted). */
export function upgradeStatus({ url, headers }: { url: string; headers: Record<string, string> }) {
	return new Promise<number>((resolve) => {
		const ws = new WebSocket(url, { headers });
		ws.on('open', () => {
			ws.close();
			resolve(101);
		});
		ws.on('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.on('error', () => {});
	});
}
