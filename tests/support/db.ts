import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import { createDb } from '../../src/lib/server/db';
import { TEMPLATE_DB, withDatabase } from './global-setup';

/**
 * A fresh, migrated database for one test file, dropped when the file ends.
 * Call at the top level of a spec: `const { db, url } = await testDb();`
 */
export async function testDb() {
	const serverUrl = inject('databaseUrl');
	const name = `chot_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
	const url = withDatabase(serverUrl, name);
	const { db, client } = createDb({ url, max: 5 });
	afterAll(async () => {
		await client.end({ timeout: 5 });
		await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	});
	return { db, client, url, name };
}
