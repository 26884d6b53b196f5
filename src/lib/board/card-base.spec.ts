import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CARD_BASE, CARD_PLACE, cardField, dealsMap } from './doc';
import { moveDeal, setLastContact, setStatus, updateDealFields } from './ops';
import { readDeal } from './read';
import { replica, server, sync, testBoard, user } from './testing/board';
import { cardViolations } from './testing/invariants';

// SPEC B25: a card is created as one entry; later writes are entries of their own fields.

/** Yjs structs (items and GC ranges) a document holds, over every client. */
const structs = (doc: Y.Doc) =>
	[...doc.store.clients.values()].reduce((n, list) => n + list.length, 0);

describe('[B25] a card holds its fields as one creation entry plus what was written since', () => {
	it('is created as one entry, and a move adds one entry for where the card is (B26)', () => {
		const b = testBoard();
		const id = b.deal('Máy lọc nước Karofi', {
			customerName: 'Chị Lan',
			customerPhone: '0912 345 678',
			amount: 8_500_000
		});
		const card = dealsMap(b.dealDoc).get(id)!;
		expect([...card.keys()]).toEqual([CARD_BASE]);
		expect(cardField(card, 'customerPhone')).toBe('+84912345678');

		moveDeal(b.scope, { dealId: id, toStageId: b.stageIds[1]!, at: b.tick() }, user);
		expect([...card.keys()].sort()).toEqual([CARD_BASE, CARD_PLACE]);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			title: 'Máy lọc nước Karofi',
			stageId: b.stageIds[1],
			amount: 8_500_000
		});
		expect(cardViolations(b.dealDoc)).toEqual([]);
	});

	it('keeps a fresh 500-card shard at two Yjs items a card', () => {
		const b = testBoard();
		for (let i = 0; i < 500; i++) {
			b.deal(`Đơn hàng ${i}`, {
				customerName: `Khách ${i}`,
				customerPhone: `0912${String(i).padStart(6, '0')}`
			});
		}
		// The card's own item in `deals` and its `base`: one item per field would be ~15 a card.
		expect(structs(b.dealDoc)).toBe(1000);
	});

	it('clears a field the card was created with, and it stays cleared after a merge', () => {
		const b = testBoard();
		const id = b.deal('Điều hoà Daikin', { customerName: 'Anh Tú', customerPhone: '0987654321' });
		const other = replica(b.dealDoc);
		updateDealFields(b.dealDoc, { dealId: id, customerPhone: null, at: b.tick() }, user);
		// Meanwhile, elsewhere, another field of the same card.
		updateDealFields(other, { dealId: id, amount: 30_000_000, at: b.tick() }, user);
		sync(b.dealDoc, other);
		for (const doc of [b.dealDoc, other]) {
			const deal = readDeal(doc, id)!;
			expect(deal.customerPhone).toBeUndefined();
			expect(deal.customerName).toBe('Anh Tú');
			expect(deal.amount).toBe(30_000_000);
		}
		expect(cardViolations(b.dealDoc)).toEqual([]);
	});

	it('lets concurrent writes of different fields of a new card all win (B13)', () => {
		const b = testBoard();
		const id = b.deal('Bảo trì thang máy', { amount: 10_000_000 });
		const [x, y] = [replica(b.dealDoc), replica(b.dealDoc)];
		updateDealFields(x, { dealId: id, title: 'Bảo trì thang máy 2027', at: b.tick() }, user);
		setStatus(y, { dealId: id, status: 'lost', lostReason: 'Chọn bên khác', at: b.tick() }, user);
		setLastContact(b.dealDoc, { dealId: id, lastContactAt: 1_700_000_000_000 }, server);
		sync(b.dealDoc, x, y);
		for (const doc of [b.dealDoc, x, y]) {
			expect(readDeal(doc, id)).toMatchObject({
				title: 'Bảo trì thang máy 2027',
				status: 'lost',
				lostReason: 'Chọn bên khác',
				lastContactAt: 1_700_000_000_000,
				amount: 10_000_000
			});
		}
	});

	it('reads and writes a card stored before B25 (every field its own entry) the same way', () => {
		const b = testBoard();
		const id = b.id();
		const at = b.tick();
		const legacy = {
			title: 'Tủ lạnh Inverter',
			stageId: b.stageIds[0]!,
			order: 'a0' + '0'.repeat(23),
			customerName: 'Cô Hương',
			amount: 12_000_000,
			ownerId: b.ownerId,
			starred: false,
			status: 'open',
			createdAt: at,
			updatedAt: at,
			stageEnteredAt: at,
			createdBy: b.ownerId
		};
		b.dealDoc.transact(() => {
			const card = new Y.Map<unknown>();
			for (const [k, v] of Object.entries(legacy)) card.set(k, v);
			dealsMap(b.dealDoc).set(id, card);
		});
		expect(readDeal(b.dealDoc, id)).toEqual({ id, ...legacy });

		updateDealFields(b.dealDoc, { dealId: id, customerName: null, at: b.tick() }, user);
		moveDeal(b.scope, { dealId: id, toStageId: b.stageIds[2]!, at: b.tick() }, user);
		const card = dealsMap(b.dealDoc).get(id)!;
		// As before B25: the cleared field's entry is gone, no `base` appears. The move wrote
		// where the card is as one entry and took the three old entries away (B26).
		expect(card.has('customerName')).toBe(false);
		expect(card.has(CARD_BASE)).toBe(false);
		expect(card.has(CARD_PLACE)).toBe(true);
		for (const key of ['stageId', 'order', 'stageEnteredAt']) expect(card.has(key)).toBe(false);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			stageId: b.stageIds[2],
			amount: 12_000_000
		});
		expect(readDeal(b.dealDoc, id)!.customerName).toBeUndefined();
	});

	it('reports a creation entry that is not an object, or holds a key that is no field', () => {
		const b = testBoard();
		const id = b.deal('Hợp đồng bảo hiểm');
		const other = b.deal('Hợp đồng thuê xe');
		dealsMap(b.dealDoc).get(id)!.set(CARD_BASE, ['không', 'phải', 'object']);
		const base = dealsMap(b.dealDoc).get(other)!.get(CARD_BASE) as Record<string, unknown>;
		dealsMap(b.dealDoc)
			.get(other)!
			.set(CARD_BASE, { ...base, evil: true });
		const violations = cardViolations(b.dealDoc);
		expect(violations).toContain(`deal ${id}: creation entry is not an object`);
		expect(violations).toContain(`deal ${other}: orphan field evil`);
	});
});
