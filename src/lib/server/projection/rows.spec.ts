import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsMap, stagesMap } from '$lib/board/doc';
import { addStage, deleteStage, followCustomer, setStatus, updateDealFields } from '$lib/board/ops';
import { server, testBoard, user } from '$lib/board/testing/board';
import {
	boardRows,
	dealEvents,
	dealRow,
	sameDeal,
	shardRows,
	stageRows,
	type DealRow
} from './rows';

const orgId = '0190f4c2-0000-7000-8000-00000000000a';
const pipelineId = '0190f4c2-0000-7000-8000-00000000000b';

describe('stage rows', () => {
	it('[B11][B12] keep deleted stages, each pointing at the column that shows its deals', () => {
		const b = testBoard({ stages: ['Tiếp cận', 'Báo giá', 'Đàm phán'] });
		const [first, second, third] = b.stageIds as [string, string, string];
		deleteStage(b.pipelineDoc, { stageId: second, moveDealsTo: third }, user);
		deleteStage(b.pipelineDoc, { stageId: third, moveDealsTo: first }, user);
		const rows = stageRows({ pipelineDoc: b.pipelineDoc, orgId, pipelineId });
		const byId = new Map(rows.map((r) => [r.id, r]));
		expect(rows).toHaveLength(3);
		expect(byId.get(first)).toMatchObject({ columnId: first, deletedAt: null, mergedInto: null });
		expect(byId.get(third)).toMatchObject({ columnId: first, mergedInto: first });
		// Deleted into a stage deleted in turn: its deals show where that one's went.
		expect(byId.get(second)).toMatchObject({ columnId: first, mergedInto: third });
		expect(byId.get(second)!.deletedAt).toBeInstanceOf(Date);
		expect(byId.get(first)).toMatchObject({
			name: 'Tiếp cận',
			color: '#0f766e',
			winProbability: 10,
			rotDays: 7,
			orgId,
			pipelineId
		});
	});

	it('skips entries that are no stage and makes hostile values storable', () => {
		const b = testBoard({ stages: ['Tiếp cận'] });
		const id = b.id();
		addStage(b.pipelineDoc, { id, name: 'Báo giá' }, user);
		b.pipelineDoc.transact(() => {
			const stage = stagesMap(b.pipelineDoc).get(id)!;
			stage.set('name', 'Bá\0o giá');
			stage.set('color', 'red');
			stage.set('winProbability', 250);
			stage.set('rotDays', -3);
			stage.set('deletedAt', -1e20);
			stagesMap(b.pipelineDoc).set('không-phải-uuid', new Y.Map());
		});
		const rows = stageRows({ pipelineDoc: b.pipelineDoc, orgId, pipelineId });
		expect(rows.map((r) => r.id).sort()).toEqual([b.stageIds[0], id].sort());
		expect(rows.find((r) => r.id === id)).toMatchObject({
			name: 'Báo giá',
			color: '#64748b',
			winProbability: 100,
			rotDays: 0,
			deletedAt: new Date(0)
		});
	});
});

describe('deal rows', () => {
	it('hold what the card shows, with its shard as owner', () => {
		const b = testBoard();
		const dealId = b.deal('Máy lọc nước cho văn phòng', {
			amount: 12_500_000,
			customerName: 'Nguyễn Thị Hoa',
			customerPhone: '0912 345 678',
			starred: true
		});
		setStatus(b.dealDoc, { dealId, status: 'lost', lostReason: 'Giá cao', at: b.tick() }, user);
		const [row] = shardRows({ dealDoc: b.dealDoc, orgId, pipelineId, ownerId: b.ownerId });
		expect(row).toMatchObject({
			id: dealId,
			orgId,
			pipelineId,
			ownerId: b.ownerId,
			title: 'Máy lọc nước cho văn phòng',
			stageId: b.stageIds[0],
			customerId: null,
			customerName: 'Nguyễn Thị Hoa',
			customerPhone: '+84912345678',
			amount: 12_500_000,
			starred: true,
			status: 'lost',
			lostReason: 'Giá cao',
			standbyUntil: null,
			createdBy: user.kind === 'user' ? user.userId : null
		});
		expect(row!.createdAt.getTime()).toBe(Date.UTC(2026, 0, 5, 2, 0, 1));
		expect(row!.updatedAt.getTime()).toBe(Date.UTC(2026, 0, 5, 2, 0, 2));
	});

	it('make every value PostgreSQL would refuse storable, and skip what is no card', () => {
		const b = testBoard();
		const dealId = b.deal('Hợp đồng');
		b.dealDoc.transact(() => {
			const card = dealsMap(b.dealDoc).get(dealId)!;
			card.set('title', `${'x'.repeat(300)}\0`);
			card.set('stageId', 'cột-không-tồn-tại');
			card.set('customerId', "1' or '1'='1");
			card.set('customerPhone', 'gọi sau');
			card.set('amount', 1e30);
			card.set('createdAt', -5);
			card.set('updatedAt', 1e20);
			card.set('createdBy', 42);
			card.set('status', 'standby');
			card.set('standbyUntil', '2026-02-30');
			dealsMap(b.dealDoc).set(b.id(), 'không phải thẻ' as never);
			dealsMap(b.dealDoc).set('không-phải-uuid', new Y.Map());
		}, server);
		const rows = shardRows({ dealDoc: b.dealDoc, orgId, pipelineId, ownerId: b.ownerId });
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			title: 'x'.repeat(200),
			stageId: null,
			customerId: null,
			customerPhone: null,
			amount: 1_000_000_000_000_000,
			createdAt: new Date(0),
			updatedAt: new Date(0),
			createdBy: null,
			status: 'standby',
			standbyUntil: null
		});
	});

	it('[B16] keep one copy of a deal found in two shards: updated last, then greater owner', () => {
		const b = testBoard();
		const dealId = b.deal('Chuyển chủ');
		const card = dealsMap(b.dealDoc).get(dealId)!;
		const base = dealRow({ id: dealId, card, orgId, pipelineId, ownerId: b.ownerId })!;
		const copy = (ownerId: string, updatedAt: number): DealRow => ({
			...base,
			ownerId,
			updatedAt: new Date(updatedAt)
		});
		const low = '0190f4c2-0000-7000-8000-000000000001';
		const high = '0190f4c2-0000-7000-8000-000000000002';
		expect(boardRows([[copy(high, 1000)], [copy(low, 2000)]])[0]!.ownerId).toBe(low);
		expect(boardRows([[copy(low, 1000)], [copy(high, 1000)]])[0]!.ownerId).toBe(high);
		expect(boardRows([[copy(high, 1000)], [copy(low, 1000)]])[0]!.ownerId).toBe(high);
		expect(sameDeal(copy(low, 1000), copy(low, 1000))).toBe(true);
		expect(sameDeal(copy(low, 1000), copy(low, 1001))).toBe(false);
	});
});

describe('deal history', () => {
	it('[B24] records each change of the customer name a card shows, and none for the same name', () => {
		const b = testBoard();
		const dealId = b.deal('Rèm văn phòng', {
			customerName: 'Anh Tuấn',
			customerPhone: '0987654321'
		});
		const row = () => shardRows({ dealDoc: b.dealDoc, orgId, pipelineId, ownerId: b.ownerId })[0]!;
		const events = (before: DealRow, actorId: string | null) =>
			dealEvents({ before, after: row(), actorId, amountReason: null }).map((e) => [
				e.kind,
				e.fromValue,
				e.toValue,
				e.actorId
			]);

		// A record made from the card's own name: linked, same name, nothing to tell.
		let before = row();
		updateDealFields(b.dealDoc, { dealId, customerId: b.id() }, server);
		expect(events(before, null)).toEqual([]);

		// The phone was an existing customer's: the server's change, from the name typed.
		before = row();
		const customerId = b.id();
		followCustomer(b.dealDoc, { dealId, customerId, customerName: 'Công ty Tuấn Phát' }, server);
		expect(events(before, null)).toEqual([['customer', 'Anh Tuấn', 'Công ty Tuấn Phát', null]]);

		// A rep clears it, then types one with another change beside it.
		const rep = user.kind === 'user' ? user.userId : null;
		before = row();
		updateDealFields(b.dealDoc, { dealId, customerId: null, customerName: null }, user);
		expect(events(before, rep)).toEqual([['customer', 'Công ty Tuấn Phát', null, rep]]);
		before = row();
		updateDealFields(b.dealDoc, { dealId, customerName: 'Chị Hoa', amount: 5_000_000 }, user);
		expect(events(before, rep)).toEqual([
			['amount', '0', '5000000', rep],
			['customer', null, 'Chị Hoa', rep]
		]);
	});
});
