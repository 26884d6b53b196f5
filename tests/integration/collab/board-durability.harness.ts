import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardViolations } from '../../../src/lib/board/testing/invariants';
import { Prng } from '../../../src/lib/board/testing/prng';
import * as session from '../../../src/lib/server/auth/session';
import * as collabLog from '../../../src/lib/server/collab/log';
import { pipelines } from '../../../src/lib/server/db/schema';
import { createDefault } from '../../../src/lib/server/pipelines/pipelines.repo';
import { startApp } from '../../support/app-server';
import {
	boardDocNames,
	canonicalState,
	content,
	holds,
	indexState,
	lacking,
	live,
	openBoardClient,
	randomStep,
	sameBytes,
	settled,
	type Board,
	type BoardClient,
	type BoardUser,
	type Replica
} from '../../support/board-clients';
import { connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';
import { useRedis } from '../../support/redis';

// Issue 3, "Durability": provider clients make random named operations on live boards while the
// server is SIGKILLed and restarted; then a SIGTERM with edits in flight. Everything is checked
// against PostgreSQL directly (snapshot + log, as the server loads it), never through the server.
// What "acknowledged" means exactly is explained in tests/support/board-clients.ts.
//
// BOARD_DURABILITY_CLIENTS (16), _KILLS (10), _BOARDS (4), _SEED, _PACE_MS (mean ms between one
// client's ops, 40), _INSTANCES (as the spec asks); _SERVER_ENTRY runs another build's server (to
// see the test fail on one). With several instances they share one database and Redis, clients
// are spread over them, and only the first is killed and restarted.

const envInt = (name: string, fallback: number) => {
	const v = Number(process.env[`BOARD_DURABILITY_${name}`]);
	return Number.isInteger(v) && v > 0 ? v : fallback;
};

/**
 * Where a stored document waits for structs it never got: the first missing clock of each client
 * its pending updates need, and each deletion of items it does not hold.
 */
function storedGaps(doc: Y.Doc, sv: Map<number, number>) {
	const gaps: { client: number; clock: number }[] = [];
	const { pendingStructs, pendingDs } = doc.store;
	for (const [client, clock] of pendingStructs?.missing ?? []) gaps.push({ client, clock });
	if (pendingDs) {
		for (const [client, items] of Y.decodeUpdate(pendingDs).ds.clients) {
			const held = sv.get(client) ?? 0;
			const beyond = items.filter((d) => d.clock + d.len > held);
			if (beyond.length > 0)
				gaps.push({ client, clock: Math.max(held, Math.min(...beyond.map((d) => d.clock))) });
		}
	}
	return gaps;
}

/** The clock up to which a replica's own structs were in acknowledged ops. */
function ackedClock(r: Replica, acked: number) {
	let end = 0;
	for (const op of r.ops.slice(0, acked)) {
		for (const st of Y.decodeUpdate(op.update).structs) {
			if (st.id.client === r.doc.clientID) end = Math.max(end, st.id.clock + st.length);
		}
	}
	return end;
}

/** Runs the harness with `instances` collab servers (board-durability*.spec.ts). */
export async function boardDurabilityHarness({ instances }: { instances: number }) {
	const CLIENTS = envInt('CLIENTS', 16);
	const KILLS = envInt('KILLS', 10);
	const BOARDS = envInt('BOARDS', 4);
	const SEED = envInt('SEED', 20261130);
	const PACE_MS = envInt('PACE_MS', 40);
	const INSTANCES = envInt('INSTANCES', instances);
	const entry = process.env.BOARD_DURABILITY_SERVER_ENTRY;

	const started = performance.now();
	// With several instances they share the database and Redis, as in the README's "Several
	// machines"; clients are spread over them, and only the first is killed.
	const redis = INSTANCES > 1 ? await useRedis() : null;
	const options = {
		env: (redis ? { REDIS_URL: redis.url } : {}) as Record<string, string>,
		...(entry ? { entry: path.resolve(entry) } : {})
	};
	const app = await startApp(options);
	const peers: Awaited<ReturnType<typeof startApp>>[] = [];
	for (let i = 1; i < INSTANCES; i++) {
		peers.push(await startApp({ ...options, databaseUrl: app.databaseUrl }));
	}
	const servers = [app, ...peers];
	const figures: Record<string, number | string> = {
		clients: CLIENTS,
		boards: BOARDS,
		instances: INSTANCES,
		seed: SEED
	};
	afterAll(async () => {
		for (const c of clients) c.destroy();
		figures.seconds = Math.round((performance.now() - started) / 100) / 10;
		console.log(
			'board-durability: ' +
				Object.entries(figures)
					.map(([k, v]) => `${k}=${v}`)
					.join(' ')
		);
		for (const peer of peers) await peer.stop();
		await app.stop();
		await redis?.stop();
	});

	// One organisation: the owner, a manager and three reps. Every board has a shard per rep and one
	// for the manager; the owner edits them all without owning deals.
	const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
	const org = await createOrg(app.db, { ownerId: owner.id });
	const manager = await createUser(app.db, { name: 'Quản Lý Bán Hàng' });
	await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
	const reps = [];
	for (const name of ['Lê Văn Nam', 'Phạm Thu Hà', 'Trần Minh Khoa']) {
		const rep = await createUser(app.db, { name });
		await addMember(app.db, { orgId: org.id, userId: rep.id, role: 'sales' });
		reps.push(rep);
	}
	// The organisation's default pipeline, then more with the same six stages.
	for (let i = 1; i < BOARDS; i++) {
		await createDefault(app.db, { orgId: org.id, locale: 'vi', createdBy: owner.id });
	}
	const pipelineRows = await app.db
		.select({ id: pipelines.id })
		.from(pipelines)
		.where(eq(pipelines.orgId, org.id));
	const shardOwners = [manager.id, ...reps.map((r) => r.id)];
	const boards: Board[] = pipelineRows.map((p) => ({ pipelineId: p.id, shardOwners }));
	const people = [
		...reps.map((r) => ({ id: r.id, role: 'sales' as const })),
		{ id: manager.id, role: 'manager' as const },
		{ id: owner.id, role: 'owner' as const }
	];

	// Whatever the server announces when a client (re)connects must include everything PostgreSQL
	// held when it was last checked: a document is never served partial (design.md, persistence).
	// Checked for the server started after a check (a dead server's last frames may still arrive).
	const floor = new Map<string, Map<number, number>>();
	const servedPartial: string[] = [];
	let vectorsChecked = false;
	function onServerVector(docName: string, vector: Map<number, number>, client: number) {
		if (!vectorsChecked) return;
		for (const [id, clock] of floor.get(docName) ?? []) {
			if ((vector.get(id) ?? 0) < clock) {
				servedPartial.push(
					`${docName} was served to client ${client} without stored updates (client id ${id}: ${vector.get(id) ?? 0} < ${clock})`
				);
				return;
			}
		}
	}

	const clients: BoardClient[] = [];
	for (let i = 0; i < CLIENTS; i++) {
		const person = people[i % people.length]!;
		// Each client its own session, like one device of that person.
		const { token } = await session.create(app.db, { userId: person.id });
		const user: BoardUser = { ...person, cookie: `__Host-chot_session=${token}` };
		clients.push(
			openBoardClient({
				// Every board has clients on every server (boards go round first).
				origin: servers[Math.floor(i / boards.length) % servers.length]!.origin,
				index: i,
				user,
				board: boards[i % boards.length]!,
				seed: SEED + i,
				onServerVector
			})
		);
	}
	// For the fresh clients of the final comparison.
	const ownerCookie = `__Host-chot_session=${(await session.create(app.db, { userId: owner.id })).token}`;
	const replicas = clients.flatMap((c) => c.replicas.map((r) => ({ client: c, r })));
	const docNames = boards.flatMap(boardDocNames);

	const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

	/**
	 * What PostgreSQL holds for each document (snapshot plus log, as the server loads it), all read
	 * in one database snapshot, so a compaction running meanwhile cannot make a row seem missing.
	 */
	async function stored(names: readonly string[]) {
		const states = await app.db.transaction(
			(tx) => collabLog.readStates(tx, { docNames: [...names] }),
			{
				isolationLevel: 'repeatable read'
			}
		);
		return new Map(
			names.map((name) => {
				const doc = new Y.Doc();
				const state = states.get(name);
				// Pending structs (an update whose predecessor was never stored) stay pending here too.
				if (state) Y.applyUpdate(doc, state);
				return [name, doc] as const;
			})
		);
	}

	type Check = { acked: number; seen: number; unacked: number; unackedStored: number };

	/**
	 * Compares what the clients hold with what PostgreSQL holds, document by document. Missing (a
	 * failure): an acknowledged op, or an op another replica received from the server (the server
	 * applies, and so broadcasts, an update only after logging it). Also counts the unacknowledged ops
	 * and how many of them PostgreSQL has anyway.
	 */
	async function compareWithStored(
		label: string,
		missing: string[],
		{ afterCrash = false } = {}
	): Promise<Check> {
		const check: Check = { acked: 0, seen: 0, unacked: 0, unackedStored: 0 };
		missing.push(...servedPartial.splice(0).map((p) => `${label}: ${p}`));
		// What each client held when the read began: with other instances still serving, acks and
		// broadcasts go on arriving while PostgreSQL is read, and only what came before the read can
		// be asked of it (taking them after the read failed at once with two instances).
		const before = new Map(
			replicas.map(({ r }) => [
				r,
				{ ops: r.ops.length, acked: r.acked, snapshot: indexState(r.doc) }
			])
		);
		const inDb = await stored(docNames);
		for (const [docName, doc] of inDb) {
			const storedSnapshot = indexState(doc);
			for (const gap of storedGaps(doc, storedSnapshot.sv)) {
				// Right after a crash, one gap is expected: the server logs a connection's updates in
				// concurrent batches, so a later one may commit while an earlier one, unacknowledged
				// like it, dies with the process (log.ts › createLogWriter); the client still holds
				// both and resends them. Any other gap, or any gap once settled, is a loss.
				const owner = replicas.find(
					({ r }) => r.docName === docName && r.doc.clientID === gap.client
				);
				const inFlight =
					afterCrash &&
					owner !== undefined &&
					gap.clock >= ackedClock(owner.r, before.get(owner.r)!.acked) &&
					gap.clock < (before.get(owner.r)!.snapshot.sv.get(gap.client) ?? 0);
				if (inFlight) figures.gapsAfterKills = Number(figures.gapsAfterKills ?? 0) + 1;
				else {
					missing.push(
						`${label}: ${docName}: a stored update waits for a predecessor never stored (client id ${gap.client} from clock ${gap.clock})`
					);
				}
			}
			floor.set(docName, storedSnapshot.sv);
			const copies = replicas.filter(({ r }) => r.docName === docName);
			const views = copies.map(({ r }) => ({ r, snapshot: before.get(r)!.snapshot }));
			for (const { client, r } of copies) {
				const { ops, acked } = before.get(r)!;
				r.ops.slice(0, ops).forEach((op, i) => {
					const where = `${label}: ${docName}: client ${client.index} op ${i} (${op.name})`;
					if (i < acked) {
						check.acked++;
						if (!holds(storedSnapshot, op.update)) {
							missing.push(`${where} was acknowledged but is not stored`);
						}
						return;
					}
					check.unacked++;
					const isStored = holds(storedSnapshot, op.update);
					if (isStored) check.unackedStored++;
					if (views.some((v) => v.r !== r && holds(v.snapshot, op.update))) {
						check.seen++;
						if (!isStored) missing.push(`${where} reached another replica but is not stored`);
					}
				});
			}
			doc.destroy();
		}
		return check;
	}

	let running = false;
	let loopError: unknown;
	function startOps() {
		running = true;
		return clients.map(async (c) => {
			while (running && loopError === undefined) {
				await sleep(c.prng.int(PACE_MS / 2, (PACE_MS * 3) / 2));
				if (!running) break;
				try {
					randomStep(c);
				} catch (e) {
					loopError = e;
				}
			}
		});
	}
	async function stopOps(loops: Promise<void>[]) {
		running = false;
		await Promise.all(loops);
		expect(loopError).toBeUndefined();
	}

	const allLive = () => replicas.every(({ r }) => live(r));
	async function allSettled(timeout = 30_000) {
		const deadline = Date.now() + timeout;
		while (!replicas.every(({ r }) => settled(r))) {
			if (Date.now() > deadline) {
				const inDb = await stored(docNames);
				const stuck = replicas
					.filter(({ r }) => !settled(r))
					.map(({ client, r }) => {
						const doc = inDb.get(r.docName)!;
						const what = lacking(doc, Y.encodeStateAsUpdate(r.doc), clientNames());
						const refused = r.wire.refusedStep2;
						const why = refused
							? `; refused step 2 held ${lacking(new Y.Doc(), refused, clientNames())}, of which not stored now: ${lacking(doc, refused, clientNames())}`
							: '';
						return `client ${client.index} ${r.docName} ${stateOf(r)}; not stored: ${what}${why}`;
					});
				throw new Error(
					`not settled after ${timeout} ms:\n${briefly([...servedPartial, ...stuck])}\nserver log tail:\n${app.logs.slice(-10).join('')}`
				);
			}
			await sleep(100);
		}
	}

	/** At most 12 lines of at most 800 characters, for failure messages. */
	function briefly(lines: string[]) {
		const shown = lines.slice(0, 12).map((l) => (l.length > 800 ? `${l.slice(0, 800)}…` : l));
		if (lines.length > 12) shown.push(`… and ${lines.length - 12} more`);
		return shown.join('\n');
	}

	/** Replica client ids by name, for failure messages. */
	const clientNames = () =>
		new Map(replicas.map(({ client, r }) => [r.doc.clientID, `client ${client.index}`]));

	function stateOf(r: Replica) {
		const p = r.provider;
		return JSON.stringify({
			writable: r.writable,
			synced: p.isSynced,
			authenticated: p.isAuthenticated,
			unsynced: p.unsyncedChanges,
			socket: r.socket.status,
			readyState: r.socket.webSocket?.readyState ?? null,
			ops: r.ops.length,
			acked: r.acked,
			refusals: r.wire.refusals
		});
	}

	/** Refused ops (a valid op from a consistent view should never be) and no-ops, all clients. */
	function outcomes() {
		let refused = 0;
		let noop = 0;
		for (const c of clients) {
			for (const [key, n] of c.stats) {
				if (key.includes(':refused:')) refused += n;
				if (key.endsWith(':noop')) noop += n;
			}
		}
		return { refused, noop };
	}

	const opsDone = () => replicas.reduce((n, { r }) => n + r.ops.length, 0);

	/** After every client has settled: every replica, a fresh load and a fresh client agree. */
	async function expectConverged(missing: string[]) {
		for (const { r } of replicas) expect(r.acked).toBe(r.ops.length);
		const check = await compareWithStored('settled', missing);
		expect(missing).toEqual([]);
		expect(check.acked).toBe(opsDone());

		const fresh = docNames.map((documentName) =>
			connect({ origin: app.origin, documentName, cookie: ownerCookie })
		);
		await Promise.all(fresh.map((f) => f.synced));
		const freshCopies = fresh.map((f, i) => ({
			label: 'fresh client',
			docName: docNames[i]!,
			doc: f.doc
		}));
		// No await from this read to the end of the comparisons: no message can change a copy between.
		const loaded = await storedOnceQuiet(
			'replicas and PostgreSQL have different state vectors',
			(doc, inDb) => sameVector(doc, inDb),
			freshCopies
		);
		for (const docName of docNames) {
			const inDb = loaded.get(docName)!;
			const canonical = canonicalState(inDb);
			const copies = [...replicaCopies(), ...freshCopies].filter((c) => c.docName === docName);
			// The read model of a fresh client is what PostgreSQL holds; every replica and the fresh
			// client encode byte for byte alike (same structs, same deletions, same content).
			expect(content(freshCopies.find((c) => c.docName === docName)!.doc)).toEqual(content(inDb));
			for (const c of copies) {
				if (!sameBytes(canonicalState(c.doc), canonical)) {
					expect.fail(`${docName}: ${c.label} differs from PostgreSQL's state`);
				}
			}
		}
		for (const f of fresh) f.destroy();
		// Board invariants on what PostgreSQL holds: each deal in exactly one column, keys unique.
		for (const board of boards) {
			const [pipelineName, ...shardNames] = boardDocNames(board);
			const violations = boardViolations(
				{
					pipelineDoc: loaded.get(pipelineName!)!,
					dealDocs: shardNames.map((n) => loaded.get(n)!)
				},
				{ settled: true }
			);
			expect(violations).toEqual([]);
		}
		figures.deals = [...loaded.entries()]
			.filter(([n]) => n.startsWith('deals:'))
			.reduce((n, [, d]) => n + d.getMap('deals').size, 0);
		for (const d of loaded.values()) d.destroy();
	}

	type Copy = { label: string; docName: string; doc: Y.Doc; replica?: Replica };
	const replicaCopies = (): Copy[] =>
		replicas.map(({ client, r }) => ({
			label: `client ${client.index}`,
			docName: r.docName,
			doc: r.doc,
			replica: r
		}));

	/**
	 * Reads what PostgreSQL holds until `ok` holds for every replica and `extra` copy (broadcasts may
	 * still be on their way, and the server may still be logging its own writes), and returns that
	 * read. Fails after `timeout` with what each failing copy holds that PostgreSQL lacks, and back.
	 */
	async function storedOnceQuiet(
		what: string,
		ok: (doc: Y.Doc, stored: Y.Doc) => boolean,
		extra: Copy[] = [],
		timeout = 15_000
	) {
		const deadline = Date.now() + timeout;
		for (;;) {
			const inDb = await stored(docNames);
			const bad = [...replicaCopies(), ...extra].filter((c) => !ok(c.doc, inDb.get(c.docName)!));
			if (bad.length === 0) return inDb;
			if (Date.now() > deadline) {
				const lines = bad.map((c) => {
					const doc = inDb.get(c.docName)!;
					const extraHeld = lacking(doc, Y.encodeStateAsUpdate(c.doc), clientNames());
					const behind = lacking(c.doc, Y.encodeStateAsUpdate(doc), clientNames());
					const state = c.replica ? ` ${stateOf(c.replica)}` : '';
					return `${c.label} ${c.docName}${state}; not stored: ${extraHeld}; not in the copy: ${behind}`;
				});
				throw new Error(`${what} after ${timeout} ms:\n${briefly(lines)}`);
			}
			await sleep(200);
		}
	}

	function sameVector(a: Y.Doc, b: Y.Doc) {
		const x = Y.encodeStateVector(a);
		const y = Y.encodeStateVector(b);
		return x.length === y.length && x.every((v, i) => v === y[i]);
	}

	describe('live boards under crashes', () => {
		// The second test goes on from the first's state; after a failure there it would only repeat it.
		let crashesFailed = false;

		it(`loses no acknowledged edit over ${KILLS} SIGKILLs; replicas and a fresh load agree`, async ({
			onTestFailed
		}) => {
			onTestFailed(() => {
				crashesFailed = true;
			});
			await Promise.all(replicas.map(({ r }) => r.synced));
			const prng = new Prng(SEED);
			const missing: string[] = [];
			const reconnectMs: number[] = [];
			const restartMs: number[] = [];
			let killsMidReconnect = 0;
			let checkedAtKills = 0;
			let seenAtKills = 0;
			const loops = startOps();
			// Reconnect time: from the server answering /healthz again to every document of every
			// client live (authenticated, synced, socket open); cut short when the next kill comes first.
			const watchReconnect = () => {
				const since = performance.now();
				const watch = { stop: false, done: Promise.resolve() };
				watch.done = (async () => {
					while (!watch.stop) {
						if (allLive()) return void reconnectMs.push(performance.now() - since);
						await sleep(10);
					}
					killsMidReconnect++;
				})();
				return watch;
			};

			let watch: ReturnType<typeof watchReconnect> | undefined;
			for (let k = 0; k < KILLS; k++) {
				// Mostly once everyone is back (waiting at most 3 s) and editing; now and then while
				// clients are still resyncing.
				if (watch && prng.chance(0.25)) await sleep(prng.int(50, 1000));
				else {
					if (watch) await Promise.race([watch.done, sleep(3000)]);
					await sleep(prng.int(300, 2000));
				}
				if (watch) {
					watch.stop = true;
					await watch.done;
				}
				expect(loopError).toBeUndefined();

				vectorsChecked = false;
				await app.kill('SIGKILL');
				// While the server is down, before any client can resend what it holds.
				const check = await compareWithStored(`kill ${k + 1}`, missing, { afterCrash: true });
				checkedAtKills += check.acked;
				seenAtKills += check.seen;
				expect(missing).toEqual([]);
				const t = performance.now();
				await app.restart();
				vectorsChecked = true;
				restartMs.push(performance.now() - t);
				watch = watchReconnect();
			}
			await Promise.race([watch!.done, sleep(30_000)]);
			watch!.stop = true;
			await watch!.done;
			await sleep(500);
			await stopOps(loops);
			await allSettled();
			await expectConverged(missing);

			expect(checkedAtKills).toBeGreaterThan(0);
			expect(opsDone()).toBeGreaterThan(KILLS * 50);
			const ms = reconnectMs.map(Math.round).sort((a, b) => a - b);
			Object.assign(figures, {
				kills: KILLS,
				ops: opsDone(),
				ackedCheckedAtKills: checkedAtKills,
				seenCheckedAtKills: seenAtKills,
				reconnectMaxMs: ms.at(-1) ?? 0,
				reconnectP50Ms: ms[Math.floor(ms.length / 2)] ?? 0,
				killsMidReconnect,
				restartMaxMs: Math.round(Math.max(...restartMs)),
				...outcomes()
			});
		}, 240_000);

		it('loses nothing at all to a SIGTERM with edits in flight', async ({ skip }) => {
			skip(crashesFailed, 'the SIGKILL test failed');
			await Promise.all(replicas.map(({ r }) => r.synced));
			const missing: string[] = [];
			const loops = startOps();
			await sleep(1000);
			// A burst right before the signal, so that edits are certainly in flight.
			for (const c of clients) for (let i = 0; i < 3; i++) randomStep(c);
			const sent = new Map<Replica, number>(replicas.map(({ r }) => [r, r.ops.length]));
			const ackedAtSignal = new Map<Replica, number>(replicas.map(({ r }) => [r, r.acked]));
			vectorsChecked = false;
			const exit = app.kill('SIGTERM');
			const code = await exit;
			await stopOps(loops);
			expect(code).toBe(0);

			// Acknowledged before the server went: stored.
			const check = await compareWithStored('SIGTERM', missing);
			expect(missing).toEqual([]);
			let inFlight = 0;
			let ackedDuringShutdown = 0;
			for (const { r } of replicas) {
				inFlight += sent.get(r)! - ackedAtSignal.get(r)!;
				ackedDuringShutdown += Math.min(r.acked, sent.get(r)!) - ackedAtSignal.get(r)!;
			}
			expect(inFlight).toBeGreaterThan(0);

			// Back up: every client's whole state, not only what was acknowledged, is stored.
			await app.restart();
			vectorsChecked = true;
			await allSettled();
			// The server may still be writing (the projection's own changes, broadcast before logged).
			await storedOnceQuiet('SIGTERM: a client holds what is not stored', (doc, inDb) =>
				holds(indexState(inDb), Y.encodeStateAsUpdate(doc))
			);
			await expectConverged(missing);
			Object.assign(figures, {
				sigtermInFlight: inFlight,
				sigtermAckedDuringShutdown: ackedDuringShutdown,
				sigtermUnackedButStored: check.unackedStored,
				sigtermUnacked: check.unacked,
				opsTotal: opsDone()
			});
		}, 120_000);
	});
}
