import * as Y from 'yjs';
import { cardField, dealsMap, readStages } from '../doc';
import { createDeal, initPipeline, moveDeal } from '../ops';
import type { Origin } from '../origin';
import { columns } from '../read';
import { Prng } from './prng';

// Document growth under moves (SPEC B17): a shard with `deals` cards takes `moves` random moves
// among stages, then is compared with a fresh shard holding the same deals in the same columns.

const origin: Origin = { kind: 'user', userId: '0190f4c2-0000-7000-8000-000000000001' };

export type GrowthResult = {
	deals: number;
	moves: number;
	movedBytes: number;
	freshBytes: number;
	ratio: number;
	/** Same, in Yjs's v2 update encoding (column-wise, run-length encoded). */
	movedBytesV2: number;
	freshBytesV2: number;
	ratioV2: number;
	/** Bytes each move leaves behind for good. */
	bytesPerMove: number;
	ms: number;
};

export function measureGrowth({
	deals,
	moves,
	seed = 1,
	onUpdate
}: {
	deals: number;
	moves: number;
	seed?: number;
	/** Every update of the moved shard, in order (to store it as a server would). */
	onUpdate?: (update: Uint8Array) => void;
}): GrowthResult {
	const prng = new Prng(seed);
	const pipelineDoc = new Y.Doc();
	initPipeline(
		pipelineDoc,
		{
			name: 'Bán hàng dự án',
			stages: [
				'Tiếp cận',
				'Khảo sát nhu cầu',
				'Báo giá',
				'Đàm phán',
				'Ký hợp đồng',
				'Triển khai'
			].map((name, i) => ({
				id: prng.uuid(),
				name,
				color: '#0f766e',
				winProbability: 15 * i,
				rotDays: 7
			}))
		},
		origin
	);
	const stageIds = readStages(pipelineDoc).map((s) => s.id);
	const ownerId = prng.uuid();
	let at = Date.UTC(2026, 0, 1);
	const card = (i: number) => ({
		title: `Cung cấp thiết bị văn phòng cho chi nhánh ${i}`,
		ownerId,
		amount: prng.int(1, 500) * 1_000_000,
		customerName: 'Công ty TNHH Thực phẩm Bình Minh',
		customerPhone: '0912 345 678'
	});

	// The moved shard: deals spread over the stages, then random moves between random neighbours.
	// Real client ids are random 32-bit numbers (mostly 5-byte varints); fix one so runs repeat.
	const clientID = 3_141_592_653;
	const moved = new Y.Doc();
	moved.clientID = clientID;
	if (onUpdate) moved.on('update', onUpdate);
	const scope = { pipelineDoc, dealDoc: moved };
	const mirror = new Map<string, string[]>(stageIds.map((id) => [id, []]));
	const where = new Map<string, string>();
	for (let i = 0; i < deals; i++) {
		const id = prng.uuid();
		const stageId = prng.pick(stageIds);
		createDeal(scope, { id, stageId, ...card(i), at: ++at }, origin);
		mirror.get(stageId)!.push(id);
		where.set(id, stageId);
	}
	const ids = [...where.keys()];
	const started = performance.now();
	for (let m = 0; m < moves; m++) {
		const dealId = prng.pick(ids);
		const from = mirror.get(where.get(dealId)!)!;
		from.splice(from.indexOf(dealId), 1);
		const toStageId = prng.pick(stageIds);
		const to = mirror.get(toStageId)!;
		const i = prng.int(0, to.length);
		const after = to[i - 1];
		const before = to[i];
		moveDeal(
			scope,
			{ dealId, toStageId, ...(after ? { after } : {}), ...(before ? { before } : {}), at: ++at },
			origin
		);
		to.splice(i, 0, dealId);
		where.set(dealId, toStageId);
	}
	const ms = performance.now() - started;
	const board = columns({ pipelineDoc, dealDocs: [moved] });
	for (const col of board) {
		const expected = mirror.get(col.stage.id)!;
		if (col.deals.map((d) => d.id).join() !== expected.join()) {
			throw new Error(`column ${col.stage.name} is not in the order the moves made`);
		}
	}

	// The fresh shard: the same deals, created straight into their final columns and order.
	const fresh = new Y.Doc();
	fresh.clientID = clientID;
	for (const col of board) {
		let prev: string | undefined;
		for (const d of col.deals) {
			const source = dealsMap(moved).get(d.id)!;
			createDeal(
				{ pipelineDoc, dealDoc: fresh },
				{
					id: d.id,
					stageId: col.stage.id,
					title: d.title,
					ownerId: d.ownerId,
					amount: d.amount,
					customerName: String(cardField(source, 'customerName')),
					customerPhone: String(cardField(source, 'customerPhone')),
					...(prev ? { after: prev } : {}),
					at
				},
				origin
			);
			prev = d.id;
		}
	}

	const movedBytes = Y.encodeStateAsUpdate(moved).length;
	const freshBytes = Y.encodeStateAsUpdate(fresh).length;
	const movedBytesV2 = Y.encodeStateAsUpdateV2(moved).length;
	const freshBytesV2 = Y.encodeStateAsUpdateV2(fresh).length;
	return {
		deals,
		moves,
		movedBytes,
		freshBytes,
		ratio: movedBytes / freshBytes,
		movedBytesV2,
		freshBytesV2,
		ratioV2: movedBytesV2 / freshBytesV2,
		bytesPerMove: (movedBytes - freshBytes) / moves,
		ms
	};
}
