/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

// Offline (issue 3): a board visited once opens with no network, even after a reload. The app's
// own files are cached at install (they are immutable per version); pages and their data are
// fetched from the network first and the last good copy is kept for when there is none. The
// documents themselves come from IndexedDB (y-indexeddb), not from here. Logging out clears
// everything (`Clear-Site-Data` on /logout, and the page asks this worker too).

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS = `chot-assets-${version}`;
const PAGES = 'chot-pages';
const assets = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(ASSETS)
			.then((cache) => cache.addAll([...assets]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(keys.filter((k) => k !== ASSETS && k !== PAGES).map((k) => caches.delete(k)))
			)
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type === 'clear') {
		event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
	}
});

// Only what belongs to the logged-in app is kept: pages under /o/ and their data.
const keepable = (url: URL) => url.pathname.startsWith('/o/');

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (assets.has(url.pathname)) {
		event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (!keepable(url)) return;
	// The bell's live stream never ends: nothing to keep, and the page talks to it directly.
	if (request.headers.get('accept') === 'text/event-stream') return;
	event.respondWith(networkFirst(event));
});

async function networkFirst(event: FetchEvent): Promise<Response> {
	const { request } = event;
	try {
		const response = await fetch(request);
		// Only complete, successful pages: never a redirect to /login or an error page, nor what
		// the server marks no-store (search results as you type: offline, search reads the boards).
		const noStore = /no-store/.test(response.headers.get('cache-control') ?? '');
		if (response.status === 200 && response.type === 'basic' && !noStore) {
			// Kept in the background: the page gets its response at once, not after the copy is
			// written (that wait delayed every page, a big board's first screen included).
			const copy = response.clone();
			event.waitUntil(caches.open(PAGES).then((cache) => cache.put(request, copy)));
		}
		return response;
	} catch (err) {
		const hit = await caches.match(request, { cacheName: PAGES });
		if (hit) return hit;
		throw err;
	}
}
