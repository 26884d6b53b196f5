import * as Y from 'yjs';
import { dealsDocName, pipelineDocName, readStages } from '../doc';
import { createDeal, initPipeline, moveDealsFromDeletedStages } from '../ops';
import { boardViolations } from './invariants';
import { Network, type Replica } from './network';
import { Prng } from './prng';
import { randomOp, type FuzzReplica } from './random-ops';

// One seeded convergence run (SPEC B18): five replicas of a pipeline document and one owner's
// deals shard apply random named operations while the network reorders, duplicates and drops
// messages and replicas go offline; after a final sync every replica must hold the same bytes
// and a sound board.

export type FuzzOptions = { replicas?: number; steps?: number };
export type FuzzResult = { stats: Map<string, number>; delivered: number; deals: number };

export function runFuzz(seed: number, { replicas = 5, steps = 60 }: FuzzOptions = {}): FuzzResult {
	const prng = new Prng(seed);
	const pipelineId = prng.uuid();
	const ownerId = prng.uuid();
	const P = pipelineDocName(pipelineId);
	const D = dealsDocName(pipelineId, ownerId);
	const net = new Network(prng, { replicas, docs: [P, D] });
	let clock = Date.UTC(2026, 0, 1);
	const ctx = { prng, now: () => (clock += prng.int(1, 60_000)), stats: new Map<string, number>() };
	const view = (r: Replica): FuzzReplica => ({
		pipelineDoc: r.doc(P),
		dealDoc: r.doc(D),
		userId: `0190f4c2-0000-7000-8000-00000000000${r.index}`,
		ownerId
	});

	// Replica 0 creates the pipeline; everyone starts from it, as a board opened online does.
	initPipeline(
		view(net.replicas[0]!).pipelineDoc,
		{
			name: 'Bán hàng',
			stages: ['Tiếp cận', 'Báo giá', 'Đàm phán', 'Ký hợp đồng'].map((name, i) => ({
				id: prng.uuid(),
				name,
				color: '#0f766e',
				winProbability: 20 * (i + 1),
				rotDays: 7
			}))
		},
		{ kind: 'server', reason: 'fuzz' }
	);
	const seedDeals = view(net.replicas[0]!);
	const stageIds = readStages(seedDeals.pipelineDoc).map((s) => s.id);
	for (let i = 0; i < 6; i++) {
		createDeal(
			{ pipelineDoc: seedDeals.pipelineDoc, dealDoc: seedDeals.dealDoc },
			{
				id: prng.uuid(),
				title: `Giao dịch ${i + 1}`,
				stageId: prng.pick(stageIds),
				ownerId,
				createdBy: seedDeals.userId,
				at: ctx.now()
			},
			{ kind: 'server', reason: 'fuzz' }
		);
	}
	net.flush();

	for (let i = 0; i < steps; i++) {
		// Network weather first, in proportions like Yjs's applyRandomTests.
		const roll = prng.next();
		if (roll < 0.04) {
			const r = prng.pick(net.replicas);
			if (r.online) net.disconnect(r);
			else net.connect(r);
		} else if (roll < 0.06) {
			net.flush();
		} else {
			const deliveries = prng.int(0, 3);
			for (let k = 0; k < deliveries; k++) net.deliverRandom({ duplicate: 0.1, reorder: 0.2 });
		}
		const r = prng.pick(net.replicas);
		randomOp(view(r), ctx);
		if (prng.chance(0.1)) assertSound(view(r), `step ${i}, replica ${r.index}`, false);
	}

	net.flush();
	assertConverged(net.replicas, [P, D]);
	// Identical bytes read the same, so one replica stands for all.
	const r0 = view(net.replicas[0]!);
	assertSound(r0, 'after sync');

	// Settling deals off deleted stages on one replica and syncing leaves no card naming one.
	moveDealsFromDeletedStages(
		{ pipelineDoc: r0.pipelineDoc, dealDoc: r0.dealDoc },
		{ at: ctx.now() },
		{ kind: 'job', job: 'fuzz-settle' }
	);
	net.flush();
	assertConverged(net.replicas, [P, D]);
	assertSound(r0, 'after settling');

	return { stats: ctx.stats, delivered: net.delivered, deals: r0.dealDoc.getMap('deals').size };
}

function assertSound(r: FuzzReplica, when: string, settled = true) {
	const board = { pipelineDoc: r.pipelineDoc, dealDocs: [r.dealDoc] };
	const violations = boardViolations(board, { settled });
	if (violations.length) throw new Error(`${when}: ${violations.slice(0, 5).join('; ')}`);
}

export function assertConverged(replicas: readonly Replica[], names: readonly string[]) {
	for (const name of names) {
		const states = replicas.map((r) => {
			const doc = r.doc(name);
			// Yjs joins neighbouring garbage-collected runs only around each transaction's own
			// deletions, so replicas with different histories split them differently. Joining
			// every run (Y.tryGc over the whole delete set) leaves a form that only content decides.
			Y.tryGc(Y.createDeleteSetFromStructStore(doc.store), doc.store, () => true);
			return Y.encodeStateAsUpdate(doc);
		});
		const pending = replicas.filter((r) => {
			const { pendingStructs, pendingDs } = r.doc(name).store;
			return pendingStructs !== null || pendingDs !== null;
		});
		if (pending.length)
			throw new Error(`${name}: replica ${pending[0]!.index} has pending updates`);
		for (let i = 1; i < states.length; i++) {
			if (!equalBytes(states[0]!, states[i]!)) {
				const a = canonical(replicas[0]!.doc(name).toJSON());
				const b = canonical(replicas[i]!.doc(name).toJSON());
				throw new Error(
					`${name}: replica ${i} encodes differently from replica 0` +
						debugDiff(states[0]!, states[i]!) +
						(a === b
							? ' (same content)'
							: ` (content differs: ${a.slice(0, 200)} … ${b.slice(0, 200)})`)
				);
			}
		}
	}
}

/** JSON with sorted keys: map iteration order is local history, not content. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_k, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: v
	);
}

function equalBytes(a: Uint8Array, b: Uint8Array) {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Which structs only one side has: where to start looking when bytes differ. */
function debugDiff(a: Uint8Array, b: Uint8Array) {
	const describe = (u: Uint8Array) =>
		Y.decodeUpdate(u).structs.map(
			(s) =>
				`${s.constructor.name}:${s.id.client}:${s.id.clock}+${s.length}` +
				(s instanceof Y.Item ? `:${s.content.constructor.name}` : '')
		);
	const da = describe(a);
	const db = describe(b);
	const onlyA = da.filter((x) => !db.includes(x)).slice(0, 5);
	const onlyB = db.filter((x) => !da.includes(x)).slice(0, 5);
	return ` (structs only in 0: ${onlyA.join(' ')}; only in the other: ${onlyB.join(' ')})`;
}
