import { Redis } from '@hocuspocus/extension-redis';
import IORedis from 'ioredis';

// What of Hocuspocus's Redis extension this wraps (private in its types): how it names a
// document's channel, and its handler of every message on a subscribed channel.
type Internals = {
	getKey(documentName: string): string;
	pubKey(documentName: string): string;
	subKey(documentName: string): string;
	handleIncomingMessage(channel: Buffer, data: Buffer): Promise<void>;
};

/**
 * Scale-out: instances share live documents through Redis pub/sub, on one channel per document
 * and generation (architecture.md › Growth). Hocuspocus's Redis extension relays by the sync
 * protocol: after a change an instance publishes its state vector, and every other instance
 * holding the document answers with all that vector lacks. Between a copy of generation g (held
 * by an instance whose lock connection dropped, until its next heartbeat evicts it) and a copy of
 * g+1, that answer is the whole other generation: g's cards merged into g+1, where their old
 * values can win, which is what generations exist to prevent. On separate channels the two never
 * meet: g's clients are closed as stale and rebase, and what was logged against g is rebased by
 * the next compaction. Generation 0 keeps the extension's own channel name, so during a rolling
 * deploy instances of an older build still relay every document that was never rewritten.
 */
export function redisRelay({
	url,
	generationOf,
	onError = () => {}
}: {
	url: string;
	/** The generation of a loaded document (the persistence extension's). */
	generationOf: (documentName: string) => number | undefined;
	/** A relay message that could not be published (unless shutting down) or applied. */
	onError?: (err: unknown) => void;
}) {
	const redis = new Redis({ createClient: () => new IORedis(url) });
	let closing = false;
	const destroy = redis.onDestroy.bind(redis);
	redis.onDestroy = () => {
		closing = true;
		return destroy();
	};
	// A publish that fails is a relay message lost, as on a network drop: each later change
	// publishes the instance's state vector again and the others answer with what it lacks. The
	// extension leaves some of these promises floating (its answers to other instances), where a
	// rejection ends the process: at shutdown, an answer to an instance that kept sending after
	// the connections closed ("Connection is closed.") ended a SIGTERMed server with exit code 1.
	const pub = redis.pub as unknown as {
		publish(channel: string, message: Buffer): Promise<number>;
	};
	const publish = pub.publish.bind(pub);
	pub.publish = (channel, message) =>
		publish(channel, message).catch((err: unknown) => {
			if (!closing) onError(err);
			return 0;
		});
	const internals = redis as unknown as Internals;
	const base = internals.getKey.bind(redis);
	// Each loaded document's channel, fixed when it loads; and every channel subscribed, with its
	// document (a document that unloads and loads again as a newer generation has two for a moment).
	const current = new Map<string, string>();
	const subscribed = new Map<string, string>();
	const channel = (documentName: string) => current.get(documentName) ?? base(documentName);
	internals.pubKey = channel;
	internals.subKey = channel;

	// Only a message on the channel of the copy loaded now reaches it.
	const handle = internals.handleIncomingMessage;
	redis.sub.removeListener('messageBuffer', handle);
	redis.sub.on('messageBuffer', (ch: Buffer, data: Buffer) => {
		const name = String(ch);
		const documentName = subscribed.get(name);
		if (documentName === undefined || current.get(documentName) !== name) return;
		// The extension's handler is async and its caller an event emitter: a message that fails
		// to apply would otherwise be an unhandled rejection, which ends the process.
		handle(ch, data).catch(onError);
	});

	const afterLoad = redis.afterLoadDocument.bind(redis);
	redis.afterLoadDocument = (payload) => {
		const generation = generationOf(payload.documentName) ?? 0;
		const name = base(payload.documentName);
		const ch = generation === 0 ? name : `${name}@g${generation}`;
		current.set(payload.documentName, ch);
		subscribed.set(ch, payload.documentName);
		return afterLoad(payload);
	};
	redis.afterUnloadDocument = async ({ documentName, instance }) => {
		// The extension skips this when the document has loaded again meanwhile; a channel of an
		// older copy must still go.
		const now = instance.documents.has(documentName) ? current.get(documentName) : undefined;
		for (const [ch, name] of subscribed) {
			if (name !== documentName || ch === now) continue;
			subscribed.delete(ch);
			// Never throws: at shutdown the connection may be gone already, and with it every
			// subscription (a rejection here ended a SIGTERMed server with exit code 1).
			await redis.sub.unsubscribe(ch).catch(() => {});
		}
		if (now === undefined) current.delete(documentName);
	};
	return redis;
}
