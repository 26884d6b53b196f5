import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A database or an open transaction: repo verbs accept either. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export function createDb({
	url,
	max = 10,
	name = 'chot'
}: {
	url: string;
	max?: number;
	/** `application_name`, as `pg_stat_activity` shows the connections. */
	name?: string;
}) {
	const client = postgres(url, {
		max,
		// Notices (e.g. "extension already exists") are noise in the app's log.
		onnotice: () => {},
		connection: { application_name: name }
	});
	const db = drizzle(client, { schema, casing: 'snake_case' });
	return { db, client };
}
