import { describe, expect, it } from 'vitest';
import { readStages } from './doc';
import { receiveDeal, setLastContact, setStageFields, setStatus, updateDealFields } from './ops';
import { idleDays, isRotting, readDeal } from './read';
import { refusal, server, testBoard, updatesDuring, user } from './testing/board';
import * as Y from 'yjs';

const DAY = 86_400_000;

describe('setLastContact', () => {
	it('[B22] writes the copy for the server only, without touching updatedAt', () => {
		const b = testBoard();
		const id = b.deal('Camera kho Long An', { at: 1000 });
		expect(
			refusal([b.dealDoc], () =>
				setLastContact(b.dealDoc, { dealId: id, lastContactAt: 5000 }, user)
			)
		).toEqual({ code: 'forbidden', field: 'lastContactAt', updates: 0 });
		expect(setLastContact(b.dealDoc, { dealId: id, lastContactAt: 5000 }, server)).toBe(true);
		expect(readDeal(b.dealDoc, id)).toMatchObject({ lastContactAt: 5000, updatedAt: 1000 });
	});

	it('[B22] writes nothing when the card already holds the value, and null removes it', () => {
		const b = testBoard();
		const id = b.deal('Máy lọc nước');
		setLastContact(b.dealDoc, { dealId: id, lastContactAt: 5000 }, server);
		expect(
			updatesDuring([b.dealDoc], () =>
				setLastContact(b.dealDoc, { dealId: id, lastContactAt: 5000 }, server)
			)
		).toBe(0);
		setLastContact(b.dealDoc, { dealId: id, lastContactAt: null }, server);
		expect(readDeal(b.dealDoc, id)!.lastContactAt).toBeUndefined();
		expect(
			updatesDuring([b.dealDoc], () =>
				setLastContact(b.dealDoc, { dealId: id, lastContactAt: null }, server)
			)
		).toBe(0);
	});

	it('[B22] refuses a time that is not one, and a deal that is not there', () => {
		const b = testBoard();
		const id = b.deal('Sơn nhà xưởng');
		const refused = (dealId: string, lastContactAt: number) =>
			refusal([b.dealDoc], () => setLastContact(b.dealDoc, { dealId, lastContactAt }, server));
		expect(refused(id, -1)).toMatchObject({ code: 'invalid_time', updates: 0 });
		expect(refused(id, 1.5)).toMatchObject({ code: 'invalid_time', updates: 0 });
		expect(refused(b.id(), 1)).toMatchObject({ code: 'deal_not_found', updates: 0 });
	});

	it('[B22] goes with the deal to its new owner (B19)', () => {
		const b = testBoard();
		const id = b.deal('Bảo trì thang máy');
		setLastContact(b.dealDoc, { dealId: id, lastContactAt: 7000 }, server);
		const other = new Y.Doc();
		receiveDeal(other, { deal: readDeal(b.dealDoc, id)!, ownerId: b.id() }, server);
		expect(readDeal(other, id)!.lastContactAt).toBe(7000);
	});
});

describe('idleDays', () => {
	const board = () => {
		const b = testBoard();
		const stage = readStages(b.pipelineDoc)[0]!; // rot days 7
		const createdAt = Date.UTC(2026, 0, 1);
		const id = b.deal('Nội thất văn phòng', { at: createdAt });
		return { b, stage, id, createdAt };
	};

	it('[B22] counts from the last contact, or from creation when there was none', () => {
		const { b, stage, id, createdAt } = board();
		const deal = () => readDeal(b.dealDoc, id)!;
		expect(idleDays({ deal: deal(), stage, now: createdAt + 7 * DAY })).toBeNull();
		expect(idleDays({ deal: deal(), stage, now: createdAt + 12 * DAY + 5 })).toBe(12);
		setLastContact(b.dealDoc, { dealId: id, lastContactAt: createdAt + 10 * DAY }, server);
		expect(idleDays({ deal: deal(), stage, now: createdAt + 12 * DAY })).toBeNull();
		expect(idleDays({ deal: deal(), stage, now: createdAt + 19 * DAY })).toBe(9);
	});

	it('[B22] is not the time since the last edit, nor the time in the stage', () => {
		const { b, stage, id, createdAt } = board();
		const now = createdAt + 20 * DAY;
		// Edited yesterday, moved nowhere, never contacted: idle, and rotting for its own reason.
		updateDealFields(b.dealDoc, { dealId: id, amount: 5_000_000, at: now - DAY }, user);
		const deal = readDeal(b.dealDoc, id)!;
		expect(idleDays({ deal, stage, now })).toBe(20);
		// Contacted yesterday: not idle, still rotting in its stage.
		setLastContact(b.dealDoc, { dealId: id, lastContactAt: now - DAY }, server);
		const contacted = readDeal(b.dealDoc, id)!;
		expect(idleDays({ deal: contacted, stage, now })).toBeNull();
		expect(isRotting({ deal: contacted, stage, now })).toBe(true);
	});

	it('[B22] leaves closed deals and stages without rot days alone', () => {
		const { b, stage, id, createdAt } = board();
		const now = createdAt + 30 * DAY;
		setStageFields(b.pipelineDoc, { stageId: stage.id, rotDays: 0 }, user);
		expect(
			idleDays({ deal: readDeal(b.dealDoc, id)!, stage: readStages(b.pipelineDoc)[0]!, now })
		).toBeNull();
		setStatus(b.dealDoc, { dealId: id, status: 'won' }, user);
		expect(idleDays({ deal: readDeal(b.dealDoc, id)!, stage, now })).toBeNull();
	});
});
