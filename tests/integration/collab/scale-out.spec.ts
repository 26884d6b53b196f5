import { afterAll, expect, it } from 'vitest';
import * as session from '../../../src/lib/server/auth/session';
import { startApp } from '../../support/app-server';
import { connect } from '../../support/collab-client';
import { createOrg, createUser } from '../../support/factories';
import { useRedis } from '../../support/redis';

const redis = await useRedis();
// Document names carry fresh UUIDs, so parallel runs on one shared Redis never meet.
const env = { REDIS_URL: redis.url };
const a = await startApp({ env });
const b = await startApp({ env, databaseUrl: a.databaseUrl });
afterAll(async () => {
	await b.stop();
	await a.stop();
	await redis.stop();
});

it('shares a live document between two instances through Redis', async () => {
	const owner = await createUser(a.db);
	const org = await createOrg(a.db, { ownerId: owner.id });
	const { token } = await session.create(a.db, { userId: owner.id });
	const cookie = `__Host-chot_session=${token}`;
	const onA = connect({ origin: a.origin, documentName: `org:${org.id}`, cookie });
	// Instance B checks Origin against its own ORIGIN, as a load balancer's single origin would be.
	const onB = connect({ origin: b.origin, documentName: `org:${org.id}`, cookie });
	await Promise.all([onA.synced, onB.synced]);
	const seen = new Promise<unknown>((resolve) =>
		onB.doc.getMap('settings').observe(() => resolve(onB.doc.getMap('settings').get('from')))
	);
	onA.doc.getMap('settings').set('from', 'instance A');
	expect(await seen).toBe('instance A');
	onA.destroy();
	onB.destroy();
});
