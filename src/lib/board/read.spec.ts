import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName, dealsMap, parseBoardDocName, pipelineDocName } from './doc';
import { moveDeal, setStatus, updateDealFields } from './ops';
import { columns, isRotting, readCard, readDeals, stageIndex } from './read';
import { testBoard, user } from './testing/board';

describe('reading a board', () => {
	it('[B16] readDeals sorts by stage id, then order key, then deal id', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds as [string, string];
		b.deal('B', { stageId: s2 });
		b.deal('A2', { stageId: s1 });
		b.deal('A1', { stageId: s1, before: readDeals(b.dealDoc).find((d) => d.title === 'A2')!.id });
		const bySid = s1 < s2 ? ['A1', 'A2', 'B'] : ['B', 'A1', 'A2'];
		expect(readDeals(b.dealDoc).map((d) => d.title)).toEqual(bySid);
	});

	it('[B15] gives each column its count, total and weighted expected amount', () => {
		const b = testBoard(); // win probabilities 10 %, 40 %, 70 %
		const [s1, s2] = b.stageIds as [string, string];
		b.deal('Mở', { stageId: s2, amount: 10_000_000 });
		const won = b.deal('Thắng', { stageId: s2, amount: 3_000_000 });
		const lost = b.deal('Thua', { stageId: s2, amount: 50_000_000 });
		const standby = b.deal('Tạm dừng', { stageId: s2, amount: 1_000_001 });
		setStatus(b.dealDoc, { dealId: won, status: 'won' }, user);
		setStatus(b.dealDoc, { dealId: lost, status: 'lost', lostReason: 'Hết ngân sách' }, user);
		setStatus(b.dealDoc, { dealId: standby, status: 'standby', standbyUntil: '2026-09-01' }, user);
		const [c1, c2] = columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc] });
		expect(c1).toMatchObject({ count: 0, total: 0, weighted: 0, stage: { id: s1 } });
		// 10M×40 % + 3M×100 % + 50M×0 % + 1,000,001×40 % = 7,400,000.4 → rounded once.
		expect(c2).toMatchObject({ count: 4, total: 64_000_001, weighted: 7_400_000 });
		const open = columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc], statuses: ['open'] });
		expect(open[1]).toMatchObject({ count: 1, total: 10_000_000, weighted: 4_000_000 });
	});

	it('[B16] interleaves the cards of several owners’ shards by order key', () => {
		const b = testBoard();
		const [s1] = b.stageIds as [string];
		const theirs = new Y.Doc();
		const t = { pipelineDoc: b.pipelineDoc, dealDoc: theirs };
		const a = b.deal('Tôi 1');
		const z = b.deal('Tôi 2');
		b.deal('Hà', { ownerId: b.id(), after: a, before: z }, { ...t, dealDocs: [b.dealDoc] });
		const col = columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc, theirs] })[0]!;
		expect(col.stage.id).toBe(s1);
		expect(col.deals.map((d) => d.title)).toEqual(['Tôi 1', 'Hà', 'Tôi 2']);
	});

	it('[B16] shows a deal found in two shards once: the copy updated last', () => {
		const b = testBoard();
		const id = b.deal('Bản cũ', { at: 1000 });
		const newShard = new Y.Doc();
		Y.applyUpdate(newShard, Y.encodeStateAsUpdate(b.dealDoc));
		updateDealFields(newShard, { dealId: id, title: 'Bản mới', at: 2000 }, user);
		const cols = columns({ pipelineDoc: b.pipelineDoc, dealDocs: [newShard, b.dealDoc] });
		expect(cols.flatMap((c) => c.deals.map((d) => d.title))).toEqual(['Bản mới']);
		expect(cols[0]!.count).toBe(1);
	});

	it('[B12] shows a deal naming an unknown stage in the first column; no stages, no columns', () => {
		const b = testBoard();
		const id = b.deal('Lạc');
		dealsMap(b.dealDoc).get(id)!.set('stageId', b.id());
		expect(
			columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc] })[0]!.deals.map((d) => d.id)
		).toEqual([id]);
		const empty = new Y.Doc();
		expect(columns({ pipelineDoc: empty, dealDocs: [b.dealDoc] })).toEqual([]);
		expect(stageIndex(empty).resolve(b.stageIds[0]!)).toBeNull();
	});

	it('[B16] reads whatever a card holds without throwing, with safe defaults', () => {
		const card = new Y.Map<unknown>();
		const doc = new Y.Doc();
		doc.getMap('x').set('c', card);
		card.set('title', 42);
		card.set('amount', 'nhiều');
		card.set('status', 'deleted');
		card.set('starred', 'yes');
		card.set('lostReason', 'không hiện khi chưa thua');
		card.set('extra', { evil: true });
		expect(readCard('id', card)).toEqual({
			id: 'id',
			title: '',
			stageId: '',
			order: '',
			amount: 0,
			ownerId: '',
			starred: false,
			status: 'open',
			createdAt: 0,
			updatedAt: 0,
			stageEnteredAt: 0,
			createdBy: ''
		});
	});

	it('[B16] flags an open deal that sat in its stage longer than the rot days', () => {
		const b = testBoard(); // rot days 7
		const [s1] = b.stageIds as [string];
		const day = 24 * 60 * 60 * 1000;
		const id = b.deal('Lâu', { at: 0 });
		const stage = stageIndex(b.pipelineDoc).stages[0]!;
		const deal = () => readDeals(b.dealDoc).find((d) => d.id === id)!;
		expect(isRotting({ deal: deal(), stage, now: 7 * day })).toBe(false);
		expect(isRotting({ deal: deal(), stage, now: 7 * day + 1 })).toBe(true);
		expect(isRotting({ deal: deal(), stage: { ...stage, rotDays: 0 }, now: 100 * day })).toBe(
			false
		);
		moveDeal(b.scope, { dealId: id, toStageId: b.stageIds[1]!, at: 7 * day }, user);
		moveDeal(b.scope, { dealId: id, toStageId: s1, at: 8 * day }, user);
		expect(isRotting({ deal: deal(), stage, now: 10 * day })).toBe(false);
		setStatus(b.dealDoc, { dealId: id, status: 'won' }, user);
		expect(isRotting({ deal: deal(), stage, now: 100 * day })).toBe(false);
	});
});

describe('document names', () => {
	it('[B1] names documents and parses exactly the two board forms', () => {
		const p = '0190f4c2-a08f-7f49-a6f7-72632716c430';
		const o = '0190f4c2-69c4-73a8-b3b7-cf3c25632b92';
		expect(pipelineDocName(p)).toBe(`pipeline:${p}`);
		expect(dealsDocName(p, o)).toBe(`deals:${p}:${o}`);
		expect(parseBoardDocName(`pipeline:${p}`)).toEqual({ kind: 'pipeline', pipelineId: p });
		expect(parseBoardDocName(`deals:${p}:${o}`)).toEqual({
			kind: 'deals',
			pipelineId: p,
			ownerId: o
		});
		for (const bad of [
			`deal:${p}`,
			`pipeline:${p}:x`,
			`deals:${p}`,
			`pipeline:${p.toUpperCase()}`,
			`deals:${p}:${o}\n`,
			'pipeline:../../etc'
		]) {
			expect(parseBoardDocName(bad), bad).toBeNull();
		}
	});
});
