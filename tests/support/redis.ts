import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../src/lib/server/net';

// Specs that need Redis use REDIS_URL, else a Redis on 127.0.0.1:6379, else start
// `redis-server` on a free port. Without any of them they fail and say why (never skip).
export async function useRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
	const candidates = [process.env.REDIS_URL, 'redis://127.0.0.1:6379'].filter(Boolean) as string[];
	for (const url of candidates) if (await reachable(url)) return { url, stop: async () => {} };

	if (spawnSync('redis-server', ['--version']).status !== 0) {
		throw new Error(
			'This spec needs Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server.'
		);
	}
	const port = await freePort();
	const child = spawn(
		'redis-server',
		['--port', String(port), '--save', '', '--appendonly', 'no'],
		{
			stdio: 'ignore'
		}
	);
	const url = `redis://127.0.0.1:${port}`;
	for (let i = 0; i < 50 && !(await reachable(url)); i++)
		await new Promise((r) => setTimeout(r, 100));
	return {
		url,
		stop: async () => {
			child.kill('SIGTERM');
		}
	};
}

function reachable(url: string) {
	const { hostname, port } = new URL(url);
	return new Promise<boolean>((resolve) => {
		const s = net.connect({ host: hostname, port: Number(port || 6379) });
		s.setTimeout(500);
		s.once('connect', () => {
			s.write('PING\r\n');
		});
		s.once('data', (d) => {
			s.destroy();
			resolve(String(d).startsWith('+PONG'));
		});
		s.once('error', () => resolve(false));
		s.once('timeout', () => {
			s.destroy();
			resolve(false);
		});
	});
}
