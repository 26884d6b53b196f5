import type { Config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import type { Logger } from '$lib/server/log';

export async function seedDemoIfEmpty(_: { db: Db; log: Logger; config: Config }) {
	return [] as string[];
}
