import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The Node entry (server/index.ts) wraps build/app/handler.js in its own http server,
		// so that HTTP, the /collab WebSocket endpoint and the job workers share one port and process.
		// SvelteKit's own origin check (on by default) covers form posts; hooks.server.ts extends
		// it to every non-GET request whatever its content type (src/lib/server/security/csrf.ts).
		adapter: adapter({ out: 'build/app', precompress: true }),
		// A tab left open across a deploy learns of it within a minute (`updated` from $app/state),
		// shows a banner asking for a reload, and its next navigation loads the new version.
		version: { pollInterval: 60_000 },
		// SvelteKit adds a nonce or hash for its own inline scripts. Styles allow inline for
		// Svelte's style: directives (attributes, not scripts). WebSockets are same-origin.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
