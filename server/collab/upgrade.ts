import type { Hocuspocus } from '@hocuspocus/server';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import * as sessions from '$lib/server/auth/session';
import type { Runtime } from '$lib/server/runtime';
import type { LimitsExtension } from './limits.extension';
import type { SocketRegistry } from './sockets';

export const COLLAB_PATH = '/collab';

// Authenticates a WebSocket upgrade before Hocuspocus sees the socket: the Origin must be ours
// and the session cookie valid. Refusals are plain HTTP answers, so nothing is buffered for an
// unauthenticated client (Hocuspocus 3 buffers pre-auth messages without bound).
export function createUpgradeHandler({
	rt,
	hocuspocus,
	sockets,
	limits
}: {
	rt: Runtime;
	hocuspocus: Hocuspocus;
	sockets: SocketRegistry;
	limits: LimitsExtension;
}) {
	// ws refuses a longer frame from its header, before buffering it (close 1009).
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: rt.config.collabLimits.maxMessageBytes
	});
	const cookie = sessions.cookieName({ secure: rt.config.secureCookies });

	return async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
		try {
			if (req.headers.origin !== rt.config.origin) return refuse(socket, 403, 'Forbidden');
			const token = readCookie(req.headers.cookie, cookie);
			const result = token ? await sessions.validate(rt.db, { token }) : null;
			if (!result) return refuse(socket, 401, 'Unauthorized');
			wss.handleUpgrade(req, socket, head, (ws) => {
				sockets.add(result.user.id, ws);
				// Before Hocuspocus attaches its listeners, so that it never sees a refused frame.
				limits.guard(ws, { userId: result.user.id });
				hocuspocus.handleConnection(ws, req, { userId: result.user.id });
			});
		} catch (err) {
			rt.log.error({ err }, 'collab upgrade failed');
			refuse(socket, 500, 'Internal Server Error');
		}
	};
}

function refuse(socket: Duplex, status: number, text: string) {
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) {
			return decodeURIComponent(part.slice(eq + 1).trim());
		}
	}
	return undefined;
}
