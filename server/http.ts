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
