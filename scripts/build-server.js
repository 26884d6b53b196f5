// Compiles the Node entry points in server/ to build/server/*.js (production runs JavaScript,
// not tsx). Packages stay external: they are installed by `npm ci`.
import { build } from 'esbuild';
import fs from 'node:fs';

const entries = ['index', 'admin', 'seed', 'bench'].filter((n) => fs.existsSync(`server/${n}.ts`));

await build({
	entryPoints: entries.map((n) => `server/${n}.ts`),
	outdir: 'build/server',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	tsconfig: 'server/tsconfig.json',
	sourcemap: true,
	logLevel: 'warning'
});
fs.writeFileSync('build/.stamp', new Date().toISOString() + '\n');
