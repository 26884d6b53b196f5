import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';
import postgres from 'postgres';

// Migrations run on their own single connection, so a failed migration cannot leave the
// app's pool in a half-migrated session state.
export async function runMigrations({
	url,
	folder = path.resolve(process.env.CHOT_ROOT ?? process.cwd(), 'drizzle')
}: {
	url: string;
	folder?: string;
}) {
	const client = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await migrate(drizzle(client), { migrationsFolder: folder });
	} finally {
		await client.end();
	}
}
