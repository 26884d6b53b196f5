import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { readConfig } from '$lib/server/config';
import { createLogger } from '$lib/server/log';
import { startBackend } from './backend';
import { createHttpServer } from './http';

// `npm start`: one process serving HTTP, the collab WebSocket endpoint and the job workers.
// Start order: PostgreSQL → migrations → pg-boss → collab → HTTP. Shutdown runs it backwards, so
// nothing acknowledged is lost: stop accepting, store documents, drain jobs, close the database.
const config = readConfig();
const log = createLogger({ level: config.logLevel });

const started = performance.now();
const backend = await startBackend({ config, log }).catch((err: unknown) => {
	log.fatal({ err }, 'could not start');
	// Also on stderr: whoever started the process may discard its stdout (Playwright's web
	// server in CI does), and a failed start must still say why.
	process.stderr.write(`chot: could not start: ${inspect(err)}\n`);
	process.exit(1);
});

// adapter-node reads these when its handler module loads.
process.env.ORIGIN ??= config.origin;
// File uploads stream up to CHOT_MAX_UPLOAD_MB through SvelteKit (the upload route counts the
// bytes itself and stops at the limit); adapter-node's default of 512 KiB would refuse them.
process.env.BODY_SIZE_LIMIT ??= String(config.maxUploadBytes);
if (config.trustedProxies > 0) {
	process.env.XFF_DEPTH ??= String(config.trustedProxies);
	process.env.ADDRESS_HEADER ??= 'x-forwarded-for';
}
const handlerUrl = pathToFileURL(path.resolve(import.meta.dirname, '../app/handler.js')).href;
const { handler } = (await import(handlerUrl)) as {
	handler: Parameters<typeof createHttpServer>[0]['handler'];
};

const server = createHttpServer({ backend, handler });
server.listen(config.port, config.host, () => {
	log.info(
		{ port: config.port, roles: [...config.roles], ms: Math.round(performance.now() - started) },
		'Chốt is listening'
	);
	console.log(`\n  Chốt đang chạy tại / is running at ${config.origin}/login\n`);
	if (backend.notices.length) console.log(backend.notices.join('\n') + '\n');
});

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, 'shutting down');
	const force = setTimeout(() => {
		log.error('shutdown took too long; exiting');
		process.exit(1);
	}, 30_000);
	force.unref();
	server.close();
	server.closeIdleConnections();
	try {
		await backend.stop();
	} catch (err) {
		log.error({ err }, 'error during shutdown');
		process.exitCode = 1;
	}
	server.closeAllConnections();
	log.info('stopped');
	process.exit();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
