import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import IORedis from 'ioredis';
import PgBoss from 'pg-boss';
import type { Config } from '$lib/server/config';
import { commissionsDueNow } from '$lib/server/commissions/enqueue';
import { createDb } from '$lib/server/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '$lib/server/db/embedded';
import { runMigrations } from '$lib/server/db/migrate';
import type { Logger } from '$lib/server/log';
import { setRuntime, type Runtime } from '$lib/server/runtime';
import { authExtension } from './collab/auth.extension';
import { createCollabWriter } from './collab/direct';
import { handoverExtension } from './collab/handover.extension';
import { limitsExtension } from './collab/limits.extension';
import { activitiesExtension } from './collab/activities.extension';
import { persistenceExtension } from './collab/persistence.extension';
import { projectionExtension } from './collab/projection.extension';
import { SocketRegistry } from './collab/sockets';
import { createUpgradeHandler } from './collab/upgrade';
import { seedDemoIfEmpty } from './seed-demo';
import { registerWorkers, createQueues } from './workers';
import * as compactDoc from './workers/jobs/compact-doc.job';

const USER_CHANNEL = 'chot_disconnect_user';

export type Backend = Awaited<ReturnType<typeof startBackend>>;

// Everything but the HTTP listener, in start order: PostgreSQL, migrations, pg-boss, collab.
// Shared by the production entry (server/index.ts) and the Vite dev plugin.
export async function startBackend({ config, log }: { config: Config; log: Logger }) {
	let embedded: EmbeddedPostgres | undefined;
	let databaseUrl = config.databaseUrl;
	if (!databaseUrl) {
		const started = performance.now();
		embedded = await startEmbeddedPostgres({
			dataDir: `${config.dataDir}/pg`,
			port: config.embeddedPgPort || undefined
		});
		databaseUrl = embedded.url;
		log.info({ ms: Math.round(performance.now() - started) }, 'embedded PostgreSQL started');
	}

	try {
		await runMigrations({ url: databaseUrl });
		const { db, client } = createDb({ url: databaseUrl });

		const boss = new PgBoss({ connectionString: databaseUrl, max: 4, schema: 'pgboss' });
		boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
		await boss.start();
		await createQueues(boss);

		const sockets = new SocketRegistry();
		let changeDoc: Runtime['changeDoc'] = () =>
			Promise.reject(new Error('the collab server is not started yet'));
		const rt: Runtime = {
			config,
			db,
			boss,
			log,
			counters: new Map(),
			changeDoc: (docName, fn) => changeDoc(docName, fn),
			async disconnectUser({ userId, reason }) {
				// Through PostgreSQL, so that every instance closes its own sockets of that user.
				await client.notify(USER_CHANNEL, JSON.stringify({ userId, reason }));
			}
		};
		setRuntime(rt);

		const listener = await client.listen(USER_CHANNEL, (payload) => {
			try {
				const { userId, reason } = JSON.parse(payload) as { userId: string; reason: string };
				const closed = sockets.closeUser(userId, { reason });
				if (closed) log.info({ userId, closed, reason }, 'closed collab sockets');
			} catch (err) {
				log.warn({ err, payload }, 'bad membership notification');
			}
		});

		if (config.roles.has('worker')) await registerWorkers({ boss, rt });

		const persistence = persistenceExtension({
			db,
			log,
			requestCompaction: (docName) => compactDoc.request(boss, { docName })
		});
		const limits = limitsExtension({ limits: config.collabLimits, counters: rt.counters, log });
		// Keeps the stages and deals tables in step with the board documents.
		const projection = projectionExtension({
			db,
			log,
			changeDoc: rt.changeDoc,
			// The month a win lands in is this one (C2); the nightly run covers anything missed.
			onCommissionsChanged: ({ orgId }) =>
				void commissionsDueNow(rt, { orgId }).catch((err) =>
					log.warn({ err, orgId }, 'could not enqueue a commission computation')
				)
		});
		// Carries late (offline) edits of a handed-over deal to its new owner's copy (SPEC B19).
		const handover = handoverExtension({ changeDoc: rt.changeDoc, log });
		// Keeps deal_activities in step with the deals' contact logs.
		const activities = activitiesExtension({ db, log });
		const extensions: Extension[] = [
			authExtension({ db }),
			persistence,
			limits,
			projection,
			handover,
			activities
		];
		// Scale-out: instances share live documents through Redis pub/sub.
		let redis: RedisExtension | undefined;
		if (config.redisUrl) {
			const url = config.redisUrl;
			redis = new RedisExtension({ createClient: () => new IORedis(url) });
			extensions.unshift(redis);
		}
		const hocuspocus = new Hocuspocus({ name: 'chot', quiet: true, extensions });
		const writer = createCollabWriter(hocuspocus, (entry) => persistence.append(entry));
		changeDoc = writer;
		const handleUpgrade = createUpgradeHandler({ rt, hocuspocus, sockets, limits });

		const notices = embedded && config.seedDemo ? await seedDemoIfEmpty({ db, log, config }) : [];

		async function health() {
			const checks = {
				database: await db
					.execute('select 1')
					.then(() => true)
					.catch(() => false),
				jobs: await boss
					.getQueue('send-mail')
					.then(() => true)
					.catch(() => false),
				collab: { connections: hocuspocus.getConnectionsCount(), sockets: sockets.size }
			};
			return { ok: checks.database && checks.jobs, checks };
		}

		async function stop() {
			// Collab first. Every acknowledged update is already in the log; close the sockets and
			// wait for log writes still in flight (unacknowledged ones fail harmlessly and are resent
			// by their clients) before the database goes away.
			hocuspocus.closeConnections();
			await writer.releaseAll();
			// Flush the projection first: its last writes into documents are logged by persistence.
			await handover.drain();
			await projection.drain();
			await activities.drain();
			await persistence.drain();
			await listener.unlisten().catch(() => {});
			await redis?.onDestroy().catch(() => {});
			// Let running jobs finish (they are idempotent, so a cut-off one would simply rerun).
			await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
			await client.end({ timeout: 5 });
			setRuntime(undefined);
			if (embedded) await embedded.stop();
		}

		return {
			rt,
			hocuspocus,
			handleUpgrade,
			health,
			stop,
			databaseUrl,
			notices,
			logStats: persistence.logStats
		};
	} catch (err) {
		if (embedded) await embedded.stop().catch(() => {});
		throw err;
	}
}
