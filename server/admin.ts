import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readConfig, type Config } from '$lib/server/config';
import { createDb, type Db } from '$lib/server/db';
import { planCodes, type PlanCode } from '$lib/server/db/schema';
import { startEmbeddedPostgres } from '$lib/server/db/embedded';
import { runMigrations } from '$lib/server/db/migrate';
import * as planOps from '$lib/server/orgs/plans.repo';
import type { Limits } from '$lib/server/orgs/plans.repo';
import { rebuild as rebuildProjections } from '$lib/server/projection/rebuild';

// `npm run admin -- <command>`: the operator's commands for plans and limits, which an
// organisation cannot change itself. Exit codes: 0 done, 1 failed, 2 wrong usage.

export const USAGE = `Usage: npm run admin -- <command>

Commands:
  orgs                                   List organisations: id, name, plan, seats, trial end
  plan <orgId> goi1|goi3|goi4            Move to a plan with its standard limits (ends a trial)
  limits <orgId> [--seats N|unlimited] [--records N|unlimited] [--units N|unlimited]
                                         Set custom limits of a Gói 4 organisation
  trial <orgId> --days N                 Make the trial end N days from now (0 ends it now)
  rebuild-projections                    Recompute the stages and deals tables from the stored
                                         board documents (also: npm run projections:rebuild)
  help                                   Show this text

Database: DATABASE_URL, else the embedded PostgreSQL in CHOT_DATA_DIR (default .data). When
the app is running on it, the command connects to that server instead of starting another.`;

export type Command =
	| { kind: 'help' }
	| { kind: 'orgs' }
	| { kind: 'plan'; orgId: string; plan: PlanCode }
	| { kind: 'limits'; orgId: string; limits: Limits }
	| { kind: 'trial'; orgId: string; days: number }
	| { kind: 'rebuild-projections' };

/** Wrong usage: the message is printed with the usage text, exit code 2. */
export class UsageError extends Error {}
/** The command could not be done (unknown organisation, wrong plan): exit code 1. */
export class CommandError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parse(argv: readonly string[]): Command {
	const [name, ...rest] = argv;
	switch (name) {
		case undefined:
		case 'help':
		case '--help':
		case '-h':
			return { kind: 'help' };
		case 'orgs':
			expectNoMore(rest, 0, 'orgs');
			return { kind: 'orgs' };
		case 'plan': {
			const [orgId, plan] = positional(rest, 2, 'plan <orgId> goi1|goi3|goi4');
			if (!(planCodes as readonly string[]).includes(plan!)) {
				throw new UsageError(`Unknown plan "${plan}" (expected ${planCodes.join(', ')}).`);
			}
			return { kind: 'plan', orgId: orgId!, plan: plan as PlanCode };
		}
		case 'limits': {
			const [orgId] = positional(rest.slice(0, 1), 1, 'limits <orgId> --seats N …');
			const flags = parseFlags(rest.slice(1), ['seats', 'records', 'units']);
			const limits: Limits = {};
			if (flags.seats !== undefined) limits.maxSeats = limit(flags.seats, 'seats', 1);
			if (flags.records !== undefined) {
				limits.maxRecordsPerMonth = limit(flags.records, 'records', 0);
			}
			if (flags.units !== undefined) limits.maxUnits = limit(flags.units, 'units', 1);
			if (Object.keys(limits).length === 0) {
				throw new UsageError('limits needs at least one of --seats, --records, --units.');
			}
			return { kind: 'limits', orgId: orgId!, limits };
		}
		case 'trial': {
			const [orgId] = positional(rest.slice(0, 1), 1, 'trial <orgId> --days N');
			const flags = parseFlags(rest.slice(1), ['days']);
			if (flags.days === undefined) throw new UsageError('trial needs --days N.');
			const days = wholeNumber(flags.days, 'days', 0);
			if (days > 3650) throw new UsageError('--days must be at most 3650.');
			return { kind: 'trial', orgId: orgId!, days };
		}
		case 'rebuild-projections':
			expectNoMore(rest, 0, 'rebuild-projections');
			return { kind: 'rebuild-projections' };
		default:
			throw new UsageError(`Unknown command "${name}".`);
	}
}

function positional(args: readonly string[], n: number, shape: string) {
	if (args.length !== n || args.some((a) => a.startsWith('--'))) {
		throw new UsageError(`Expected: ${shape}`);
	}
	if (!UUID.test(args[0]!)) throw new UsageError(`"${args[0]}" is not an organisation id.`);
	return args;
}

function expectNoMore(args: readonly string[], n: number, command: string) {
	if (args.length > n) throw new UsageError(`${command} takes no arguments.`);
}

// `--name value` or `--name=value`; each flag at most once.
function parseFlags<K extends string>(args: readonly string[], known: readonly K[]) {
	const out: Partial<Record<K, string>> = {};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument "${arg}".`);
		const [rawName, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
		if (!(known as readonly string[]).includes(rawName)) {
			throw new UsageError(`Unknown option --${rawName}.`);
		}
		const name = rawName as K;
		if (out[name] !== undefined) throw new UsageError(`--${name} given twice.`);
		const value = inline ?? args[++i];
		if (value === undefined || value.startsWith('--')) {
			throw new UsageError(`--${name} needs a value.`);
		}
		out[name] = value;
	}
	return out;
}

function limit(value: string, name: string, min: number): number | null {
	if (value === 'unlimited') return null;
	return wholeNumber(value, name, min);
}

function wholeNumber(value: string, name: string, min: number) {
	if (!/^\d{1,9}$/.test(value) || Number(value) < min) {
		throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${value}".`);
	}
	return Number(value);
}

/** Runs a parsed command, writing its report through `print`. */
export async function run(
	db: Db,
	command: Command,
	{ now = new Date(), print = console.log }: { now?: Date; print?: (line: string) => void } = {}
) {
	switch (command.kind) {
		case 'help':
			print(USAGE);
			return;
		case 'orgs': {
			const rows = await planOps.summaries(db, { now });
			if (rows.length === 0) {
				print('No organisations yet.');
				return;
			}
			const table = rows.map((r) => [
				r.id,
				r.name,
				r.plan,
				`${r.members + r.pending}/${r.maxSeats ?? '∞'}`,
				trialText(r.trialEndsAt, now)
			]);
			printTable([['ID', 'NAME', 'PLAN', 'SEATS', 'TRIAL ENDS'], ...table], print);
			return;
		}
		case 'plan': {
			const org = await planOps.setPlan(db, { orgId: command.orgId, plan: command.plan });
			if (!org) throw notFound(command.orgId);
			print(`${org.name}: plan ${org.plan}, ${limitsText(org)}; no trial.`);
			return;
		}
		case 'limits': {
			const current = await db.query.organisations.findFirst({
				where: (o, { eq }) => eq(o.id, command.orgId),
				columns: { plan: true }
			});
			if (!current) throw notFound(command.orgId);
			if (current.plan !== 'goi4') {
				throw new CommandError(
					`Custom limits are for goi4 only; this organisation is on ${current.plan}. Run \`plan ${command.orgId} goi4\` first.`
				);
			}
			const org = await planOps.setLimits(db, { orgId: command.orgId, limits: command.limits });
			print(`${org!.name}: ${limitsText(org!)}.`);
			return;
		}
		case 'trial': {
			const org = await planOps.setTrial(db, {
				orgId: command.orgId,
				days: command.days,
				now
			});
			if (!org) throw notFound(command.orgId);
			print(`${org.name}: trial ${trialText(org.trialEndsAt, now)}.`);
			return;
		}
		case 'rebuild-projections': {
			const counts = await rebuildProjections(db);
			const n = (c: { inserted: number; updated: number; deleted: number }) =>
				`${c.inserted} inserted, ${c.updated} updated, ${c.deleted} deleted`;
			print(`Rebuilt the projections of ${counts.pipelines} pipelines.`);
			print(`stages: ${n(counts.stages)}`);
			print(`deals: ${n(counts.deals)}`);
			return;
		}
	}
}

function notFound(orgId: string) {
	return new CommandError(`No organisation with id ${orgId}.`);
}

function limitsText(org: {
	maxSeats: number | null;
	maxRecordsPerMonth: number | null;
	maxUnits: number | null;
}) {
	const n = (v: number | null) => (v === null ? 'unlimited' : String(v));
	return `seats ${n(org.maxSeats)}, records/month ${n(org.maxRecordsPerMonth)}, units ${n(org.maxUnits)}`;
}

function trialText(endsAt: Date | null, now: Date) {
	if (!endsAt) return '-';
	const when = endsAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
	if (endsAt.getTime() <= now.getTime()) return `ended ${when}`;
	const days = Math.ceil((endsAt.getTime() - now.getTime()) / 86_400_000);
	return `ends ${when} (${days} day${days === 1 ? '' : 's'} left)`;
}

function printTable(rows: string[][], print: (line: string) => void) {
	const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
	for (const r of rows) {
		print(
			r
				.map((cell, i) =>
					i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length)
				)
				.join('  ')
		);
	}
}

/**
 * The embedded server already running on `dataDir` (the app is up), read from postmaster.pid:
 * a second server on the same directory would be refused, and stopping it would stop the app's.
 */
export function runningPostmaster(dataDir: string): { pid: number; port: number | null } | null {
	const pidFile = path.join(dataDir, 'postmaster.pid');
	if (!fs.existsSync(pidFile)) return null;
	const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
	const pid = Number(lines[0]);
	if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
	// Line 4 of postmaster.pid is the port the server listens on.
	const port = Number(lines[3]);
	return { pid, port: Number.isInteger(port) && port > 0 ? port : null };
}

function isAlive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		// EPERM: alive, but owned by another user (the `postgres` user when run as root).
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function connect(config: Config) {
	if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
	const dataDir = `${config.dataDir}/pg`;
	const running = runningPostmaster(dataDir);
	if (running) {
		const port = running.port ?? config.embeddedPgPort;
		return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: async () => {} };
	}
	const embedded = await startEmbeddedPostgres({
		dataDir,
		port: config.embeddedPgPort || undefined
	});
	return { url: embedded.url, stop: () => embedded.stop() };
}

export async function main(argv: readonly string[]): Promise<number> {
	let command: Command;
	try {
		command = parse(argv);
	} catch (err) {
		if (!(err instanceof UsageError)) throw err;
		console.error(`${err.message}\n\n${USAGE}`);
		return 2;
	}
	if (command.kind === 'help') {
		console.log(USAGE);
		return 0;
	}
	let connection: Awaited<ReturnType<typeof connect>> | undefined;
	try {
		connection = await connect(readConfig());
		await runMigrations({ url: connection.url });
		const { db, client } = createDb({ url: connection.url, max: 2 });
		try {
			await run(db, command);
			return 0;
		} finally {
			await client.end({ timeout: 5 });
		}
	} catch (err) {
		console.error(err instanceof CommandError ? err.message : `Failed: ${String(err)}`);
		return 1;
	} finally {
		await connection?.stop();
	}
}

// Run only as the entry point (build/server/admin.js), not when a spec imports this file.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	process.exitCode = await main(process.argv.slice(2));
}
