import WebSocket from 'ws';
import { withTimeout } from './collab-client';

// A minimal Chrome DevTools Protocol client for the server started with
// `NODE_OPTIONS=--inspect=127.0.0.1:<port>`: the memory figures force full garbage collections
// (HeapProfiler.collectGarbage) before reading memory, so that they compare live memory rather
// than whatever garbage the last young-generation cycles happened to leave. The server needs no
// code or endpoint for it, and the inspector is only used by the memory phase's server.
export async function connectInspector(port: number) {
	const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
		webSocketDebuggerUrl: string;
	}[];
	const url = targets[0]?.webSocketDebuggerUrl;
	if (!url) throw new Error('the server has no inspector target');
	const ws = new WebSocket(url);
	await withTimeout(
		new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		}),
		10_000,
		'inspector connection'
	);
	let nextId = 0;
	const pending = new Map<number, (m: { error?: { message: string }; result?: unknown }) => void>();
	ws.on('message', (data) => {
		const m = JSON.parse(String(data)) as {
			id?: number;
			error?: { message: string };
			result?: unknown;
		};
		if (m.id !== undefined) pending.get(m.id)?.(m);
	});
	function call(method: string, params: Record<string, unknown> = {}) {
		const id = ++nextId;
		return withTimeout(
			new Promise<unknown>((resolve, reject) => {
				pending.set(id, (m) => {
					pending.delete(id);
					if (m.error) reject(new Error(`${method}: ${m.error.message}`));
					else resolve(m.result);
				});
				ws.send(JSON.stringify({ id, method, params }));
			}),
			30_000,
			method
		);
	}
	return {
		/** Full, compacting garbage collections (twice: finalizers may free more on a second pass). */
		async collectGarbage() {
			await call('HeapProfiler.collectGarbage');
			await call('HeapProfiler.collectGarbage');
		},
		close() {
			ws.close();
		}
	};
}
