import type { NotificationFeed } from '../../../src/lib/notify/types';
import type { AppServer } from '../../support/app-server';

// Reads the bell's Server-Sent Events stream the way EventSource does: `event:`/`data:` lines,
// a blank line ends an event, `:` lines are comments (the heartbeat).
export async function openStream(app: AppServer, path: string, cookie: string) {
	const controller = new AbortController();
	const res = await app.fetch(path, {
		headers: { cookie, accept: 'text/event-stream' },
		signal: controller.signal
	});
	if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
	if (!res.headers.get('content-type')?.startsWith('text/event-stream'))
		throw new Error(`stream is ${res.headers.get('content-type')}`);
	const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
	const feeds: NotificationFeed[] = [];
	let buffer = '';
	let done = false;
	let wake: (() => void) | undefined;

	void (async () => {
		try {
			for (;;) {
				const chunk = await reader.read();
				if (chunk.done) break;
				buffer += chunk.value;
				let end: number;
				while ((end = buffer.indexOf('\n\n')) !== -1) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const lines = block.split('\n');
					const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
					const data = lines
						.filter((l) => l.startsWith('data: '))
						.map((l) => l.slice(6))
						.join('\n');
					if (event === 'feed') feeds.push(JSON.parse(data) as NotificationFeed);
				}
				wake?.();
			}
		} catch {
			// aborted by close()
		}
		done = true;
		wake?.();
	})();

	let read = 0;
	const waitFor = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});

	return {
		/** The next feed event (after those already returned) that satisfies `match`. */
		async next(match: (f: NotificationFeed) => boolean = () => true, ms = 10_000) {
			const deadline = Date.now() + ms;
			for (;;) {
				while (read < feeds.length) {
					const f = feeds[read++]!;
					if (match(f)) return f;
				}
				if (done) throw new Error('the stream ended');
				const left = deadline - Date.now();
				if (left <= 0) throw new Error(`no matching feed event in ${ms} ms`);
				await waitFor(left);
			}
		},
		/** Whether the server ends the stream within `ms`. */
		async ended(ms: number) {
			const deadline = Date.now() + ms;
			while (!done && Date.now() < deadline) await waitFor(deadline - Date.now());
			return done;
		},
		close() {
			controller.abort();
		}
	};
}
