import {
	MessageType,
	type Connection,
	type Extension,
	type beforeHandleMessagePayload,
	type connectedPayload
} from '@hocuspocus/server';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { STALE_GENERATION } from '$lib/board/doc';
import type { Logger } from '$lib/server/log';
import { AwarenessThrottle } from './awareness-throttle';
import { FrameError, readFrame, syncUpdateOf } from './frame';
import { TokenBucket } from './token-bucket';

export type CollabLimits = {
	/** Largest frame a client may send; ws refuses a longer one from its header (close 1009). */
	maxMessageBytes: number;
	/** Sustained messages per second per socket, and the burst a socket may send at once. */
	messagesPerSecond: number;
	messageBurst: number;
	/** A socket's awareness updates for one document are applied at most this often. */
	awarenessIntervalMs: number;
};

// Why the defaults (src/lib/server/config.ts; docs/architecture.md, "Collab limits"):
// - 8 MiB a frame: a client's sync step 2 can hold a whole shard (a board built offline, or a
//   reconnect after a long offline session). A card with realistic Vietnamese fields costs ~634
//   bytes, so a 5,000-deal shard is ~3.2 MB (3.4 MB after 5,000 moves), ~5.3 MB with every text
//   field at its maximum length (limits.extension.spec.ts): ~2.5× margin on the realistic case.
// - 200 messages/s, burst 1,000: opening a board sends ~4 frames per document (auth, step 1,
//   step 2, awareness), so 20 documents are ~80; a drag is one update plus awareness. The burst
//   also covers the provider flushing edits it queued while offline.
// - 100 ms between awareness updates: presence looks live at 10 a second; a pointer sends 60.

// Updates up to this size are decoded before Hocuspocus sees them (server/collab/frame.ts).
const MAX_DECODED_UPDATE_BYTES = 64 * 1024;
// Presence is a name, a colour and the card being dragged; every other client of the document
// receives each awareness update, so a big one is amplified.
const MAX_AWARENESS_BYTES = 16 * 1024;
// Documents a socket may have open or asked for: a board is its pipeline plus one shard per owner
// (an SME has at most a few dozen reps). Each open document is loaded in memory.
const MAX_DOCUMENTS = 256;
// Hocuspocus 3 queues, without bound, frames for a document it has not opened on the socket (yet
// to be authorised, refused, or never asked for). A socket may hold half a burst of such frames
// (opening 20 documents queues ~60) and one and a half maximal frames' worth of bytes (a big
// edit made while authorising). Both sit below the rate limits, so a socket that piles frames up
// for documents it never opens is closed for that, whatever its speed.
const backlogFrames = (l: CollabLimits) => Math.floor(l.messageBurst / 2);
const backlogBytes = (l: CollabLimits) => 1.5 * l.maxMessageBytes;

type Reason = 'oversize' | 'rate' | 'malformed' | 'backlog' | 'doc_error';
// Close codes: RFC 6455 ones where they fit; Hocuspocus's "Reset Connection" when a document
// failed, so the provider reconnects and resends what was not acknowledged.
const closeCodes: Record<Reason, number> = {
	oversize: 1009,
	rate: 1008,
	malformed: 1007,
	backlog: 1008,
	doc_error: 4205
};

/**
 * Limits what one collab socket can make the server do: frame size, message and byte rate, the
 * backlog of frames for unopened documents, awareness frequency, and well-formed frames. A socket
 * over a limit is closed; the others are not slowed. `guard(ws)` must run before Hocuspocus sees
 * the socket (server/collab/upgrade.ts); the extension tells each guard which documents are open
 * and closes the socket when Hocuspocus closes one of its documents on an error.
 */
export function limitsExtension({
	limits,
	counters,
	log
}: {
	limits: CollabLimits;
	counters: Map<string, number>;
	log: Logger;
}) {
	const guards = new WeakMap<WebSocket, SocketGuard>();
	const watched = new WeakSet<Connection>();
	const count = (name: string) => counters.set(name, (counters.get(name) ?? 0) + 1);
	// A client that reconnects as fast as it is closed would otherwise buy a log line per socket:
	// at most one a second (burst 10) is written, saying how many were left out; counters count all.
	const logBudget = new TokenBucket(10, 1, performance.now());
	let unlogged = 0;
	function note(fields: { userId: string; reason: Reason; detail: string }) {
		if (!logBudget.take(1, performance.now())) return void (unlogged += 1);
		// A failed document also closes its socket at shutdown (Hocuspocus resets every document
		// then): not worth a warning.
		log[fields.reason === 'doc_error' ? 'info' : 'warn'](
			{ ...fields, unlogged },
			'closed a collab socket'
		);
		unlogged = 0;
	}

	class SocketGuard {
		#messages: TokenBucket;
		// Bytes refill at an eighth of the largest frame a second (1 MiB/s by default: ~1,600
		// cards); the burst lets a maximal step 2 through right after the opening handshake.
		#bytes: TokenBucket;
		#open = new Set<string>();
		#backlog = new Map<string, { frames: number; bytes: number }>();
		#backlogFrames = 0;
		#backlogBytes = 0;
		// Frames this guard let through. Hocuspocus re-emits a document's queued frames on the
		// socket once it opens the document; those were counted already and pass as they are.
		#admitted = new WeakSet<object>();
		#awareness: AwarenessThrottle<Buffer>;
		#closed = false;

		constructor(
			private readonly ws: WebSocket,
			private readonly userId: string,
			private readonly emit: (data: Buffer) => void
		) {
			const now = performance.now();
			this.#messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond, now);
			this.#bytes = new TokenBucket(2 * limits.maxMessageBytes, limits.maxMessageBytes / 8, now);
			this.#awareness = new AwarenessThrottle(limits.awarenessIntervalMs, (_, data) =>
				this.#pass(data)
			);
		}

		/** Whether Hocuspocus may see this frame now (a held awareness frame is emitted later). */
		admit(data: unknown, isBinary: unknown): boolean {
			if (this.#closed) return false;
			if (typeof data === 'object' && data !== null && this.#admitted.has(data)) return true;
			// Hocuspocus sets binaryType 'nodebuffer'; the provider sends binary frames only.
			if (!Buffer.isBuffer(data) || isBinary === false)
				return this.close('malformed', 'not binary');
			const now = performance.now();
			if (!this.#messages.take(1, now)) return this.close('rate', 'too many messages');
			if (!this.#bytes.take(data.length, now)) return this.close('rate', 'too many bytes');
			let frame;
			try {
				frame = readFrame(data, {
					maxAwarenessBytes: MAX_AWARENESS_BYTES,
					maxDecodedUpdateBytes: MAX_DECODED_UPDATE_BYTES
				});
			} catch (err) {
				if (!(err instanceof FrameError)) throw err;
				return this.close(err.kind, err.message);
			}
			const name = frame.documentName;
			if (!this.#open.has(name)) {
				const entry = this.#backlog.get(name) ?? { frames: 0, bytes: 0 };
				if (entry.frames === 0 && this.#open.size + this.#backlog.size >= MAX_DOCUMENTS)
					return this.close('backlog', 'too many documents');
				entry.frames += 1;
				entry.bytes += data.length;
				this.#backlog.set(name, entry);
				this.#backlogFrames += 1;
				this.#backlogBytes += data.length;
				if (
					this.#backlogFrames > backlogFrames(limits) ||
					this.#backlogBytes > backlogBytes(limits)
				)
					return this.close('backlog', 'too many frames for unopened documents');
			}
			if (frame.type === MessageType.Awareness) {
				if (this.#awareness.push(name, data) === 'replaced') count('collab.awareness_dropped');
				// Delivered (through #pass) or held: either way not by this emit.
				return false;
			}
			this.#admitted.add(data);
			return true;
		}

		#pass(data: Buffer) {
			if (this.#closed) return;
			this.#admitted.add(data);
			this.emit(data);
		}

		opened(documentName: string) {
			this.#open.add(documentName);
			this.#dropBacklog(documentName);
		}

		closedDocument(documentName: string) {
			this.#open.delete(documentName);
			this.#dropBacklog(documentName);
			this.#awareness.forget(documentName);
		}

		#dropBacklog(documentName: string) {
			const entry = this.#backlog.get(documentName);
			if (!entry) return;
			this.#backlog.delete(documentName);
			this.#backlogFrames -= entry.frames;
			this.#backlogBytes -= entry.bytes;
		}

		/** Counts, logs and closes the socket once; always returns false (the frame is dropped). */
		close(reason: Reason, detail: string): false {
			if (this.#closed) return false;
			count(`collab.closed_${reason}`);
			note({ userId: this.userId, reason, detail });
			this.free();
			if (this.ws.readyState === this.ws.OPEN) this.ws.close(closeCodes[reason], reason);
			return false;
		}

		/** Frees per-socket state (held awareness timers included); the socket is done. */
		free() {
			this.#closed = true;
			this.#awareness.clear();
			this.#open.clear();
			this.#backlog.clear();
		}

		/** The socket closed (ws already failed it with 1009 or 1002 for a bad frame header). */
		failed(reason: Reason, detail: string) {
			if (this.#closed) return;
			count(`collab.closed_${reason}`);
			note({ userId: this.userId, reason, detail });
			this.free();
		}
	}

	// Hocuspocus closes one document, not the socket, when a message for it throws (an update
	// that does not decode or apply, a failed log write): the provider then never reopens that
	// document until its socket reconnects. Closing the socket makes it reconnect and resend.
	function watch(connection: Connection) {
		if (watched.has(connection)) return;
		watched.add(connection);
		const ws = connection.webSocket;
		const documentName = connection.document.name;
		connection.onClose((_document, event) => {
			const guard = guards.get(ws);
			guard?.closedDocument(documentName);
			// The provider closing its document (code 1000), or the socket closing, is no error;
			// nor is a stale copy refused (persistence): its client rebases, then reopens it.
			if (ws.readyState !== ws.OPEN || event?.code === 1000) return;
			if (event?.reason === STALE_GENERATION) return;
			if (guard) guard.close('doc_error', `${documentName}: ${event?.reason ?? 'closed'}`);
			else ws.close(closeCodes.doc_error, 'doc_error');
		});
	}

	return {
		extensionName: 'limits',
		// Above persistence (1100): its beforeHandleMessage sees each connection before any later
		// hook can fail on that connection's first message.
		priority: 1200,

		/** Puts a socket under the limits; call before `hocuspocus.handleConnection`. */
		guard(ws: WebSocket, { userId }: { userId: string }) {
			const emit = ws.emit.bind(ws);
			const guard = new SocketGuard(ws, userId, (data) => emit('message', data, true));
			guards.set(ws, guard);
			// Hocuspocus listens to 'message' itself and has no hook before it parses or queues a
			// frame, so frames are filtered where the socket emits them.
			ws.emit = (event: string | symbol, ...args: unknown[]) =>
				event === 'message' && !guard.admit(args[0], args[1]) ? false : emit(event, ...args);
			// ws fails a socket whose frame is too long (1009) or not valid WebSocket framing (1002,
			// 1007) and emits 'error' on it: without a listener that throws and ends the process.
			ws.on('error', (err: Error & { code?: string }) => {
				if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') guard.failed('oversize', err.message);
				else if (err.code?.startsWith('WS_ERR_')) guard.failed('malformed', err.message);
				else log.warn({ err, userId }, 'collab socket error');
			});
			ws.once('close', () => guard.free());
		},

		async connected({ connection, documentName }: connectedPayload) {
			watch(connection);
			guards.get(connection.webSocket)?.opened(documentName);
		},

		async beforeHandleMessage({ connection, update }: beforeHandleMessagePayload) {
			watch(connection);
			// Hocuspocus answers a read-only connection's update with a refusal without reading it
			// (a step 2 it does decode), so a large garbage update there (the guard decodes the
			// small ones) would pass unnoticed. Read-only clients send almost no updates: decoding
			// theirs costs nothing, and a bad one throws here, which closes the socket.
			if (connection.readOnly) {
				const payload = syncUpdateOf(update);
				if (payload && payload.length > MAX_DECODED_UPDATE_BYTES) Y.decodeUpdate(payload);
			}
		}
	} satisfies Extension & { guard(ws: WebSocket, by: { userId: string }): void };
}

export type LimitsExtension = ReturnType<typeof limitsExtension>;
