import path from 'node:path';

// All configuration comes from the environment, read once at boot. The README lists every
// variable with its default.
export type Config = ReturnType<typeof readConfig>;

export function readConfig(env: NodeJS.ProcessEnv = process.env) {
	const port = int(env.PORT, 3000);
	const production = env.NODE_ENV === 'production';
	const origin = (env.ORIGIN ?? `http://localhost:${port}`).replace(/\/$/, '');
	return {
		production,
		port,
		host: env.HOST ?? '0.0.0.0',
		origin,
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: path.resolve(env.CHOT_DATA_DIR ?? '.data'),
		// Port of the embedded PostgreSQL (0: any free port).
		embeddedPgPort: int(env.CHOT_PG_PORT, 54329),
		redisUrl: env.REDIS_URL || undefined,
		roles: parseRoles(env.CHOT_ROLES),
		logLevel: env.LOG_LEVEL ?? (production ? 'info' : 'debug'),
		// `Secure` and the `__Host-` prefix need HTTPS, or localhost (which browsers treat as secure).
		secureCookies: bool(env.SECURE_COOKIES, production),
		resendApiKey: env.RESEND_API_KEY || undefined,
		resendBaseUrl: env.RESEND_BASE_URL || undefined,
		mailFrom: env.MAIL_FROM ?? 'Chốt <no-reply@chot.local>',
		// Seed the demo organisation into an empty embedded database (never into DATABASE_URL).
		seedDemo: bool(env.CHOT_SEED_DEMO, !env.DATABASE_URL),
		// Trust this many proxies' X-Forwarded-For entries for the client address (0: trust none).
		trustedProxies: int(env.TRUSTED_PROXIES, 0),
		// Largest file a user may attach to a deal (issue 4); also the HTTP body limit (server/index.ts).
		maxUploadBytes: int(env.CHOT_MAX_UPLOAD_MB, 25) * 1024 * 1024,
		// How often pg-boss looks for jobs whose worker died (a SIGKILLed process's active jobs are
		// retried once their expireInSeconds has passed and maintenance has seen it).
		jobsMaintenanceSeconds: int(env.CHOT_JOBS_MAINTENANCE_SECONDS, 30),
		// Per collab socket (server/collab/limits.extension.ts; why these defaults: docs/architecture.md).
		collabLimits: {
			maxMessageBytes: int(env.CHOT_COLLAB_MAX_MESSAGE_BYTES, 8 * 1024 * 1024),
			messagesPerSecond: int(env.CHOT_COLLAB_MESSAGES_PER_SECOND, 200),
			messageBurst: int(env.CHOT_COLLAB_MESSAGE_BURST, 1000),
			awarenessIntervalMs: int(env.CHOT_COLLAB_AWARENESS_INTERVAL_MS, 100)
		}
	};
}

export const processRoles = ['web', 'collab', 'worker'] as const;
export type ProcessRole = (typeof processRoles)[number];

function parseRoles(value: string | undefined): Set<ProcessRole> {
	if (!value) return new Set(processRoles);
	const roles = value.split(',').map((r) => r.trim());
	for (const r of roles) {
		if (!(processRoles as readonly string[]).includes(r))
			throw new Error(`Unknown role "${r}" (expected ${processRoles.join(', ')})`);
	}
	return new Set(roles as ProcessRole[]);
}

function int(value: string | undefined, fallback: number) {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new Error(`Expected a whole number, got "${value}"`);
	return n;
}

function bool(value: string | undefined, fallback: boolean) {
	if (value === undefined || value === '') return fallback;
	return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}
