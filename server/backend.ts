import { Hocuspocus, type Extension } from '@hocuspocus/server';
import PgBoss from 'pg-boss';
import type { Config } from '$lib/server/config';
import { commissionsDueNow } from '$lib/server/commissions/enqueue';
import { createDb } from '$lib/server/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '$lib/server/db/embedded';
import { runMigrations } from '$lib/server/db/migrate';
import type { Logger } from '$lib/server/log';
import { queues } from '$lib/server/jobs';
import { setRuntime, type Runtime } from '$lib/server/runtime';
import { authExtension } from './collab/auth.extension';
import { createCollabWriter } from './collab/direct';
import { handoverExtension } from './collab/handover.extension';
import { limitsExtension } from './collab/limits.extension';
import { activitiesExtension } from './collab/activities.extension';
import { lastContactExtension } from './collab/last-contact.extension';
import { persistenceExtension } from './collab/persistence.extension';
import { projectionExtension } from './collab/projection.extension';
import { redisRelay } from './collab/relay';
import { SocketRegistry } from './collab/sockets';
import { createUpgradeHandler } from './collab/upgrade';
import { seedDemoIfEmpty } from './seed-demo';
import { registerWorkers, createQueues } from './workers';
import * as compactDoc from './workers/jobs/compact-doc.job';

const USER_CHANNEL = 'chot_disconnect_user';
const NOTIFICATION_CHANNEL = 'chot_notification';
const DEAL_CHANGE_CHANNEL = 'chot_deal_change';

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
		// The update log has connections of its own: an edit is acknowledged only once its row is
		// committed, so that wait must not include queueing for a connection behind page loads and
		// projection flushes (it did: fan-out p99 0.5 s → 0.14 s in the board bench). Four, as the
		// log writer runs at most four inserts at once (log.ts).
		const logPool = createDb({ url: databaseUrl, max: 4, name: 'chot-collab-log' });

		const boss = new PgBoss({
			connectionString: databaseUrl,
			max: 4,
			schema: 'pgboss',
			maintenanceIntervalSeconds: config.jobsMaintenanceSeconds
		});
		boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
		await boss.start();
		await createQueues(boss);

		const sockets = new SocketRegistry();
		// Open pages waiting for a user's notifications (the bell's live stream), on this instance.
		const watchers = new Map<string, Set<() => void>>();
		let changeDoc: Runtime['changeDoc'] = () =>
			Promise.reject(new Error('the collab server is not started yet'));
		const rt: Runtime = {
			config,
			db,
			boss,
			log,
			counters: new Map(),
			changeDoc: (docName, fn) => changeDoc(docName, fn),
			watchNotifications(userId, onChange) {
				const set = watchers.get(userId) ?? new Set();
				set.add(onChange);
				watchers.set(userId, set);
				return () => {
					set.delete(onChange);
					if (set.size === 0 && watchers.get(userId) === set) watchers.delete(userId);
				};
			},
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

		// The triggers of migration 0024 NOTIFY on every new or changed notification (payload: the
		// user id) and on every deal change; each instance wakes its own listeners.
		const notificationListener = await client.listen(NOTIFICATION_CHANNEL, (userId) => {
			for (const fn of watchers.get(userId) ?? []) fn();
		});
		let changeListener: Awaited<ReturnType<typeof client.listen>> | undefined;
		if (config.roles.has('worker')) {
			await registerWorkers({ boss, rt, collab: config.roles.has('collab') });
			// A burst of changes (a board drag, a sync of offline edits) is one fan-out run.
			let pending: NodeJS.Timeout | undefined;
			changeListener = await client.listen(DEAL_CHANGE_CHANNEL, () => {
				pending ??= setTimeout(() => {
					pending = undefined;
					boss
						.send(queues.fanOutChanges, {})
						.catch((err: unknown) => log.warn({ err }, 'could not request a fan-out'));
				}, 200);
			});
		}

		const persistence = persistenceExtension({
			db,
			logDb: logPool.db,
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
		// Keeps deal_activities and tasks in step with the deals' contact logs and tasks.
		const activities = activitiesExtension({ db, log });
		// Copies each deal's last contact into its card, for the board's idle flag (SPEC B22).
		const lastContact = lastContactExtension({ db, log, changeDoc: rt.changeDoc });
		const extensions: Extension[] = [
			authExtension({ db }),
			persistence,
			limits,
			projection,
			handover,
			activities,
			lastContact
		];
		// Scale-out: instances share live documents through Redis pub/sub (relay.ts).
		let redis: ReturnType<typeof redisRelay> | undefined;
		if (config.redisUrl) {
			redis = redisRelay({
				url: config.redisUrl,
				generationOf: persistence.generationOf,
				onError: (err) => log.warn({ err }, 'a collab relay message was lost')
			});
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
			await lastContact.drain();
			await persistence.drain();
			await persistence.close();
			await logPool.client.end({ timeout: 5 });
			await listener.unlisten().catch(() => {});
			await notificationListener.unlisten().catch(() => {});
			await changeListener?.unlisten().catch(() => {});
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
			logStats: persistence.logStats,
			projectionStats: () => projection.stats()
		};
	} catch (err) {
		if (embedded) await embedded.stop().catch(() => {});
		throw err;
	}
}
