import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// Reads the app's routes from the file system, the way SvelteKit does, so the guard spec sees
// every route the moment it is added. Anything it cannot understand throws instead of being
// skipped: an unreadable `actions` object or an unknown param matcher fails the spec.
const ROUTES_DIR = path.resolve('src/routes');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'fallback'] as const;

export type Route = {
	/** SvelteKit's route id, e.g. `/(app)/o/[orgId=id]/settings`. */
	id: string;
	/** The id without groups, e.g. `/o/[orgId=id]/settings`. */
	pattern: string;
	files: string[];
	/** Has a page (+page.svelte or +page.server.ts). */
	page: boolean;
	/** Form actions of +page.server.ts (`default` for the default action). */
	actions: string[];
	/** Methods exported by +server.ts. */
	methods: string[];
};

export function listRoutes(dir = ROUTES_DIR): Route[] {
	const routes: Route[] = [];
	const walk = (abs: string) => {
		const entries = fs.readdirSync(abs, { withFileTypes: true });
		const files = entries.filter((e) => e.isFile()).map((e) => e.name);
		const page = files.some(
			(f) => /^\+page(@.*)?\.svelte$/.test(f) || /^\+page\.server\.[jt]s$/.test(f)
		);
		const server = files.find((f) => /^\+server\.[jt]s$/.test(f));
		const pageServer = files.find((f) => /^\+page\.server\.[jt]s$/.test(f));
		if (page || server) {
			const id = '/' + path.relative(dir, abs).split(path.sep).filter(Boolean).join('/');
			routes.push({
				id: id === '/' ? '/' : id,
				pattern:
					'/' +
					id
						.split('/')
						.filter((s) => s && !/^\(.*\)$/.test(s))
						.join('/'),
				files: files.filter((f) => f.startsWith('+page') || f === server),
				page,
				actions: pageServer ? readActions(path.join(abs, pageServer)) : [],
				methods: server ? readExports(path.join(abs, server)).filter(isMethod) : []
			});
		}
		for (const e of entries) if (e.isDirectory()) walk(path.join(abs, e.name));
	};
	walk(dir);
	return routes.sort((a, b) => a.id.localeCompare(b.id));
}

function isMethod(name: string) {
	return (HTTP_METHODS as readonly string[]).includes(name);
}

function parse(file: string) {
	return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function isExported(node: ts.Node) {
	return (
		ts.canHaveModifiers(node) &&
		(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
	);
}

function readExports(file: string): string[] {
	const names: string[] = [];
	for (const st of parse(file).statements) {
		if (ts.isFunctionDeclaration(st) && isExported(st) && st.name) names.push(st.name.text);
		if (ts.isVariableStatement(st) && isExported(st)) {
			for (const d of st.declarationList.declarations) {
				if (ts.isIdentifier(d.name)) names.push(d.name.text);
			}
		}
		if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
			for (const el of st.exportClause.elements) names.push(el.name.text);
		}
	}
	return names;
}

function readActions(file: string): string[] {
	for (const st of parse(file).statements) {
		if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
			if (st.exportClause.elements.some((el) => el.name.text === 'actions')) {
				throw new Error(`${file}: re-exported actions cannot be read; declare them in place`);
			}
		}
		if (!ts.isVariableStatement(st) || !isExported(st)) continue;
		for (const d of st.declarationList.declarations) {
			if (!ts.isIdentifier(d.name) || d.name.text !== 'actions') continue;
			let init = d.initializer;
			while (
				init &&
				(ts.isSatisfiesExpression(init) ||
					ts.isAsExpression(init) ||
					ts.isParenthesizedExpression(init))
			) {
				init = init.expression;
			}
			if (!init || !ts.isObjectLiteralExpression(init)) {
				throw new Error(`${file}: \`actions\` is not an object literal the guard spec can read`);
			}
			return init.properties.map((p) => {
				if (ts.isSpreadAssignment(p) || !p.name || ts.isComputedPropertyName(p.name)) {
					throw new Error(`${file}: an action name the guard spec cannot read`);
				}
				return p.name.getText().replace(/^['"]|['"]$/g, '');
			});
		}
	}
	return [];
}

/**
 * Every concrete URL of a route pattern: `values` gives a list of samples per param name or
 * matcher (`byName['*']` for plain params); a matcher without samples is an error.
 */
export function urlsFor(
	pattern: string,
	values: { byName: Record<string, string[]>; byMatcher: Record<string, string[]> }
): string[] {
	let urls = [''];
	for (const segment of pattern.split('/').filter(Boolean)) {
		// Optional params are left out: the shorter URL is the same route.
		const optionalOnly = /^\[\[[^\]]+\]\]$/.test(segment);
		if (optionalOnly) continue;
		const params = [...segment.matchAll(/\[(\.\.\.)?([A-Za-z_]\w*)(?:=(\w+))?\]/g)];
		let options = [segment];
		for (const [whole, rest, name, matcher] of params) {
			// A sample for the param's name wins over its matcher's (e.g. orgId over any id).
			const samples =
				values.byName[name!] ??
				(matcher ? values.byMatcher[matcher] : rest ? ['sample/path'] : values.byName['*']);
			if (!samples) throw new Error(`no sample value for [${name}${matcher ? `=${matcher}` : ''}]`);
			options = options.flatMap((o) => samples.map((s) => o.replace(whole, s)));
		}
		urls = urls.flatMap((u) => options.map((o) => `${u}/${o}`));
	}
	return urls.map((u) => u || '/');
}
