import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CARD_BASE, CARD_PLACE, dealsMap } from './doc';
import { deleteStage, moveDeal, moveDealsFromDeletedStages } from './ops';
import { readDeal } from './read';
import { replica, sync, testBoard, user } from './testing/board';
import { cardViolations } from './testing/invariants';

// SPEC B26: where a card is (its stage, its key in the column, when it entered the stage) is one
// entry, written whole by every move.

/** Yjs structs (items and GC ranges) a document holds, over every client. */
const structs = (doc: Y.Doc) =>
	[...doc.store.clients.values()].reduce((n, list) => n + list.length, 0);

const placeOf = (doc: Y.Doc, id: string) => {
	const deal = readDeal(doc, id)!;
	return { stageId: deal.stageId, order: deal.order, stageEnteredAt: deal.stageEnteredAt };
};

describe('[B26] a card’s place is one entry', () => {
	it('is written whole by a move, and a reorder keeps when the card entered its stage', () => {
		const b = testBoard();
		const id = b.deal('Camera kho Bình Dương');
		const other = b.deal('Máy chấm công');
		const card = dealsMap(b.dealDoc).get(id)!;

		const before = structs(b.dealDoc);
		const movedAt = b.tick();
		moveDeal(b.scope, { dealId: id, toStageId: b.stageIds[1]!, at: movedAt }, user);
		// One Yjs item for stage, key and time: three fields, one entry.
		expect(structs(b.dealDoc)).toBe(before + 1);
		expect([...card.keys()].sort()).toEqual([CARD_BASE, CARD_PLACE]);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			stageId: b.stageIds[1],
			stageEnteredAt: movedAt
		});

		moveDeal(b.scope, { dealId: other, toStageId: b.stageIds[1]!, at: b.tick() }, user);
		const reorderedAt = b.tick();
		moveDeal(
			b.scope,
			{ dealId: id, toStageId: b.stageIds[1]!, after: other, at: reorderedAt },
			user
		);
		const deal = readDeal(b.dealDoc, id)!;
		expect(deal.stageEnteredAt).toBe(movedAt);
		expect(deal.order > readDeal(b.dealDoc, other)!.order).toBe(true);
		expect(cardViolations(b.dealDoc)).toEqual([]);
	});

	it('takes stage, key and time from one move when two replicas move a card at once (B4)', () => {
		const b = testBoard();
		const id = b.deal('Bàn ghế văn phòng');
		const first = b.deal('Tủ hồ sơ');
		b.deal('Kệ sách');
		// The higher client id wins concurrent writes of one entry: here, the reorder.
		const reorders = replica(b.dealDoc, 2_000_000);
		const moves = replica(b.dealDoc, 1_000_000);
		moveDeal(
			{ pipelineDoc: b.pipelineDoc, dealDoc: reorders },
			{ dealId: id, toStageId: b.stageIds[0]!, after: first, at: b.tick() },
			user
		);
		moveDeal(
			{ pipelineDoc: b.pipelineDoc, dealDoc: moves },
			{ dealId: id, toStageId: b.stageIds[2]!, at: b.tick() },
			user
		);
		const reordered = placeOf(reorders, id);
		sync(reorders, moves);
		// Field by field, the stage would have come from the move (the reorder did not write it)
		// and the key from the reorder: a key chosen among another column's cards.
		for (const doc of [reorders, moves]) expect(placeOf(doc, id)).toEqual(reordered);
		expect(reordered.stageId).toBe(b.stageIds[0]);
		expect(cardViolations(moves)).toEqual([]);
	});

	it('lets an own entry written by older code win, and the next move takes it away', () => {
		const b = testBoard();
		const id = b.deal('Máy phát điện');
		moveDeal(b.scope, { dealId: id, toStageId: b.stageIds[1]!, at: b.tick() }, user);
		const card = dealsMap(b.dealDoc).get(id)!;
		// A tab still running code from before B26 moves the card the old way, field by field.
		const oldTabAt = b.tick();
		b.dealDoc.transact(() => {
			card.set('stageId', b.stageIds[2]!);
			card.set('stageEnteredAt', oldTabAt);
		});
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			stageId: b.stageIds[2],
			stageEnteredAt: oldTabAt
		});

		const backAt = b.tick();
		moveDeal(b.scope, { dealId: id, toStageId: b.stageIds[0]!, at: backAt }, user);
		expect([...card.keys()].sort()).toEqual([CARD_BASE, CARD_PLACE]);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			stageId: b.stageIds[0],
			stageEnteredAt: backAt
		});
		expect(cardViolations(b.dealDoc)).toEqual([]);
	});

	it('moves a deleted stage’s cards with one entry each', () => {
		const b = testBoard();
		const ids = [b.deal('Sơn nhà xưởng'), b.deal('Sơn chống thấm')];
		const at = b.tick();
		deleteStage(
			b.pipelineDoc,
			{ stageId: b.stageIds[0]!, moveDealsTo: b.stageIds[1]!, dealDocs: [b.dealDoc], at },
			user
		);
		expect(moveDealsFromDeletedStages(b.scope, { at }, user)).toBe(2);
		for (const id of ids) {
			expect([...dealsMap(b.dealDoc).get(id)!.keys()].sort()).toEqual([CARD_BASE, CARD_PLACE]);
			expect(readDeal(b.dealDoc, id)).toMatchObject({ stageId: b.stageIds[1], stageEnteredAt: at });
		}
		expect(cardViolations(b.dealDoc)).toEqual([]);
	});

	it('reports a place entry that is not an object, or holds a key that is not one of its three', () => {
		const b = testBoard();
		const id = b.deal('Xe nâng');
		const other = b.deal('Pa lăng xích');
		dealsMap(b.dealDoc).get(id)!.set(CARD_PLACE, 'cột 2');
		dealsMap(b.dealDoc)
			.get(other)!
			.set(CARD_PLACE, { stageId: b.stageIds[1], title: 'không phải chỗ' });
		const violations = cardViolations(b.dealDoc);
		expect(violations).toContain(`deal ${id}: place entry is not an object`);
		expect(violations).toContain(`deal ${other}: orphan place field title`);
	});
});
