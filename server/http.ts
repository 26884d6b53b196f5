import http from 'node:http';
import type { Backend } from './backend';
import { COLLAB_PATH } from './collab/upgrade';
import { eventLoopMonitor } from './event-loop';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

// One port for everything: /healthz and /metrics answered here, /collab upgraded to Hocuspocus,
// the rest handed to the SvelteKit handler (adapter-node).
export function createHttpServer({ backend, handler }: { backend: Backend; handler: NodeHandler }) {
	const eventLoop = eventLoopMonitor();
	const server = http.createServer((req, res) => {
		const url = req.url ?? '/';
		if (url === '/healthz') return void healthz(backend, res);
		// `/metrics?reset=event-loop` starts a new event-loop window after reading (tests, benches).
		if (url === '/metrics' || url === '/metrics?reset=event-loop')
			return void metrics(backend, req, res, eventLoop.read({ reset: url !== '/metrics' }));
		lingerAfterEarlyAnswer(req, res);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
	server.on('upgrade', (req, socket, head) => {
		const path = (req.url ?? '').split('?')[0];
		if (path === COLLAB_PATH && backend.rt.config.roles.has('collab')) {
			void backend.handleUpgrade(req, socket, head);
		} else {
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
		}
	});
	server.on('close', () => eventLoop.stop());
	// Slowloris guard; keep-alive a little above common load-balancer idle timeouts.
	server.headersTimeout = 20_000;
	server.requestTimeout = 120_000;
	server.keepAliveTimeout = 65_000;
	return server;
}

// How long a connection answered before its request body ended (a 413 for a file over the
// limit) stays open, reading and throwing away what the client is still sending.
const LINGER_MS = 2_000;
const LINGER_BYTES = 16 * 1024 * 1024;

/**
 * A lingering close, as nginx does it: Node closes a connection whose answer ended it (an upload
 * refused part-way) as soon as the answer is written, while the client is still sending. Closing
 * a socket with unread bytes makes the kernel send a reset, and a reset makes the client's
 * kernel throw away the answer it has not read yet: the client sees "connection reset" instead
 * of the 413 in its language. So the socket keeps reading (and discarding) for a short while
 * after its FIN, until the client closes its side, LINGER_MS pass or LINGER_BYTES arrive.
 */
function lingerAfterEarlyAnswer(req: http.IncomingMessage, res: http.ServerResponse) {
	// Only a request with a body can still be sending (most are GETs: no listener for them).
	const length = req.headers['content-length'];
	if (!req.headers['transfer-encoding'] && (length === undefined || length === '0')) return;
	res.once('finish', () => {
		const socket = req.socket;
		// Node's own finish handler has just run: it ends the socket and destroys it once the FIN
		// is out (`destroySoon`), unless the request was read to its end or the socket lives on.
		if (req.complete || socket.destroyed || !socket.listeners('finish').includes(socket.destroy))
			return;
		socket.removeListener('finish', socket.destroy);
		let bytes = 0;
		const close = () => {
			clearTimeout(timer);
			socket.destroy();
		};
		const timer = setTimeout(close, LINGER_MS);
		socket.once('close', () => clearTimeout(timer));
		req.removeAllListeners('data');
		req.on('data', (d: Buffer) => {
			bytes += d.length;
			if (bytes > LINGER_BYTES) close();
		});
		req.once('end', close);
		req.resume();
	});
}

async function healthz(backend: Backend, res: http.ServerResponse) {
	const report = await backend.health().catch((err: Error) => ({ ok: false, error: err.message }));
	res.writeHead(report.ok ? 200 : 503, {
		'content-type': 'application/json',
		'cache-control': 'no-store'
	});
	res.end(JSON.stringify(report));
}

// Process counters (e.g. password hashes computed), for tests and operators; loopback only.
function metrics(
	backend: Backend,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	eventLoop: ReturnType<ReturnType<typeof eventLoopMonitor>['read']>
) {
	const addr = req.socket.remoteAddress ?? '';
	if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(addr)) {
		res.writeHead(404).end('Not found');
		return;
	}
	const mem = process.memoryUsage();
	res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(
		JSON.stringify({
			counters: Object.fromEntries(backend.rt.counters),
			rssBytes: mem.rss,
			heapUsedBytes: mem.heapUsed,
			// Buffers and ArrayBuffers live outside the V8 heap (the board bench adds them to heap).
			externalBytes: mem.external,
			collabConnections: backend.hocuspocus.getConnectionsCount(),
			collabDocuments: backend.hocuspocus.getDocumentsCount(),
			// Update-log inserts and rows: rows ÷ inserts is the group commit's batch size.
			collabLog: backend.logStats,
			// How far the deals and stages tables are behind the board documents.
			projection: backend.projectionStats(),
			eventLoop
		})
	);
}
