// `npm start`: builds when the sources are newer than the last build, then runs the compiled
// server in this same process (so SIGTERM and Ctrl-C reach it directly).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const sources = [
	'src',
	'server',
	'drizzle',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

function newest(p) {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
	return max;
}

const stamp = 'build/.stamp';
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (Math.max(...sources.map(newest)) > built) {
	// Build output goes to stderr, so what a command prints on stdout (bench figures) stays clean.
	console.error('Building Chốt (sources changed since the last build)…');
	const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 2, 2] });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!process.argv.includes('--no-serve')) {
	process.env.NODE_ENV ??= 'production';
	await import(path.resolve('build/server/index.js'));
}
