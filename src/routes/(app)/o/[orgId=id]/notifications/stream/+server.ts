import { requireMember } from '$lib/server/auth/guards';
import * as notes from '$lib/server/notify/notifications.repo';
import { count, runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The bell's live feed as Server-Sent Events: the unread count and the latest notifications on
// connect, and again whenever one of the user's notifications is added or changes on any
// instance (a trigger NOTIFYs; runtime().watchNotifications listens). The browser's EventSource
// reconnects by itself after a network failure.

/** Changes in a burst (a fan-out run writes many rows) are sent once. */
const DEBOUNCE_MS = 100;
/** A comment line now and then keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** How long the browser waits before reconnecting after the stream drops. */
const RETRY_MS = 3_000;

export const GET: RequestHandler = async (event) => {
	const { user, org, session } = await requireMember(event);
	const rt = runtime();
	const owner = { userId: user.id, orgId: org.id };
	const encoder = new TextEncoder();

	let cleanup = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			let closed = false;
			let timer: ReturnType<typeof setTimeout> | undefined;
			let running: Promise<void> | undefined;
			let again = false;
			let last = '';

			const write = (text: string) => {
				if (closed) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					cleanup();
				}
			};

			const push = async () => {
				// The session or the membership may have ended since the stream opened.
				if (!(await notes.streamAllowed(rt.db, { ...owner, sessionId: session.id }))) {
					cleanup();
					return;
				}
				const data = JSON.stringify(await notes.feed(rt.db, owner));
				// A change in another organisation wakes this stream too; nothing new to say then.
				if (data === last) return;
				last = data;
				write(`event: feed\ndata: ${data}\n\n`);
			};

			// One query at a time; a change arriving meanwhile asks for one more run after it.
			const run = () => {
				if (closed) return;
				if (running) {
					again = true;
					return;
				}
				running = push()
					.catch((err: unknown) => rt.log.warn({ err }, 'notification stream could not read'))
					.finally(() => {
						running = undefined;
						if (again) {
							again = false;
							run();
						}
					});
			};
			const schedule = () => {
				timer ??= setTimeout(() => {
					timer = undefined;
					run();
				}, DEBOUNCE_MS);
			};

			const unwatch = rt.watchNotifications(user.id, schedule);
			// Open streams, at /metrics: a leak (a stream never cleaned up) shows as a count that
			// only grows.
			count('notify_streams_open');
			const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
			cleanup = () => {
				if (closed) return;
				closed = true;
				unwatch();
				count('notify_streams_open', -1);
				clearInterval(heartbeat);
				clearTimeout(timer);
				event.request.signal.removeEventListener('abort', cleanup);
				try {
					controller.close();
				} catch {
					// already closed by the reader
				}
			};
			event.request.signal.addEventListener('abort', cleanup);

			write(`retry: ${RETRY_MS}\n\n`);
			run();
		},
		cancel() {
			// The browser went away (adapter-node cancels the body when the socket closes).
			cleanup();
		}
	});

	return new Response(body, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'private, no-store, no-transform',
			// nginx would otherwise hold the events in its buffer.
			'x-accel-buffering': 'no'
		}
	});
};
