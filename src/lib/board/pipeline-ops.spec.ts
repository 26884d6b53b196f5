import { describe, expect, it } from 'vitest';
import { readAllStages, readSettings, readStages } from './doc';
import {
	addStage,
	deleteStage,
	moveStage,
	renameStage,
	setPipelineSettings,
	setStageFields
} from './ops';
import { refusal, testBoard, user } from './testing/board';

const names = (b: ReturnType<typeof testBoard>) => readStages(b.pipelineDoc).map((s) => s.name);

describe('stages', () => {
	it('[B10] adds a stage at the end by default, with default colour, probability and rot days', () => {
		const b = testBoard();
		const id = b.id();
		addStage(b.pipelineDoc, { id, name: 'Ký hợp đồng' }, user);
		expect(names(b)).toEqual(['Tiếp cận', 'Báo giá', 'Đàm phán', 'Ký hợp đồng']);
		expect(readStages(b.pipelineDoc).at(-1)).toMatchObject({
			id,
			color: '#64748b',
			winProbability: 0,
			rotDays: 0
		});
	});

	it('[B10] adds a stage right after or right before another', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds;
		addStage(b.pipelineDoc, { id: b.id(), name: 'Sau 1', after: s1 }, user);
		addStage(b.pipelineDoc, { id: b.id(), name: 'Trước 2', before: s2 }, user);
		expect(names(b)).toEqual(['Tiếp cận', 'Sau 1', 'Trước 2', 'Báo giá', 'Đàm phán']);
	});

	it('[B10] reorders a stage between two others, to the front and to the end', () => {
		const b = testBoard();
		const [s1, s2, s3] = b.stageIds;
		moveStage(b.pipelineDoc, { stageId: s3!, after: s1, before: s2 }, user);
		expect(names(b)).toEqual(['Tiếp cận', 'Đàm phán', 'Báo giá']);
		moveStage(b.pipelineDoc, { stageId: s2!, before: s1 }, user);
		expect(names(b)).toEqual(['Báo giá', 'Tiếp cận', 'Đàm phán']);
		moveStage(b.pipelineDoc, { stageId: s2! }, user);
		expect(names(b)).toEqual(['Tiếp cận', 'Đàm phán', 'Báo giá']);
	});

	it('[B10] renames and sets colour, win probability and rot days; stores names exactly', () => {
		const b = testBoard();
		const [s1] = b.stageIds;
		const hostile = '<img src=x onerror=alert(1)> 🚀 \u202Eđảo';
		renameStage(b.pipelineDoc, { stageId: s1!, name: hostile }, user);
		setStageFields(
			b.pipelineDoc,
			{ stageId: s1!, color: '#AABBCC', winProbability: 35, rotDays: 14 },
			user
		);
		expect(readStages(b.pipelineDoc)[0]).toMatchObject({
			name: hostile,
			color: '#aabbcc',
			winProbability: 35,
			rotDays: 14
		});
	});

	it('[B10] refuses bad stage input with a code and field, writing nothing', () => {
		const b = testBoard();
		const [s1] = b.stageIds;
		const P = [b.pipelineDoc];
		expect(refusal(P, () => addStage(b.pipelineDoc, { id: 's9', name: 'X' }, user))).toEqual({
			code: 'invalid_id',
			field: 'id',
			updates: 0
		});
		expect(refusal(P, () => addStage(b.pipelineDoc, { id: s1!, name: 'X' }, user)).code).toBe(
			'stage_exists'
		);
		expect(
			refusal(P, () => renameStage(b.pipelineDoc, { stageId: s1!, name: '  ' }, user))
		).toMatchObject({
			code: 'required',
			field: 'name'
		});
		expect(
			refusal(P, () => renameStage(b.pipelineDoc, { stageId: s1!, name: 'x'.repeat(101) }, user))
		).toMatchObject({ code: 'too_long', field: 'name' });
		for (const [patch, code] of [
			[{ color: 'red' }, 'invalid_color'],
			[{ winProbability: 101 }, 'invalid_probability'],
			[{ winProbability: 12.5 }, 'invalid_probability'],
			[{ rotDays: -1 }, 'invalid_rot_days']
		] as const) {
			expect(
				refusal(P, () => setStageFields(b.pipelineDoc, { stageId: s1!, ...patch }, user))
			).toMatchObject({
				code,
				updates: 0
			});
		}
		expect(
			refusal(P, () => moveStage(b.pipelineDoc, { stageId: s1!, after: b.id() }, user))
		).toMatchObject({ code: 'stage_not_found', field: 'after' });
		expect(
			refusal(P, () => renameStage(b.pipelineDoc, { stageId: b.id(), name: 'X' }, user)).code
		).toBe('stage_not_found');
	});

	it('[B2] sets pipeline settings and refuses unknown values', () => {
		const b = testBoard();
		expect(readSettings(b.pipelineDoc)).toEqual({
			name: 'Bán hàng',
			visibility: 'all',
			editing: 'own'
		});
		setPipelineSettings(b.pipelineDoc, { name: 'Dự án', visibility: 'own', editing: 'all' }, user);
		expect(readSettings(b.pipelineDoc)).toEqual({
			name: 'Dự án',
			visibility: 'own',
			editing: 'all'
		});
		expect(
			refusal([b.pipelineDoc], () =>
				setPipelineSettings(b.pipelineDoc, { visibility: 'team' as 'all' }, user)
			)
		).toEqual({ code: 'invalid_setting', field: 'visibility', updates: 0 });
	});
});

describe('deleting a stage', () => {
	it('[B11] keeps the stage as a tombstone pointing at the target, and hides it', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds;
		b.deal('Trong giai đoạn 1', { stageId: s1 });
		deleteStage(
			b.pipelineDoc,
			{ stageId: s1!, moveDealsTo: s2!, dealDocs: [b.dealDoc], at: 42 },
			user
		);
		expect(names(b)).toEqual(['Báo giá', 'Đàm phán']);
		expect(readAllStages(b.pipelineDoc).find((s) => s.id === s1)).toMatchObject({
			deletedAt: 42,
			mergedInto: s2
		});
	});

	it('[B11] needs a target when a given shard holds deals in the stage', () => {
		const b = testBoard();
		const [s1] = b.stageIds;
		b.deal('Đang chờ', { stageId: s1 });
		expect(
			refusal([b.pipelineDoc], () =>
				deleteStage(b.pipelineDoc, { stageId: s1!, dealDocs: [b.dealDoc] }, user)
			)
		).toEqual({ code: 'stage_not_empty', field: 'moveDealsTo', updates: 0 });
	});

	it('[B11] deletes an empty stage without a target', () => {
		const b = testBoard();
		const [, s2] = b.stageIds;
		b.deal('Ở giai đoạn 1');
		deleteStage(b.pipelineDoc, { stageId: s2!, dealDocs: [b.dealDoc] }, user);
		expect(names(b)).toEqual(['Tiếp cận', 'Đàm phán']);
	});

	it('[B11] refuses a target that is the stage itself or not shown, and the last stage', () => {
		const b = testBoard({ stages: ['Một', 'Hai'] });
		const [s1, s2] = b.stageIds;
		const P = [b.pipelineDoc];
		expect(
			refusal(P, () => deleteStage(b.pipelineDoc, { stageId: s1!, moveDealsTo: s1! }, user)).code
		).toBe('invalid_target');
		expect(
			refusal(P, () => deleteStage(b.pipelineDoc, { stageId: s1!, moveDealsTo: b.id() }, user)).code
		).toBe('invalid_target');
		deleteStage(b.pipelineDoc, { stageId: s1! }, user);
		expect(refusal(P, () => deleteStage(b.pipelineDoc, { stageId: s2! }, user))).toMatchObject({
			code: 'last_stage',
			updates: 0
		});
		expect(
			refusal(P, () => renameStage(b.pipelineDoc, { stageId: s1!, name: 'Hồi sinh' }, user)).code
		).toBe('stage_not_found');
		expect(refusal(P, () => addStage(b.pipelineDoc, { id: s1!, name: 'Lại' }, user)).code).toBe(
			'stage_exists'
		);
	});
});
