import { Document, OutgoingMessage, type Extension } from '@hocuspocus/server';
import type * as Y from 'yjs';

// Hocuspocus 3.4 sends every document update to every connection of the document, the one it
// came from included. The sender already has what it sent (its acknowledgement is the separate
// SyncStatus message), so under a board's load a quarter of all frames are echoes: each rep's
// drag comes back to the phone that made it. Measured in the fan-out bench (architecture.md ›
// Collab server): the server spends about a third of its busy time writing to sockets.
//
// The echo is skipped only when the sender is certain to hold the whole update: an update may
// also carry structs that were waiting in the document for a dependency the sender's message
// supplied (`pendingStructs`: arrived through Redis from another instance, or ahead of an edit
// the server refused), and those the sender may lack, so such an update goes to everyone.

/** Set in each transaction's meta at its start: no struct or deletion was pending then. */
const NOTHING_PENDING = Symbol('chot.nothingPending');
const watched = new WeakSet<Y.Doc>();
let installed = false;

type UpdateHandler = (
	this: Document,
	update: Uint8Array,
	origin: unknown,
	doc?: Y.Doc,
	transaction?: Y.Transaction
) => Document;

/**
 * The extension watches each document from its load on; creating it replaces
 * `Document.prototype.handleUpdate` (bound to the document's `update` event in its constructor),
 * so it must be created before Hocuspocus creates a document.
 */
export function noEchoExtension(): Extension {
	installHandleUpdate();
	return {
		extensionName: 'no-echo',
		async afterLoadDocument({ document }) {
			watchPending(document);
		}
	};
}

function installHandleUpdate() {
	if (installed) return;
	installed = true;
	const handleUpdate: UpdateHandler = function (update, origin, _doc, transaction) {
		this.callbacks.onUpdate(this, origin as never, update);
		const frame = new OutgoingMessage(this.name)
			.createSyncMessage()
			.writeUpdate(update)
			.toUint8Array();
		const skip = transaction?.meta.get(NOTHING_PENDING) === true ? origin : undefined;
		for (const connection of this.getConnections()) {
			if (connection !== skip) connection.send(frame);
		}
		watchPending(this);
		return this;
	};
	(Document.prototype as unknown as { handleUpdate: UpdateHandler }).handleUpdate = handleUpdate;
}

// Registered when the document has loaded (or, for one the extension did not see load, at its
// first update, which is then echoed like any update whose transaction was not watched).
function watchPending(doc: Y.Doc) {
	if (watched.has(doc)) return;
	watched.add(doc);
	doc.on('beforeTransaction', (transaction: Y.Transaction) => {
		const { pendingStructs, pendingDs } = doc.store;
		transaction.meta.set(NOTHING_PENDING, pendingStructs === null && pendingDs === null);
	});
}
