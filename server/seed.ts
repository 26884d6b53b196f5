import { readConfig } from '$lib/server/config';
import { createDb } from '$lib/server/db';
import { startEmbeddedPostgres } from '$lib/server/db/embedded';
import { runMigrations } from '$lib/server/db/migrate';
import { seedDemo, DEMO_PASSWORD } from './seed-demo';

// `npm run seed:demo`: seeds the demo organisation into DATABASE_URL (or the embedded database
// when the app is not running). Does nothing if the demo users already exist.
const config = readConfig();
const embedded = config.databaseUrl
	? undefined
	: await startEmbeddedPostgres({
			dataDir: `${config.dataDir}/pg`,
			port: config.embeddedPgPort || undefined
		});
const url = config.databaseUrl ?? embedded!.url;
try {
	await runMigrations({ url });
	const { db, client } = createDb({ url, max: 2 });
	const seeded = await seedDemo({ db });
	await client.end();
	console.log(
		seeded
			? `Seeded the demo organisation. Log in as lan@demo.chot.vn / ${DEMO_PASSWORD}.`
			: 'The demo organisation already exists; nothing to do.'
	);
} finally {
	await embedded?.stop();
}
