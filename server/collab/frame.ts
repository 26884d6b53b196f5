import { MessageType } from '@hocuspocus/server';
import * as Y from 'yjs';

// The envelope of a client frame, checked exactly as @hocuspocus/provider 3 writes it, before
// Hocuspocus parses it: Hocuspocus reads lengths with lib0, which trusts them against the whole
// underlying ArrayBuffer (ws hands out views of the bytes it read), queues frames for documents
// it has not opened yet, and answers garbage by logging a stack trace and closing one document
// while the socket stays open.
//
// The Yjs update inside a sync message is decoded here only up to `maxDecodedUpdateBytes`: an
// edit is a few hundred bytes (microseconds to decode), while the persistence extension and Yjs
// decode every update once anyway, and a 5,000-deal step 2 takes ~0.4 s to decode. A larger
// update that does not decode fails there, and the limits extension closes the socket then.
export class FrameError extends Error {
	constructor(
		readonly kind: 'malformed' | 'oversize',
		message: string
	) {
		super(message);
		this.name = 'FrameError';
	}
}

export type Frame = { documentName: string; type: MessageType };

// Room for `deals:<uuid>:<uuid>` (79 bytes) and whatever names come next.
const MAX_NAME_BYTES = 200;
// The provider sends an empty token: the session cookie authenticates the socket.
const MAX_TOKEN_BYTES = 4096;
const SYNC_STEP_1 = 0;
const SYNC_UPDATE = 2;
const AUTH_TOKEN = 0;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a client frame's envelope; throws FrameError unless it is exactly one message the
 * provider could have written. Awareness payloads above `maxAwarenessBytes` are `oversize`:
 * every other client of the document receives them.
 */
export function readFrame(
	data: Uint8Array,
	{
		maxAwarenessBytes,
		maxDecodedUpdateBytes = 0
	}: { maxAwarenessBytes: number; maxDecodedUpdateBytes?: number }
) {
	const r = new Reader(data);
	const documentName = r.string(MAX_NAME_BYTES);
	if (documentName === '') throw malformed('empty document name');
	const type = r.varUint();
	switch (type) {
		case MessageType.Sync:
		case MessageType.SyncReply: {
			const step = r.varUint();
			if (step > SYNC_UPDATE) throw malformed(`unknown sync step ${step}`);
			const payload = r.bytes();
			if (step === SYNC_STEP_1) readStateVector(payload);
			else if (payload.length <= maxDecodedUpdateBytes) readUpdate(payload);
			break;
		}
		case MessageType.Awareness: {
			const payload = r.bytes();
			if (payload.length > maxAwarenessBytes)
				throw new FrameError('oversize', `awareness update of ${payload.length} bytes`);
			readAwareness(payload);
			break;
		}
		case MessageType.Auth:
			if (r.varUint() !== AUTH_TOKEN) throw malformed('auth message other than a token');
			r.string(MAX_TOKEN_BYTES);
			break;
		case MessageType.QueryAwareness:
		case MessageType.CLOSE:
			break;
		default:
			// Stateless messages are unused by Chốt, and BroadcastStateless would let any member,
			// read-only ones too, broadcast to every client of a document.
			throw malformed(`unsupported message type ${type}`);
	}
	r.end();
	return { documentName, type } satisfies Frame;
}

/** The Yjs update a sync update message carries (not a step 2), or null for any other frame. */
export function syncUpdateOf(data: Uint8Array): Uint8Array | null {
	const r = new Reader(data);
	r.string(MAX_NAME_BYTES);
	const type = r.varUint();
	if (type !== MessageType.Sync && type !== MessageType.SyncReply) return null;
	return r.varUint() === SYNC_UPDATE ? r.bytes() : null;
}

// y-protocols awareness update: count, then per client its id, clock and JSON state.
function readAwareness(payload: Uint8Array) {
	const r = new Reader(payload);
	const clients = r.varUint();
	for (let i = 0; i < clients; i++) {
		r.varUint();
		r.varUint();
		const state = r.string(payload.length);
		try {
			JSON.parse(state);
		} catch {
			throw malformed('awareness state is not JSON');
		}
	}
	r.end();
}

// The same check as the persistence extension's before it logs an update.
function readUpdate(payload: Uint8Array) {
	try {
		Y.decodeUpdate(payload);
	} catch {
		throw malformed('update does not decode');
	}
}

// Yjs state vector: count, then per client its id and clock.
function readStateVector(payload: Uint8Array) {
	const r = new Reader(payload);
	const clients = r.varUint();
	for (let i = 0; i < clients; i++) {
		r.varUint();
		r.varUint();
	}
	r.end();
}

function malformed(message: string) {
	return new FrameError('malformed', message);
}

// lib0 encoding, with every length checked against this frame rather than its buffer.
class Reader {
	#pos = 0;

	constructor(private readonly data: Uint8Array) {}

	varUint(): number {
		let n = 0;
		let mult = 1;
		// lib0 writes at most 53 bits: 8 groups of 7.
		for (let i = 0; i < 8; i++) {
			if (this.#pos >= this.data.length) throw malformed('truncated integer');
			const byte = this.data[this.#pos++]!;
			n += (byte & 0x7f) * mult;
			if (byte < 0x80) {
				if (n > Number.MAX_SAFE_INTEGER) break;
				return n;
			}
			mult *= 128;
		}
		throw malformed('integer out of range');
	}

	bytes(): Uint8Array {
		const length = this.varUint();
		if (length > this.data.length - this.#pos) throw malformed('length beyond the frame');
		const out = this.data.subarray(this.#pos, this.#pos + length);
		this.#pos += length;
		return out;
	}

	string(maxBytes: number): string {
		const bytes = this.bytes();
		if (bytes.length > maxBytes) throw malformed(`string of ${bytes.length} bytes`);
		try {
			return utf8.decode(bytes);
		} catch {
			throw malformed('string is not UTF-8');
		}
	}

	end() {
		if (this.#pos !== this.data.length) throw malformed('trailing bytes');
	}
}
