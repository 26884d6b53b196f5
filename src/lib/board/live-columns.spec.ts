import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsMap } from './doc';
import { handOver, receiveDeal } from './handover-ops';
import { LiveColumns } from './live-columns';
import { moveDeal, setStatus, updateDealFields } from './ops';
import { columns, readDeals } from './read';
import { testBoard, user } from './testing/board';
import { Prng } from './testing/prng';
import { randomOp, type FuzzContext } from './testing/random-ops';

// The browser's incremental board (LiveColumns) against the full read (`columns`): after any
// sequence of named operations, local or arriving from another replica in batches, they agree.

const SEEDS = Number(process.env.BOARD_LIVE_RUNS ?? 60);
const STEPS = 80;

describe('live columns', () => {
	it('[B16] equal a full read of the board after random operations, local and remote', () => {
		for (let seed = 1; seed <= SEEDS; seed++) {
			try {
				runSeed(seed);
			} catch (e) {
				throw new Error(`seed ${seed}: ${e instanceof Error ? e.message : String(e)}`, {
					cause: e
				});
			}
		}
	});

	it('return the same array, and keep untouched columns, while nothing else changed', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds as [string, string];
		const a = b.deal('A', { stageId: s1 });
		b.deal('B', { stageId: s2 });
		const live = new LiveColumns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc] });
		const first = live.read();
		expect(live.read()).toBe(first);
		updateDealFields(b.dealDoc, { dealId: a, title: 'A mới' }, user);
		const second = live.read();
		expect(second).not.toBe(first);
		expect(second[0]).not.toBe(first[0]);
		// The second column holds nothing that changed: the same object.
		expect(second[1]).toBe(first[1]);
		expect(second).toEqual(columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc] }));
		live.destroy();
		moveDeal(b.scope, { dealId: a, toStageId: s2 }, user);
		expect(live.read()).toBe(second);
	});

	it('[B16] [B19] show a deal handed to another owner once, as the new owner’s copy', () => {
		const b = testBoard();
		const theirs = new Y.Doc();
		const id = b.deal('Chuyển', { amount: 5_000_000 });
		const live = new LiveColumns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc, theirs] });
		expect(live.read()[0]!.deals.map((d) => d.ownerId)).toEqual([b.ownerId]);
		const owner = b.id();
		const deal = readDeals(b.dealDoc)[0]!;
		receiveDeal(theirs, { deal, ownerId: owner, at: b.tick() }, user);
		expect(live.read()[0]!.deals.map((d) => d.ownerId)).toEqual([owner]);
		handOver(b.dealDoc, { dealId: id, toOwnerId: owner, at: b.tick() }, user);
		const cols = live.read();
		expect(cols[0]!.deals.map((d) => d.ownerId)).toEqual([owner]);
		expect(cols).toEqual(columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc, theirs] }));
	});
});

function runSeed(seed: number) {
	const prng = new Prng(seed);
	const b = testBoard({ seed, stages: ['Một', 'Hai', 'Ba', 'Bốn'] });
	const owners = [b.ownerId, b.id(), b.id()];
	// Each owner's shard here, and a remote replica of the pipeline and of every shard whose
	// edits arrive in batches (one transaction carrying many changes).
	const shards = owners.map(() => new Y.Doc());
	const remotePipeline = new Y.Doc();
	const remoteShards = owners.map(() => new Y.Doc());
	const pull = (from: Y.Doc, to: Y.Doc) =>
		Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
	pull(b.pipelineDoc, remotePipeline);
	let clock = Date.UTC(2026, 0, 5);
	const ctx: FuzzContext = { prng, now: () => (clock += 1000), stats: new Map() };
	const statuses = prng.chance(0.5) ? undefined : (['open', 'won'] as const);
	const all = new LiveColumns({ pipelineDoc: b.pipelineDoc, dealDocs: shards });
	const some = new LiveColumns({ pipelineDoc: b.pipelineDoc, dealDocs: shards, statuses });
	const check = () => {
		expect(all.read()).toEqual(columns({ pipelineDoc: b.pipelineDoc, dealDocs: shards }));
		expect(some.read()).toEqual(
			columns({ pipelineDoc: b.pipelineDoc, dealDocs: shards, ...(statuses ? { statuses } : {}) })
		);
	};
	for (let step = 0; step < STEPS; step++) {
		const i = prng.int(0, owners.length - 1);
		const remote = prng.chance(0.35);
		const r = {
			pipelineDoc: remote ? remotePipeline : b.pipelineDoc,
			dealDoc: remote ? remoteShards[i]! : shards[i]!,
			userId: owners[i]!,
			ownerId: owners[i]!
		};
		if (prng.chance(0.08)) handOverRandom(prng, shards, owners, ctx.now());
		else if (prng.chance(0.05)) duplicate(prng, shards, owners, ctx.now());
		else randomOp(r, ctx);
		if (prng.chance(0.3)) {
			// The remote side's edits arrive, and it catches up with ours.
			pull(remotePipeline, b.pipelineDoc);
			pull(b.pipelineDoc, remotePipeline);
			shards.forEach((s, k) => {
				pull(remoteShards[k]!, s);
				pull(s, remoteShards[k]!);
			});
		}
		// Reads are rarer than changes: several transactions between two reads, as in a frame.
		if (prng.chance(0.6)) check();
	}
	check();
	all.destroy();
	some.destroy();
}

// A hand-over (SPEC B19) as the server makes it: the new copy, then the old one marked.
function handOverRandom(prng: Prng, shards: Y.Doc[], owners: string[], at: number) {
	const from = prng.int(0, shards.length - 1);
	const deals = readDeals(shards[from]!).filter((d) => d.movedTo === undefined);
	if (deals.length === 0) return;
	const deal = prng.pick(deals);
	const to = (from + prng.int(1, shards.length - 1)) % shards.length;
	receiveDeal(shards[to]!, { deal, ownerId: owners[to]!, at }, user);
	if (prng.chance(0.8))
		handOver(shards[from]!, { dealId: deal.id, toOwnerId: owners[to]!, at }, user);
}

// A deal id in two shards with no mark (a crash between the two writes of a hand-over), then
// edited on either side, so either copy may be the later one.
function duplicate(prng: Prng, shards: Y.Doc[], owners: string[], at: number) {
	const from = prng.int(0, shards.length - 1);
	const deals = readDeals(shards[from]!);
	if (deals.length === 0) return;
	const deal = prng.pick(deals);
	const to = (from + 1) % shards.length;
	receiveDeal(shards[to]!, { deal, ownerId: owners[to]!, at: at - prng.int(0, 2000) }, user);
	const side = prng.pick([from, to]);
	if (dealsMap(shards[side]!).has(deal.id) && prng.chance(0.5)) {
		setStatus(
			shards[side]!,
			{ dealId: deal.id, status: 'lost', lostReason: 'Giá cao', at: at + 1 },
			user
		);
	}
}
