// Fails when the schema in src/lib/server/db/schema has changes that no migration in drizzle/
// captures: generate, then ask git whether drizzle/ changed.
import { execFileSync } from 'node:child_process';

execFileSync('node_modules/.bin/drizzle-kit', ['generate'], {
	stdio: ['ignore', 'ignore', 'inherit']
});
const changed = execFileSync('git', ['status', '--porcelain', '--', 'drizzle'], {
	encoding: 'utf8'
});
if (changed.trim()) {
	console.error(
		'Migration drift: the schema has changes without a committed migration:\n' + changed
	);
	console.error('Run `npm run db:generate` and commit the new files in drizzle/.');
	process.exit(1);
}
console.log('No migration drift.');
