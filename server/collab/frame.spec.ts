import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { FrameError, readFrame } from './frame';

const opts = { maxAwarenessBytes: 16 * 1024 };
const name = 'deals:0190f4c2-0000-7000-8000-000000000001:0190f4c2-0000-7000-8000-000000000002';

// Every frame a real provider writes on a socket that we drive by hand: open, the server's sync
// step 1 (so it answers with step 2), an edit, a presence change, and destroy (close message).
async function providerFrames() {
	const sent: Uint8Array[] = [];
	let socket: FakeSocket | undefined;
	class FakeSocket {
		readyState = 1;
		binaryType = 'arraybuffer';
		listeners = new Map<string, (event: unknown) => void>();
		constructor() {
			// eslint-disable-next-line @typescript-eslint/no-this-alias
			socket = this;
		}
		addEventListener(type: string, fn: (event: unknown) => void) {
			this.listeners.set(type, fn);
		}
		removeEventListener() {}
		send(data: Uint8Array) {
			sent.push(new Uint8Array(data));
		}
		close() {}
	}
	const ws = new HocuspocusProviderWebsocket({
		url: 'ws://test/collab',
		WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket
	});
	const doc = new Y.Doc();
	const provider = new HocuspocusProvider({ websocketProvider: ws, name, document: doc });
	provider.attach();
	await tick();
	provider.setAwarenessField('user', { name: 'Lê Văn Nam', color: '#0f766e' });
	socket!.listeners.get('open')!({});
	await tick();
	const step1 = encoding.createEncoder();
	encoding.writeVarString(step1, name);
	encoding.writeVarUint(step1, MessageType.Sync);
	syncProtocol.writeSyncStep1(step1, new Y.Doc());
	socket!.listeners.get('message')!({ data: encoding.toUint8Array(step1) });
	doc.getMap('deals').set('x', 'Hợp đồng thiết bị');
	provider.setAwarenessField('dragging', 'x');
	provider.destroy();
	ws.destroy();
	return sent;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function frame(write: (e: encoding.Encoder) => void, documentName = name) {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, documentName);
	write(e);
	return encoding.toUint8Array(e);
}

function refusal(data: Uint8Array) {
	try {
		readFrame(data, opts);
		return null;
	} catch (err) {
		if (!(err instanceof FrameError)) throw err;
		return err.kind;
	}
}

describe('readFrame', () => {
	it('accepts every frame the real provider sends, and names its document and type', async () => {
		const frames = await providerFrames();
		const types = frames.map((f) => readFrame(f, opts));
		expect(types.every((t) => t.documentName === name)).toBe(true);
		// Auth, step 1, awareness, step 2 (the answer), the edit, presence, close.
		expect(new Set(types.map((t) => t.type))).toEqual(
			new Set([MessageType.Auth, MessageType.Sync, MessageType.Awareness, MessageType.CLOSE])
		);
		const steps = frames
			.filter((_, i) => types[i]!.type === MessageType.Sync)
			.map((f) => {
				const d = decoding.createDecoder(f);
				decoding.readVarString(d);
				decoding.readVarUint(d);
				return decoding.readVarUint(d);
			});
		// Step 1, step 2 (the answer to the server's step 1) and the edit's update.
		expect(new Set(steps)).toEqual(new Set([0, 1, 2]));
	});

	it('refuses lengths that run past the frame, even when the buffer behind it is longer', () => {
		const update = frame((e) => {
			encoding.writeVarUint(e, MessageType.Sync);
			encoding.writeVarUint(e, 2);
			encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(new Y.Doc()));
		});
		expect(refusal(update)).toBeNull();
		// The same frame with its update's length raised by one, inside a larger buffer (ws hands
		// out views of the bytes it read): lib0 would read the neighbour's byte.
		const backing = new Uint8Array(update.length + 16);
		backing.set(update);
		backing[update.length - 3] = backing[update.length - 3]! + 1;
		expect(refusal(backing.subarray(0, update.length))).toBe('malformed');
	});

	it.each([
		['an empty frame', new Uint8Array()],
		['a truncated integer', new Uint8Array([0xff, 0xff, 0xff])],
		[
			'an integer above 53 bits',
			new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
		],
		['a name length of 2^31', new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x08, 0x61])],
		['an empty document name', frame((e) => encoding.writeVarUint(e, MessageType.Sync), '')],
		['a name that is not UTF-8', new Uint8Array([2, 0xc3, 0x28, 0])],
		[
			'a stateless message',
			frame((e) => (encoding.writeVarUint(e, 5), encoding.writeVarString(e, 'x')))
		],
		['a broadcast', frame((e) => (encoding.writeVarUint(e, 6), encoding.writeVarString(e, 'x')))],
		[
			'a sync status (server to client)',
			frame((e) => (encoding.writeVarUint(e, 8), encoding.writeVarUint(e, 1)))
		],
		['an unknown type', frame((e) => encoding.writeVarUint(e, 4242))],
		[
			'an unknown sync step',
			frame(
				(e) => (
					encoding.writeVarUint(e, 0),
					encoding.writeVarUint(e, 3),
					encoding.writeVarUint8Array(e, new Uint8Array([0, 0]))
				)
			)
		],
		[
			'a sync message without its payload',
			frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2)))
		],
		[
			'a step 1 that is no state vector',
			frame(
				(e) => (
					encoding.writeVarUint(e, 0),
					encoding.writeVarUint(e, 0),
					encoding.writeVarUint8Array(e, new Uint8Array([5, 1]))
				)
			)
		],
		[
			'trailing bytes',
			frame((e) => (encoding.writeVarUint(e, MessageType.CLOSE), encoding.writeUint8(e, 0)))
		],
		[
			'an auth message that is not a token',
			frame(
				(e) => (
					encoding.writeVarUint(e, 2),
					encoding.writeVarUint(e, 1),
					encoding.writeVarString(e, 'x')
				)
			)
		],
		[
			'awareness that is not JSON',
			frame((e) => {
				const inner = encoding.createEncoder();
				encoding.writeVarUint(inner, 1);
				encoding.writeVarUint(inner, 7);
				encoding.writeVarUint(inner, 1);
				encoding.writeVarString(inner, '{"user":');
				encoding.writeVarUint(e, MessageType.Awareness);
				encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
			})
		]
	])('refuses %s as malformed', (_, data) => {
		expect(refusal(data)).toBe('malformed');
	});

	it('refuses awareness above the size limit as oversize', () => {
		const awareness = new awarenessProtocol.Awareness(new Y.Doc());
		awareness.setLocalState({ user: { name: 'x'.repeat(20_000) } });
		const data = frame((e) => {
			encoding.writeVarUint(e, MessageType.Awareness);
			encoding.writeVarUint8Array(
				e,
				awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID])
			);
		});
		expect(refusal(data)).toBe('oversize');
		expect(refusal(data.subarray(0, 100))).toBe('malformed');
	});

	it('decodes updates up to the given size, and leaves larger ones to Yjs', () => {
		const garbage = (n: number) =>
			frame((e) => {
				encoding.writeVarUint(e, MessageType.Sync);
				encoding.writeVarUint(e, 2);
				encoding.writeVarUint8Array(e, new Uint8Array(n).fill(0xde));
			});
		const small = { ...opts, maxDecodedUpdateBytes: 1024 };
		expect(refusal(garbage(4))).toBeNull();
		expect(() => readFrame(garbage(4), small)).toThrow('update does not decode');
		expect(readFrame(garbage(1025), small)).toEqual({ documentName: name, type: MessageType.Sync });
		const edit = frame((e) => {
			const doc = new Y.Doc();
			doc.getMap('deals').set('x', 'Hợp đồng');
			encoding.writeVarUint(e, MessageType.Sync);
			encoding.writeVarUint(e, 2);
			encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc));
		});
		expect(readFrame(edit, small).type).toBe(MessageType.Sync);
	});
});
