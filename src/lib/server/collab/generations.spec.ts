import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsMap } from '$lib/board/doc';
import {
	createDeal,
	moveDeal,
	removeDeal,
	setStar,
	setStatus,
	updateDealFields
} from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import { columns } from '$lib/board/read';
import { replica, testBoard, type TestBoard } from '$lib/board/testing/board';
import { Prng } from '$lib/board/testing/prng';
import {
	applyChanges,
	diff,
	freshCopy,
	generationOf,
	isStale,
	rebase,
	refersToUnknown
} from './generations';

// SPEC B23: a board shard rewritten without its history holds exactly what it held, and a
// replica of the old generation, rebased, ends where a merge without the rewrite would have.

const other: Origin = { kind: 'user', userId: '0190f4c2-0000-7000-8000-0000000000bb' };
const offline: Origin = { kind: 'user', userId: '0190f4c2-0000-7000-8000-0000000000cc' };

const cards = (doc: Y.Doc) => dealsMap(doc).toJSON();

/** Random deal ops whose choices depend only on the shard's content (ids sorted), so the same
 * seed makes the same edits on two documents holding the same deals, whatever their history. */
function randomDealOps(board: TestBoard, doc: Y.Doc, seed: number, n: number, origin: Origin) {
	const prng = new Prng(seed);
	const scope = { pipelineDoc: board.pipelineDoc, dealDoc: doc };
	let at = Date.UTC(2026, 5, 1) + seed * 1_000_000;
	for (let i = 0; i < n; i++) {
		at += 1000;
		const ids = [...dealsMap(doc).keys()].sort();
		const kind = ids.length === 0 ? 0 : prng.int(0, 9);
		const dealId = ids.length ? prng.pick(ids) : '';
		if (kind === 0) {
			createDeal(
				scope,
				{
					id: prng.uuid(),
					title: `Deal ${seed}-${i}`,
					stageId: prng.pick(board.stageIds),
					ownerId: board.ownerId,
					amount: prng.int(1, 900) * 1_000_000,
					// Half the cards start with a customer, so clearing one clears a creation value.
					...(prng.chance(0.5) ? { customerName: `Khách ${seed}-${i}` } : {}),
					at
				},
				origin
			);
		} else if (kind <= 4) {
			moveDeal(scope, { dealId, toStageId: prng.pick(board.stageIds), at }, origin);
		} else if (kind <= 6) {
			const edit = prng.int(0, 3);
			updateDealFields(
				doc,
				edit === 0
					? { dealId, title: `Sửa ${seed}-${i}`, at }
					: edit === 1
						? { dealId, amount: prng.int(1, 900) * 1_000_000, at }
						: // A customer typed or cleared (SPEC B25: null over a creation value).
							{ dealId, customerName: edit === 2 ? `Khách mới ${seed}-${i}` : null, at },
				origin
			);
		} else if (kind === 7) {
			setStar(doc, { dealId, starred: prng.chance(0.5), at }, origin);
		} else if (kind === 8) {
			const status = prng.pick(['open', 'won', 'lost'] as const);
			setStatus(doc, { dealId, status, lostReason: 'Giá cao', at }, origin);
		} else {
			removeDeal(doc, { dealId }, origin);
		}
	}
}

describe('freshCopy', () => {
	it('[B23] copies a moved shard exactly, without its history, as one new client', () => {
		const board = testBoard();
		const ids = Array.from({ length: 60 }, (_, i) => board.deal(`Deal ${i}`));
		randomDealOps(board, board.dealDoc, 7, 300, other);
		for (let i = 0; i < 8000; i++) {
			const dealId = ids[i % ids.length]!;
			if (!dealsMap(board.dealDoc).has(dealId)) continue;
			const toStageId = board.stageIds[i % board.stageIds.length]!;
			moveDeal(board.scope, { dealId, toStageId, at: board.tick() }, other);
		}
		const fresh = freshCopy(board.dealDoc)!;
		expect(fresh).not.toBeNull();
		expect(cards(fresh.copy)).toEqual(cards(board.dealDoc));
		expect(
			columns({ pipelineDoc: board.pipelineDoc, dealDocs: [fresh.copy] }).map((c) =>
				c.deals.map((d) => d.id)
			)
		).toEqual(
			columns({ pipelineDoc: board.pipelineDoc, dealDocs: [board.dealDoc] }).map((c) =>
				c.deals.map((d) => d.id)
			)
		);
		expect([...fresh.copy.store.clients.keys()]).toEqual([fresh.founder]);
		const before = Y.encodeStateAsUpdate(board.dealDoc).length;
		const after = Y.encodeStateAsUpdate(fresh.copy).length;
		expect(after * 2).toBeLessThan(before);
	});

	it('[B23] refuses what it cannot copy exactly, and an empty document', () => {
		const text = new Y.Doc();
		text.getText('notes').insert(0, 'Gọi lại thứ Hai');
		expect(freshCopy(text)).toBeNull();
		const nested = new Y.Doc();
		const entry = new Y.Map<unknown>();
		nested.getMap('tasks').set('t1', entry);
		entry.set('body', new Y.Text('x'));
		expect(freshCopy(nested)).toBeNull();
		expect(freshCopy(new Y.Doc())).toBeNull();
		// A document loaded from an update (roots not yet asked for by type) copies.
		const loaded = new Y.Doc();
		const board = testBoard();
		board.deal('Một');
		Y.applyUpdate(loaded, Y.encodeStateAsUpdate(board.dealDoc));
		expect(cards(freshCopy(loaded)!.copy)).toEqual(cards(board.dealDoc));
	});
});

describe('rebase', () => {
	// The world without a rewrite: the others' edits and the stale replica's merged by Yjs. The
	// world with one: the others' edits made on the fresh copy, the replica rebased onto it. The
	// replica's client id is the larger, so Yjs lets its value win a concurrent write of one
	// field, as the rebase (written last) does.
	it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
		'[B23] ends where a merge without the rewrite ends (seed %i)',
		(seed) => {
			const board = testBoard({ seed });
			for (let i = 0; i < 12; i++) board.deal(`Deal ${i}`);
			randomDealOps(board, board.dealDoc, seed * 10, 200, other);
			const archived = Y.encodeStateAsUpdate(board.dealDoc);

			const stale = replica(board.dealDoc, 4_000_000_000);
			randomDealOps(board, stale, seed * 10 + 1, 25, offline);

			const merged = replica(board.dealDoc, 100);
			const current = freshCopy(board.dealDoc)!.copy;
			current.clientID = 100;
			randomDealOps(board, merged, seed * 10 + 2, 25, other);
			randomDealOps(board, current, seed * 10 + 2, 25, other);
			expect(cards(current)).toEqual(cards(merged));

			Y.applyUpdate(merged, Y.encodeStateAsUpdate(stale));
			const { changes, archived: next } = rebase({
				archived,
				incoming: Y.encodeStateAsUpdate(stale)
			});
			current.transact(() => applyChanges(current, changes));
			expect(cards(current)).toEqual(cards(merged));

			// The archive now holds the replica: the same replica again carries nothing.
			expect(rebase({ archived: next, incoming: Y.encodeStateAsUpdate(stale) }).changes).toEqual(
				[]
			);
		}
	);

	it('[B23] carries a new card whole, a deletion, and leaves a card deleted meanwhile deleted', () => {
		const board = testBoard();
		const kept = board.deal('Giữ lại');
		const gone = board.deal('Xoá khi ngoại tuyến');
		const removedMeanwhile = board.deal('Xoá trên máy chủ');
		const archived = Y.encodeStateAsUpdate(board.dealDoc);
		const current = freshCopy(board.dealDoc)!.copy;
		removeDeal(current, { dealId: removedMeanwhile }, other);

		const stale = replica(board.dealDoc);
		const added = board.deal(
			'Tạo khi ngoại tuyến',
			{ amount: 12_000_000 },
			{
				pipelineDoc: board.pipelineDoc,
				dealDoc: stale
			}
		);
		removeDeal(stale, { dealId: gone }, offline);
		setStar(stale, { dealId: removedMeanwhile, starred: true }, offline);
		setStar(stale, { dealId: kept, starred: true }, offline);

		const { changes } = rebase({ archived, incoming: Y.encodeStateAsUpdate(stale) });
		// The new card, the deletion, and the kept card's star with its updatedAt; nothing into
		// the card deleted meanwhile.
		const written = applyChanges(current, changes);
		expect(written).toBe(4);
		const after = cards(current);
		expect(Object.keys(after).sort()).toEqual([added, kept].sort());
		expect(after[added]).toEqual(cards(stale)[added]);
		expect(after[kept]!.starred).toBe(true);
	});

	it('[B6][B23] never replaces a new card when the same copy is rebased twice', () => {
		// The server stopped between writing the rebase into the live shard and storing the
		// archive, so the client's retry carries the same changes again.
		const board = testBoard();
		board.deal('Có sẵn');
		const archived = Y.encodeStateAsUpdate(board.dealDoc);
		const current = freshCopy(board.dealDoc)!.copy;
		const stale = replica(board.dealDoc);
		const added = board.deal(
			'Tạo khi ngoại tuyến',
			{ amount: 5_000_000 },
			{ pipelineDoc: board.pipelineDoc, dealDoc: stale }
		);
		const { changes } = rebase({ archived, incoming: Y.encodeStateAsUpdate(stale) });
		current.transact(() => applyChanges(current, changes));
		const card = dealsMap(current).get(added);
		// Between the two, a colleague renames the card the first rebase made.
		updateDealFields(current, { dealId: added, title: 'Đổi tên trên máy chủ' }, other);
		const renamed = cards(current)[added];

		expect(applyChanges(current, changes)).toBe(0);
		expect(dealsMap(current).get(added)).toBe(card);
		expect(cards(current)[added]).toEqual(renamed);
	});

	it('[B23] diffs nothing between a document and itself', () => {
		const board = testBoard();
		board.deal('Một');
		expect(diff(board.dealDoc, replica(board.dealDoc))).toEqual([]);
	});
});

describe('telling an older generation apart', () => {
	const board = testBoard();
	board.deal('Một');
	const old = replica(board.dealDoc);
	const { copy, founder } = freshCopy(board.dealDoc)!;
	const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

	it('[B23] by its state vector: something, but not the founder', () => {
		expect(isStale(sv(old), founder)).toBe(true);
		expect(isStale(sv(copy), founder)).toBe(false);
		expect(isStale(sv(new Y.Doc()), founder)).toBe(false);
		expect(isStale(sv(old), null)).toBe(false);
		expect(
			generationOf(sv(old), [
				{ generation: 1, founder },
				{ generation: 0, founder: null }
			])
		).toBe(0);
		expect(generationOf(sv(replica(copy)), [{ generation: 1, founder }])).toBe(1);
	});

	it('[B23] by an update that refers to items the current generation never had', () => {
		const known = (c: number) => copy.store.clients.has(c);
		const capture = (doc: Y.Doc, fn: () => void) => {
			const updates: Uint8Array[] = [];
			const on = (u: Uint8Array) => updates.push(u);
			doc.on('update', on);
			fn();
			doc.off('update', on);
			return Y.decodeUpdate(Y.mergeUpdates(updates));
		};
		const dealId = [...dealsMap(old).keys()][0]!;
		expect(
			refersToUnknown(
				capture(old, () => setStar(old, { dealId, starred: true }, offline)),
				known
			)
		).toBe(true);
		expect(
			refersToUnknown(
				capture(old, () => removeDeal(old, { dealId }, offline)),
				known
			)
		).toBe(true);
		const fresh = replica(copy);
		expect(
			refersToUnknown(
				capture(fresh, () => setStar(fresh, { dealId, starred: true }, offline)),
				known
			)
		).toBe(false);
	});
});
