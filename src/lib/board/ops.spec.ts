import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readStages } from './doc';
import {
	addStage,
	createDeal,
	deleteStage,
	initPipeline,
	moveDeal,
	moveStage,
	removeDeal,
	renameStage,
	setPipelineSettings,
	setStageFields,
	setStar,
	setStatus,
	updateDealFields
} from './ops';
import type { Origin } from './origin';
import { testBoard, updatesDuring, user } from './testing/board';
import { Prng } from './testing/prng';

describe('initPipeline', () => {
	it('[B8] keeps the given stage order through fractional keys, and survives a round trip', () => {
		const prng = new Prng(1);
		const doc = new Y.Doc();
		const ids = [prng.uuid(), prng.uuid(), prng.uuid()].sort().reverse(); // order cannot come from ids
		const stages = ['Tiếp cận', 'Báo giá', 'Chốt'].map((name, i) => ({
			id: ids[i]!,
			name,
			color: '#0f766e',
			winProbability: (i + 1) * 30,
			rotDays: 7
		}));
		initPipeline(doc, { name: 'Bán hàng', stages }, { kind: 'server', reason: 'test' });
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		expect(readStages(copy).map((s) => s.name)).toEqual(['Tiếp cận', 'Báo giá', 'Chốt']);
	});

	it('[B5] tags the transaction with its origin', () => {
		const doc = new Y.Doc();
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr) => origins.push(tr.origin));
		const origin = { kind: 'job', job: 'seed' } as const;
		initPipeline(doc, { name: 'P', stages: [] }, origin);
		expect(origins).toEqual([origin]);
	});

	it('[B5] refuses a stage with a bad field and writes nothing', () => {
		const doc = new Y.Doc();
		const stage = {
			id: new Prng(2).uuid(),
			name: 'A',
			color: 'teal',
			winProbability: 10,
			rotDays: 0
		};
		expect(() =>
			initPipeline(doc, { name: 'P', stages: [stage] }, { kind: 'server', reason: 'test' })
		).toThrow(expect.objectContaining({ code: 'invalid_color', field: 'color' }));
		expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Y.Doc()));
	});
});

describe('every operation', () => {
	// Each op once, valid, on a fresh board: [name, docs it may touch, run].
	function cases() {
		const b = testBoard();
		const dealId = b.deal('Hợp đồng bảo trì');
		const [s1, s2] = b.stageIds;
		const P = b.pipelineDoc;
		const D = b.dealDoc;
		return {
			b,
			list: [
				['addStage', (o: Origin) => addStage(P, { id: b.id(), name: 'Mới' }, o)],
				['renameStage', (o: Origin) => renameStage(P, { stageId: s1!, name: 'Đổi tên' }, o)],
				['moveStage', (o: Origin) => moveStage(P, { stageId: s1!, after: s2! }, o)],
				['setStageFields', (o: Origin) => setStageFields(P, { stageId: s1!, rotDays: 3 }, o)],
				['deleteStage', (o: Origin) => deleteStage(P, { stageId: s2!, dealDocs: [D] }, o)],
				['setPipelineSettings', (o: Origin) => setPipelineSettings(P, { visibility: 'own' }, o)],
				[
					'createDeal',
					(o: Origin) =>
						createDeal(b.scope, { id: b.id(), title: 'X', stageId: s1!, ownerId: b.ownerId }, o)
				],
				['moveDeal', (o: Origin) => moveDeal(b.scope, { dealId, toStageId: s2! }, o)],
				['updateDealFields', (o: Origin) => updateDealFields(D, { dealId, amount: 5 }, o)],
				['setStar', (o: Origin) => setStar(D, { dealId, starred: true }, o)],
				['setStatus', (o: Origin) => setStatus(D, { dealId, status: 'won' }, o)],
				['removeDeal', (o: Origin) => removeDeal(D, { dealId }, o)]
			] as const
		};
	}

	it('[B5] runs in exactly one transaction, tagged with the caller’s origin', () => {
		for (const [name] of cases().list) {
			const { b, list } = cases();
			const run = list.find(([n]) => n === name)![1];
			const origins: unknown[] = [];
			for (const d of [b.pipelineDoc, b.dealDoc])
				d.on('afterTransaction', (tr) => origins.push(tr.origin));
			const origin: Origin = { kind: 'user', userId: b.id() };
			run(origin);
			expect(origins, name).toEqual([origin]);
		}
	});

	it('[B5] writes nothing when run again with the same input (a no-op)', () => {
		const noops = [
			'renameStage',
			'setStageFields',
			'setPipelineSettings',
			'updateDealFields',
			'setStar',
			'setStatus'
		];
		const { b, list } = cases();
		for (const [name, run] of list.filter(([n]) => noops.includes(n))) {
			run(user);
			expect(
				updatesDuring([b.pipelineDoc, b.dealDoc], () => run(user)),
				name
			).toBe(0);
		}
	});
});
