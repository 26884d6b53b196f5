import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { IncomingMessage, MessageType, Server } from '@hocuspocus/server';
import { afterAll, expect, it } from 'vitest';
import { messageYjsUpdate } from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { noEchoExtension } from './no-echo';

// A real Hocuspocus server over real WebSockets, with only this extension: what each socket receives
// when a client edits a document.

const server = new Server({
	port: 0,
	address: '127.0.0.1',
	quiet: true,
	stopOnSignals: false,
	extensions: [noEchoExtension()]
});
await server.listen();
afterAll(() => server.destroy());

let n = 0;
function client(name: string) {
	const socket = new HocuspocusProviderWebsocket({
		url: server.webSocketURL,
		WebSocketPolyfill: WebSocket,
		maxAttempts: 1
	});
	const doc = new Y.Doc();
	const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc });
	provider.attach();
	// Update frames of this document that reached the socket (not sync steps, not acks).
	const updates: Uint8Array[] = [];
	socket.on('message', (event: { data: ArrayBuffer }) => {
		const message = new IncomingMessage(new Uint8Array(event.data));
		if (message.readVarString() !== name || message.readVarUint() !== MessageType.Sync) return;
		if (message.readVarUint() === messageYjsUpdate) updates.push(message.readVarUint8Array());
	});
	const synced = new Promise<void>((resolve) => provider.on('synced', () => resolve()));
	const acked = () => expect.poll(() => provider.unsyncedChanges, { timeout: 5000 }).toBe(0);
	return {
		doc,
		updates,
		synced,
		acked,
		destroy() {
			provider.destroy();
			socket.destroy();
		}
	};
}

it('sends an edit to the other clients of the document and not back to its sender', async () => {
	const name = `echo-${n++}`;
	const writer = client(name);
	const reader = client(name);
	await Promise.all([writer.synced, reader.synced]);
	for (let i = 0; i < 5; i++) writer.doc.getArray<number>('moves').push([i]);
	await writer.acked();
	await expect.poll(() => reader.doc.getArray('moves').length).toBe(5);
	expect(reader.updates).toHaveLength(5);
	expect(writer.updates).toHaveLength(0);

	// And the reader's own edit reaches the writer.
	reader.doc.getMap('card').set('title', 'Lắp đặt máy lạnh');
	await expect.poll(() => writer.doc.getMap('card').get('title')).toBe('Lắp đặt máy lạnh');
	expect(reader.updates).toHaveLength(5);
	writer.destroy();
	reader.destroy();
});

it('sends the sender an update that also carries structs the server held for a missing dependency', async () => {
	const name = `echo-${n++}`;
	const a = client(name);
	await a.synced;
	// X writes "d"; Y, having "d", writes "p" after it. The server receives Y's "p" first (as
	// from another instance): it cannot integrate it and holds it pending.
	const x = new Y.Doc();
	x.getArray('a').insert(0, ['d']);
	const y = new Y.Doc();
	Y.applyUpdate(y, Y.encodeStateAsUpdate(x));
	y.getArray('a').insert(1, ['p']);
	const onlyP = Y.encodeStateAsUpdate(y, Y.encodeStateVector(x));
	const stored = server.hocuspocus.documents.get(name)!;
	Y.applyUpdate(stored, onlyP, 'other-instance');
	expect(stored.store.pendingStructs).not.toBeNull();

	// A comes to hold "d" (as a copy kept from another session would) and sends it: the server
	// integrates "d" and the held "p" in one update, which A must get although A sent it.
	Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(x));
	await expect.poll(() => stored.getArray('a').toArray()).toEqual(['d', 'p']);
	await expect.poll(() => a.doc.getArray('a').toArray()).toEqual(['d', 'p']);
	expect(a.updates).toHaveLength(1);
	a.destroy();
});
