import type * as Y from 'yjs';
import { dealStatuses, readStages, stagesMap } from '../doc';
import { isBoardOpError } from '../errors';
import {
	addStage,
	createDeal,
	deleteStage,
	moveDeal,
	moveDealsFromDeletedStages,
	moveStage,
	removeDeal,
	renameStage,
	setPipelineSettings,
	setStageFields,
	setStar,
	setStatus,
	updateDealFields
} from '../ops';
import type { Origin } from '../origin';
import { compareOrder } from '../order';
import { readDeals, stageIndex, stageResolver } from '../read';
import type { Prng } from './prng';

// Random named operations for the convergence test. Each picks its input from what its replica
// sees right now (sometimes deliberately wrong), runs the op, and checks the op's local promise:
// a refused op changes nothing; a move lands exactly between the neighbours it was given.

export type FuzzReplica = { pipelineDoc: Y.Doc; dealDoc: Y.Doc; userId: string; ownerId: string };
export type FuzzContext = { prng: Prng; now: () => number; stats: Map<string, number> };

const hostile = [
	'Khách sỉ Nguyễn Văn An',
	'<script>alert("x")</script>',
	"'; DROP TABLE deals; --",
	'🚀 Chốt đơn 💰',
	'\u202Eđảo chiều\u202C',
	'x'.repeat(200)
];
const phones = ['0912 345 678', '+84 912345678', '912345678', '028 3930 1234', 'not a phone', null];

type Op = (r: FuzzReplica, ctx: FuzzContext, origin: Origin) => void;

const ops: (readonly [number, string, Op])[] = [
	[
		4,
		'createDeal',
		(r, { prng, now }, origin) => {
			const id = prng.chance(0.03) && dealIds(r).length ? prng.pick(dealIds(r)) : prng.uuid();
			const stage = pickStage(r, prng);
			const pos = pickPosition(r, prng, stage, id);
			createDeal(
				{ pipelineDoc: r.pipelineDoc, dealDoc: r.dealDoc },
				{
					id,
					title: prng.pick(hostile),
					stageId: stage,
					ownerId: r.ownerId,
					amount: prng.int(0, 5000) * 100_000,
					customerName: prng.chance(0.5) ? prng.pick(hostile) : undefined,
					customerPhone: prng.chance(0.5) ? (prng.pick(phones) ?? undefined) : undefined,
					...pos.input,
					at: now()
				},
				origin
			);
			pos.check();
		}
	],
	[
		8,
		'moveDeal',
		(r, { prng, now }, origin) => {
			const dealId = pickDeal(r, prng);
			const stage = pickStage(r, prng);
			const pos = pickPosition(r, prng, stage, dealId);
			moveDeal(
				{ pipelineDoc: r.pipelineDoc, dealDoc: r.dealDoc },
				{ dealId, toStageId: stage, ...pos.input, at: now() },
				origin
			);
			pos.check();
		}
	],
	[
		2,
		'updateDealFields',
		(r, { prng, now }, origin) => {
			updateDealFields(
				r.dealDoc,
				{
					dealId: pickDeal(r, prng),
					...(prng.chance(0.5) ? { title: prng.pick([...hostile, '   ']) } : {}),
					...(prng.chance(0.4) ? { amount: prng.pick([0, 1_500_000, 2.5, -1, 9e15]) } : {}),
					...(prng.chance(0.4) ? { customerPhone: prng.pick(phones) } : {}),
					...(prng.chance(0.3)
						? { customerName: prng.chance(0.3) ? null : prng.pick(hostile) }
						: {}),
					at: now()
				},
				origin
			);
		}
	],
	[
		1,
		'setStar',
		(r, { prng, now }, origin) => {
			setStar(
				r.dealDoc,
				{ dealId: pickDeal(r, prng), starred: prng.chance(0.5), at: now() },
				origin
			);
		}
	],
	[
		3,
		'setStatus',
		(r, { prng, now }, origin) => {
			const status = prng.pick(dealStatuses);
			setStatus(
				r.dealDoc,
				{
					dealId: pickDeal(r, prng),
					status,
					...(prng.chance(0.85) ? { lostReason: prng.pick(hostile) } : {}),
					...(prng.chance(0.85) ? { standbyUntil: prng.pick(['2026-12-01', '2026-02-30']) } : {}),
					at: now()
				},
				origin
			);
		}
	],
	[
		1,
		'removeDeal',
		(r, { prng }, origin) => {
			removeDeal(r.dealDoc, { dealId: pickDeal(r, prng) }, origin);
		}
	],
	[
		0.6,
		'addStage',
		(r, { prng }, origin) => {
			const shown = readStages(r.pipelineDoc).map((s) => s.id);
			const i = prng.int(0, shown.length);
			addStage(
				r.pipelineDoc,
				{
					id: prng.uuid(),
					name: prng.pick(hostile),
					winProbability: prng.int(0, 100),
					...(i > 0 && prng.chance(0.7) ? { after: shown[i - 1] } : {}),
					...(i < shown.length && prng.chance(0.7) ? { before: shown[i] } : {})
				},
				origin
			);
		}
	],
	[
		0.4,
		'renameStage',
		(r, { prng }, origin) => {
			renameStage(r.pipelineDoc, { stageId: pickStage(r, prng), name: prng.pick(hostile) }, origin);
		}
	],
	[
		0.8,
		'moveStage',
		(r, { prng }, origin) => {
			const stageId = pickStage(r, prng);
			const others = readStages(r.pipelineDoc)
				.map((s) => s.id)
				.filter((id) => id !== stageId);
			const i = prng.int(0, others.length);
			const after = i > 0 ? others[i - 1] : undefined;
			const before = i < others.length ? others[i] : undefined;
			moveStage(
				r.pipelineDoc,
				{ stageId, ...(after ? { after } : {}), ...(before ? { before } : {}) },
				origin
			);
			const now = readStages(r.pipelineDoc).map((s) => s.id);
			const at = now.indexOf(stageId);
			if (after && now[at - 1] !== after)
				throw new Error('moveStage: not right after its neighbour');
			if (before && now[at + 1] !== before)
				throw new Error('moveStage: not right before its neighbour');
		}
	],
	[
		0.4,
		'setStageFields',
		(r, { prng }, origin) => {
			setStageFields(
				r.pipelineDoc,
				{
					stageId: pickStage(r, prng),
					color: prng.pick(['#0F766E', '#f59e0b', 'red']),
					winProbability: prng.pick([0, 35, 100, 101]),
					rotDays: prng.pick([0, 7, 30])
				},
				origin
			);
		}
	],
	[
		0.5,
		'deleteStage',
		(r, { prng, now }, origin) => {
			const stageId = pickStage(r, prng);
			const others = readStages(r.pipelineDoc).filter((s) => s.id !== stageId);
			const target = others.length && prng.chance(0.8) ? prng.pick(others).id : undefined;
			deleteStage(
				r.pipelineDoc,
				{
					stageId,
					...(target ? { moveDealsTo: target } : {}),
					dealDocs: [r.dealDoc],
					at: now()
				},
				origin
			);
			settle(r, now(), origin);
		}
	],
	[0.5, 'moveDealsFromDeletedStages', (r, { now }, origin) => settle(r, now(), origin)],
	[
		0.2,
		'setPipelineSettings',
		(r, { prng }, origin) => {
			setPipelineSettings(
				r.pipelineDoc,
				{
					visibility: prng.pick(['all', 'own'] as const),
					editing: prng.pick(['own', 'all'] as const)
				},
				origin
			);
		}
	]
];

/** Runs one random op on replica `r`; returns its name and outcome, e.g. `moveDeal:refused`. */
export function randomOp(r: FuzzReplica, ctx: FuzzContext): string {
	const [name, op] = ctx.prng.weighted(ops.map(([w, n, o]) => [w, [n, o] as const] as const));
	// A refused op must change nothing: no update at all may leave either document.
	let updates = 0;
	const count = () => updates++;
	const docs = [r.pipelineDoc, r.dealDoc];
	for (const d of docs) d.on('update', count);
	let outcome = 'ok';
	try {
		op(r, ctx, { kind: 'user', userId: r.userId });
	} catch (e) {
		if (!isBoardOpError(e)) throw e;
		outcome = `refused:${e.code}`;
		if (updates > 0) throw new Error(`${name} refused (${e.code}) but changed a document`);
	} finally {
		for (const d of docs) d.off('update', count);
	}
	const key = `${name}:${outcome}`;
	ctx.stats.set(key, (ctx.stats.get(key) ?? 0) + 1);
	return key;
}

function settle(r: FuzzReplica, at: number, origin: Origin) {
	moveDealsFromDeletedStages({ pipelineDoc: r.pipelineDoc, dealDoc: r.dealDoc }, { at }, origin);
	// Every card naming a stage this replica knows now names a shown stage.
	const resolve = stageResolver(r.pipelineDoc);
	for (const d of readDeals(r.dealDoc)) {
		if (stagesMap(r.pipelineDoc).has(d.stageId) && resolve(d.stageId) !== d.stageId) {
			throw new Error(`deal ${d.id} still names deleted stage ${d.stageId}`);
		}
	}
}

function dealIds(r: FuzzReplica) {
	return readDeals(r.dealDoc).map((d) => d.id);
}

/** Mostly a deal this replica has; sometimes one it does not (refused as deal_not_found). */
function pickDeal(r: FuzzReplica, prng: Prng) {
	const ids = dealIds(r);
	return ids.length && !prng.chance(0.03) ? prng.pick(ids) : prng.uuid();
}

/** Mostly a shown stage; sometimes a deleted or unknown one (refused as stage_not_found). */
function pickStage(r: FuzzReplica, prng: Prng) {
	if (prng.chance(0.03)) return prng.pick([...stagesMap(r.pipelineDoc).keys(), prng.uuid()]);
	return prng.pick(readStages(r.pipelineDoc)).id;
}

/** The ids in one column, in board order (what the board would show for this shard). */
function column(r: FuzzReplica, stageId: string) {
	const { resolve } = stageIndex(r.pipelineDoc);
	return readDeals(r.dealDoc)
		.filter((d) => resolve(d.stageId) === stageId)
		.sort(compareOrder)
		.map((d) => d.id);
}

/**
 * Neighbours for a deal in a column: an adjacent pair (both, or one of them), nothing (end), or
 * now and then a deal from another column (refused). `check` asserts where the deal landed.
 */
function pickPosition(r: FuzzReplica, prng: Prng, stageId: string, dealId: string) {
	const ids = column(r, stageId).filter((id) => id !== dealId);
	const i = prng.int(0, ids.length);
	let after: string | undefined = i > 0 && prng.chance(0.8) ? ids[i - 1] : undefined;
	let before: string | undefined = i < ids.length && prng.chance(0.8) ? ids[i] : undefined;
	if (prng.chance(0.03)) {
		const elsewhere = readDeals(r.dealDoc).filter((d) => !ids.includes(d.id) && d.id !== dealId);
		if (elsewhere.length) after = prng.pick(elsewhere).id;
		before = undefined;
	}
	const input = { ...(after ? { after } : {}), ...(before ? { before } : {}) };
	return {
		input,
		check: () => {
			const now = column(r, stageId);
			const at = now.indexOf(dealId);
			if (at < 0) throw new Error(`deal ${dealId} is not in column ${stageId}`);
			if (after && now[at - 1] !== after) throw new Error('deal is not right after `after`');
			if (before && now[at + 1] !== before) throw new Error('deal is not right before `before`');
			if (!after && !before && at !== now.length - 1) throw new Error('deal is not at the end');
		}
	};
}
