import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig, type Plugin } from 'vite';

// `npm run dev`: the same backend as production (database, migrations, jobs, collab) started
// inside the Vite dev server, with the /collab upgrade routed to Hocuspocus. Other upgrades are
// left alone: Vite's HMR uses them.
function chotBackend(): Plugin {
	return {
		name: 'chot-backend',
		apply: 'serve',
		async configureServer(server) {
			// Loaded through Vite so that `$lib` imports resolve as they do in the app.
			const { readConfig } = (await server.ssrLoadModule(
				'/src/lib/server/config.ts'
			)) as typeof import('./src/lib/server/config');
			const { createLogger } = (await server.ssrLoadModule(
				'/src/lib/server/log.ts'
			)) as typeof import('./src/lib/server/log');
			const { startBackend } = (await server.ssrLoadModule(
				'/server/backend.ts'
			)) as typeof import('./server/backend');
			const port = server.config.server.port ?? 5173;
			const config = readConfig({
				...process.env,
				ORIGIN: process.env.ORIGIN ?? `http://localhost:${port}`
			});
			const backend = await startBackend({ config, log: createLogger({ level: config.logLevel }) });
			if (backend.notices.length) console.log(backend.notices.join('\n'));
			server.httpServer?.on('upgrade', (req, socket, head) => {
				if ((req.url ?? '').split('?')[0] === '/collab')
					void backend.handleUpgrade(req, socket, head);
			});
			server.middlewares.use('/healthz', (_req, res) => {
				void backend.health().then((report) => {
					res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
					res.end(JSON.stringify(report));
				});
			});
			server.httpServer?.on('close', () => void backend.stop());
		}
	};
}

export default defineConfig({
	plugins: [tailwindcss(), sveltekit(), chotBackend()],
	server: { port: 5173, strictPort: false }
});
