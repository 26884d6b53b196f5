// Rewrites `import { A, B } from '@lucide/svelte'` into one import per icon. The barrel pulls
// ~1,700 modules into every dev SSR request (a first page took ~1 min); per-icon paths load one.
import fs from 'node:fs';
import path from 'node:path';

const kebab = (name) =>
	name
		.replace(/Icon$/, '')
		.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
		.replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
		.replace(/([a-zA-Z])(\d)/g, '$1-$2')
		.toLowerCase();

function walk(dir) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p);
		else if (/\.(svelte|ts)$/.test(e.name)) rewrite(p);
	}
}

function rewrite(file) {
	const src = fs.readFileSync(file, 'utf8');
	const out = src.replace(/import\s*\{([^}]+)\}\s*from\s*'@lucide\/svelte';/g, (_, names) =>
		names
			.split(',')
			.map((n) => n.trim())
			.filter(Boolean)
			.map((n) => {
				const [imported, local = imported] = n.split(/\s+as\s+/);
				const file = kebab(imported);
				if (!fs.existsSync(`node_modules/@lucide/svelte/dist/icons/${file}.js`))
					throw new Error(`${file}: no icon file for ${imported}`);
				return `import ${local} from '@lucide/svelte/icons/${file}';`;
			})
			.join('\n')
	);
	if (out !== src) {
		fs.writeFileSync(file, out);
		console.log('rewrote', file);
	}
}

walk('src');
