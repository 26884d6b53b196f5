import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CARD_BASE, CARD_PLACE, cardField, cardFieldNames, dealsMap } from './doc';
import {
	createDeal,
	forwardEdits,
	handOver,
	initPipeline,
	moveDeal,
	receiveDeal,
	setStatus,
	updateDealFields
} from './ops';
import { boardDeals, readDeal } from './read';

const nam = uuidv7();
const ha = uuidv7();
const user = { kind: 'user', userId: nam } as const;
const server = { kind: 'server', reason: 'test' } as const;

function board() {
	const pipelineDoc = new Y.Doc();
	const stages = [uuidv7(), uuidv7()];
	initPipeline(
		pipelineDoc,
		{
			name: 'Bán lẻ',
			stages: stages.map((id, i) => ({
				id,
				name: `Giai đoạn ${i + 1}`,
				color: '#64748b',
				winProbability: 10,
				rotDays: 0
			}))
		},
		server
	);
	const oldShard = new Y.Doc();
	const newShard = new Y.Doc();
	const id = uuidv7();
	createDeal(
		{ pipelineDoc, dealDoc: oldShard },
		{
			id,
			title: 'Tủ lạnh 2 cánh',
			stageId: stages[1]!,
			ownerId: nam,
			amount: 15_990_000,
			customerName: 'Phạm Quang Vinh',
			customerPhone: '0978 246 810',
			at: 1_000
		},
		user
	);
	return { pipelineDoc, oldShard, newShard, id, stages };
}

describe('[B19] handing a deal to another owner', () => {
	it('copies every field but the owner, and shows the deal once, as the new owner’s', () => {
		const { oldShard, newShard, id } = board();
		setStatus(oldShard, { dealId: id, status: 'lost', lostReason: 'Giá cao', at: 2_000 }, user);
		const before = readDeal(oldShard, id)!;
		expect(receiveDeal(newShard, { deal: before, ownerId: ha, at: 3_000 }, server)).toBe(true);
		handOver(oldShard, { dealId: id, toOwnerId: ha, at: 3_000 }, server);

		const copy = readDeal(newShard, id)!;
		expect(copy).toEqual({ ...before, ownerId: ha, updatedAt: 3_000 });
		expect(cardFieldNames(dealsMap(newShard).get(id)!).sort()).toEqual(
			cardFieldNames(dealsMap(oldShard).get(id)!)
				.filter((k) => k !== 'movedTo')
				.sort()
		);
		expect(readDeal(oldShard, id)!.movedTo).toBe(ha);
		expect(boardDeals([oldShard, newShard])).toEqual([copy]);
	});

	it('writes nothing when the new copy exists already (a retried hand-over)', () => {
		const { oldShard, newShard, id } = board();
		const deal = readDeal(oldShard, id)!;
		receiveDeal(newShard, { deal, ownerId: ha }, server);
		const updates: Uint8Array[] = [];
		newShard.on('update', (u: Uint8Array) => updates.push(u));
		expect(receiveDeal(newShard, { deal, ownerId: ha }, server)).toBe(false);
		expect(updates).toHaveLength(0);
	});

	it('carries late edits over, a status with its companions, skipping invalid values', () => {
		const { oldShard, newShard, id } = board();
		receiveDeal(newShard, { deal: readDeal(oldShard, id)!, ownerId: ha }, server);
		handOver(oldShard, { dealId: id, toOwnerId: ha }, server);
		// An offline replica's edits land on the old copy.
		updateDealFields(oldShard, { dealId: id, title: 'Tủ lạnh 2 cánh Inverter' }, user);
		setStatus(oldShard, { dealId: id, status: 'standby', standbyUntil: '2027-01-15' }, user);
		dealsMap(oldShard).get(id)!.set('amount', -5); // a hostile client
		const written = forwardEdits(
			newShard,
			{ from: readDeal(oldShard, id)!, keys: ['title', 'status', 'amount'] },
			server
		);
		// All three status keys are written together (B14).
		expect(written.sort()).toEqual(['lostReason', 'standbyUntil', 'status', 'title']);
		expect(readDeal(newShard, id)).toMatchObject({
			title: 'Tủ lạnh 2 cánh Inverter',
			status: 'standby',
			standbyUntil: '2027-01-15',
			amount: 15_990_000,
			ownerId: ha
		});
		expect(cardField(dealsMap(newShard).get(id)!, 'lostReason')).toBeNull();
	});
	it('[B26] carries a late move over whole, from the name of the entry that changed', () => {
		const { pipelineDoc, oldShard, newShard, id, stages } = board();
		receiveDeal(newShard, { deal: readDeal(oldShard, id)!, ownerId: ha, at: 2_000 }, server);
		handOver(oldShard, { dealId: id, toOwnerId: ha, at: 2_000 }, server);
		// Offline on the old copy: the card goes back to the first column.
		moveDeal(
			{ pipelineDoc, dealDoc: oldShard },
			{ dealId: id, toStageId: stages[0]!, at: 3_000 },
			user
		);
		// The hand-over extension passes the keys of the card's entries that changed.
		const keys = [...dealsMap(oldShard).get(id)!.keys()].filter((k) => k === CARD_PLACE);
		const written = forwardEdits(
			newShard,
			{ from: readDeal(oldShard, id)!, keys, at: 4_000 },
			server
		);
		// Alone in either column, the card's key is the same in both: only what differs is named.
		expect(written.sort()).toEqual(['stageEnteredAt', 'stageId']);
		const { stageId, order, stageEnteredAt } = readDeal(oldShard, id)!;
		expect(readDeal(newShard, id)).toMatchObject({ stageId, order, stageEnteredAt, ownerId: ha });
		expect([...dealsMap(newShard).get(id)!.keys()].sort()).toEqual([
			CARD_BASE,
			CARD_PLACE,
			'updatedAt'
		]);
	});

	it('[B25] carries a cleared field once, and nothing when both copies already hold it cleared', () => {
		const { oldShard, newShard, id } = board();
		receiveDeal(newShard, { deal: readDeal(oldShard, id)!, ownerId: ha, at: 2_000 }, server);
		handOver(oldShard, { dealId: id, toOwnerId: ha, at: 2_000 }, server);
		// Offline on the old copy: the phone the card was created with is cleared.
		updateDealFields(oldShard, { dealId: id, customerPhone: null, at: 3_000 }, user);
		const from = () => readDeal(oldShard, id)!;
		const keys = ['customerPhone'];
		expect(forwardEdits(newShard, { from: from(), keys, at: 4_000 }, server)).toEqual(keys);
		expect(readDeal(newShard, id)!.customerPhone).toBeUndefined();
		let updates = 0;
		newShard.on('update', () => updates++);
		expect(forwardEdits(newShard, { from: from(), keys, at: 5_000 }, server)).toEqual([]);
		expect(updates).toBe(0);
		expect(readDeal(newShard, id)!.updatedAt).toBe(4_000);
	});
});
