import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardField, dealsMap, readAllStages } from './doc';
import {
	createDeal,
	deleteStage,
	followCustomer,
	moveDeal,
	moveDealsFromDeletedStages,
	removeDeal,
	setStar,
	setStatus,
	updateDealFields
} from './ops';
import { columns, readDeal } from './read';
import { refusal, server, testBoard, updatesDuring, user, userId } from './testing/board';

const column = (b: ReturnType<typeof testBoard>, stageId: string, dealDocs = [b.dealDoc]) =>
	columns({ pipelineDoc: b.pipelineDoc, dealDocs })
		.find((c) => c.stage.id === stageId)!
		.deals.map((d) => d.title);

describe('createDeal', () => {
	it('[B13] stores text exactly, the phone normalised, and sensible defaults', () => {
		const b = testBoard();
		const title = '<script>alert("x")</script> \'; DROP TABLE deals; -- 🚀 \u202Eđảo';
		const id = b.deal(title, {
			customerName: 'Nguyễn Văn An',
			customerPhone: '0912 345 678',
			at: 1000
		});
		expect(readDeal(b.dealDoc, id)).toEqual({
			id,
			title,
			stageId: b.stageIds[0],
			order: expect.any(String),
			customerName: 'Nguyễn Văn An',
			customerPhone: '+84912345678',
			amount: 0,
			ownerId: b.ownerId,
			starred: false,
			status: 'open',
			createdAt: 1000,
			updatedAt: 1000,
			stageEnteredAt: 1000,
			createdBy: userId
		});
	});

	it('[B7] goes to the end of its column, or right after / before the given neighbour', () => {
		const b = testBoard();
		const s = b.stageIds[0]!;
		const a = b.deal('A');
		const c = b.deal('C');
		b.deal('B', { after: a });
		b.deal('0', { before: a });
		const d = b.deal('D', { after: c });
		b.deal('C½', { after: c, before: d });
		expect(column(b, s)).toEqual(['0', 'A', 'B', 'C', 'C½', 'D']);
	});

	it('[B6] refuses an id the shard already holds, and leaves the card as it was', () => {
		const b = testBoard();
		const id = b.deal('Gốc');
		expect(refusal([b.dealDoc], () => b.deal('Thay thế', { id }))).toEqual({
			code: 'deal_exists',
			field: 'id',
			updates: 0
		});
		expect(readDeal(b.dealDoc, id)?.title).toBe('Gốc');
	});

	it('[B13] refuses bad input with the field at fault, writing nothing', () => {
		const b = testBoard();
		const D = [b.dealDoc];
		const cases: [Record<string, unknown>, string, string][] = [
			[{ id: 'deal-1' }, 'invalid_id', 'id'],
			[{ title: '   ' }, 'required', 'title'],
			[{ title: 'x'.repeat(201) }, 'too_long', 'title'],
			[{ customerPhone: 'gọi sau' }, 'invalid_phone', 'customerPhone'],
			[{ amount: 1.5 }, 'invalid_amount', 'amount'],
			[{ amount: -1 }, 'invalid_amount', 'amount'],
			[{ amount: 1e16 }, 'invalid_amount', 'amount'],
			[{ ownerId: 'me' }, 'invalid_id', 'ownerId'],
			[{ stageId: b.id() }, 'stage_not_found', 'stageId'],
			[{ after: b.id() }, 'neighbour_not_found', 'after'],
			[{ at: -5 }, 'invalid_time', 'at']
		];
		for (const [input, code, field] of cases) {
			expect(
				refusal(D, () => b.deal('Hợp lệ', input)),
				JSON.stringify(input)
			).toEqual({
				code,
				field,
				updates: 0
			});
		}
		// A server or job origin has no user to credit.
		expect(
			refusal(D, () =>
				createDeal(
					b.scope,
					{ id: b.id(), title: 'X', stageId: b.stageIds[0]!, ownerId: b.ownerId },
					server
				)
			)
		).toMatchObject({ code: 'invalid_id', field: 'createdBy' });
	});

	it('[B10] refuses a deleted stage', () => {
		const b = testBoard();
		const [s1] = b.stageIds;
		deleteStage(b.pipelineDoc, { stageId: s1!, dealDocs: [b.dealDoc] }, user);
		expect(refusal([b.dealDoc], () => b.deal('X', { stageId: s1 })).code).toBe('stage_not_found');
	});
});

describe('moveDeal', () => {
	it('[B7] moves between two neighbours, after one, before one, or to the end', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds as [string, string];
		const [a, x, c] = ['A', 'X', 'C'].map((t) => b.deal(t, { stageId: s2 }));
		const m = b.deal('M', { stageId: s1 });
		moveDeal(b.scope, { dealId: m, toStageId: s2, after: a, before: x }, user);
		expect(column(b, s2)).toEqual(['A', 'M', 'X', 'C']);
		moveDeal(b.scope, { dealId: m, toStageId: s2, after: x }, user);
		expect(column(b, s2)).toEqual(['A', 'X', 'M', 'C']);
		moveDeal(b.scope, { dealId: m, toStageId: s2, before: a }, user);
		expect(column(b, s2)).toEqual(['M', 'A', 'X', 'C']);
		moveDeal(b.scope, { dealId: m, toStageId: s2 }, user);
		expect(column(b, s2)).toEqual(['A', 'X', 'C', 'M']);
		expect(column(b, s1)).toEqual([]);
		void c;
	});

	it('[B7] dates a stage change in stageEnteredAt and leaves updatedAt alone', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds as [string, string];
		const id = b.deal('Báo giá máy lạnh', { stageId: s1, at: 1000 });
		const other = b.deal('Khác', { stageId: s1, at: 1500 });
		moveDeal(b.scope, { dealId: id, toStageId: s1, after: other, at: 2000 }, user);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			stageId: s1,
			stageEnteredAt: 1000,
			updatedAt: 1000
		});
		moveDeal(b.scope, { dealId: id, toStageId: s2, at: 3000 }, user);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			stageId: s2,
			stageEnteredAt: 3000,
			updatedAt: 1000
		});
	});

	it('[B7] writes nothing when the deal already sits where it is asked to go', () => {
		const b = testBoard();
		const [s1] = b.stageIds as [string];
		const a = b.deal('A');
		const m = b.deal('M');
		const c = b.deal('C');
		const n = updatesDuring([b.dealDoc], () => {
			moveDeal(b.scope, { dealId: m, toStageId: s1, after: a, before: c }, user);
			moveDeal(b.scope, { dealId: m, toStageId: s1, after: a }, user);
			moveDeal(b.scope, { dealId: c, toStageId: s1 }, user);
		});
		expect(n).toBe(0);
	});

	it('[B16] places a deal between neighbours that live in another owner’s shard', () => {
		const b = testBoard();
		const [s1] = b.stageIds as [string];
		const theirs = new Y.Doc();
		const board = { pipelineDoc: b.pipelineDoc, dealDoc: theirs };
		const t1 = b.deal('Của Hà 1', { ownerId: b.id() }, board);
		const t2 = b.deal('Của Hà 2', { ownerId: b.id() }, board);
		const mine = b.deal('Của tôi', { stageId: b.stageIds[1] });
		moveDeal(
			{ ...b.scope, dealDocs: [b.dealDoc, theirs] },
			{ dealId: mine, toStageId: s1, after: t1 },
			user
		);
		expect(column(b, s1, [b.dealDoc, theirs])).toEqual(['Của Hà 1', 'Của tôi', 'Của Hà 2']);
		void t2;
	});

	it('[B7] refuses unknown deals and neighbours, neighbours in another column, and reversed pairs', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds as [string, string];
		const a = b.deal('A');
		const c = b.deal('C');
		const m = b.deal('M');
		const elsewhere = b.deal('Ở cột khác', { stageId: s2 });
		const D = [b.dealDoc];
		const move =
			(input: { after?: string; before?: string; toStageId?: string; dealId?: string }) => () =>
				moveDeal(b.scope, { dealId: m, toStageId: s1, ...input }, user);
		expect(refusal(D, move({ dealId: b.id() }))).toMatchObject({
			code: 'deal_not_found',
			updates: 0
		});
		expect(refusal(D, move({ after: b.id() }))).toMatchObject({
			code: 'neighbour_not_found',
			field: 'after'
		});
		expect(refusal(D, move({ after: elsewhere }))).toMatchObject({
			code: 'invalid_position',
			field: 'after'
		});
		expect(refusal(D, move({ after: c, before: a }))).toMatchObject({
			code: 'invalid_position',
			updates: 0
		});
		expect(refusal(D, move({ after: m }))).toMatchObject({ code: 'invalid_position' });
		expect(refusal(D, move({ toStageId: b.id() }))).toMatchObject({ code: 'stage_not_found' });
	});
});

describe('fields, star, status, removal', () => {
	it('[B13] updates fields, clears optional ones with null, and bumps updatedAt', () => {
		const b = testBoard();
		const id = b.deal('Cũ', { customerName: 'An', customerPhone: '0912345678', at: 1000 });
		const customerId = b.id();
		updateDealFields(
			b.dealDoc,
			{
				dealId: id,
				title: 'Mới',
				amount: 25_000_000,
				customerId,
				customerName: null,
				customerPhone: '+84 987 654 321',
				at: 2000
			},
			user
		);
		const d = readDeal(b.dealDoc, id)!;
		expect(d).toMatchObject({
			title: 'Mới',
			amount: 25_000_000,
			customerId,
			customerPhone: '+84987654321',
			updatedAt: 2000
		});
		expect(d.customerName).toBeUndefined();
		expect(cardField(dealsMap(b.dealDoc).get(id)!, 'customerName') ?? null).toBeNull();
		expect(
			refusal([b.dealDoc], () => updateDealFields(b.dealDoc, { dealId: id, title: '' }, user))
		).toEqual({ code: 'required', field: 'title', updates: 0 });
	});

	it('[B24] follows a customer record: its id and name, updatedAt untouched, nothing when already so', () => {
		const b = testBoard();
		const id = b.deal('Rèm văn phòng', {
			customerName: 'Anh Tuấn',
			customerPhone: '0987654321',
			at: 1000
		});
		const customerId = b.id();
		const card = { dealId: id, customerId, customerName: 'Công ty CP Tuấn Phát' };
		expect(updatesDuring([b.dealDoc], () => followCustomer(b.dealDoc, card, server))).toBe(1);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			customerId,
			customerName: 'Công ty CP Tuấn Phát',
			customerPhone: '+84987654321',
			updatedAt: 1000
		});
		let again = true;
		expect(
			updatesDuring([b.dealDoc], () => (again = followCustomer(b.dealDoc, card, server)))
		).toBe(0);
		expect(again).toBe(false);
		expect(
			refusal([b.dealDoc], () => followCustomer(b.dealDoc, { ...card, customerName: '  ' }, server))
		).toEqual({ code: 'required', field: 'customerName', updates: 0 });
		expect(
			refusal([b.dealDoc], () => followCustomer(b.dealDoc, { ...card, customerId: 'x' }, server))
		).toEqual({ code: 'invalid_id', field: 'customerId', updates: 0 });
	});

	it('[B20] writes the amount reason with its amount only, and clears it on the next change', () => {
		const b = testBoard();
		const id = b.deal('Máy lọc nước', { at: 1000 });
		updateDealFields(
			b.dealDoc,
			{ dealId: id, amount: 30_000_000, amountReason: 'Khách thêm 2 máy', at: 2000 },
			user
		);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			amount: 30_000_000,
			amountReason: 'Khách thêm 2 máy'
		});
		updateDealFields(b.dealDoc, { dealId: id, amount: 28_000_000, at: 3000 }, user);
		expect(readDeal(b.dealDoc, id)!.amountReason).toBeUndefined();
		expect(
			refusal([b.dealDoc], () =>
				updateDealFields(b.dealDoc, { dealId: id, amountReason: 'Giảm giá' }, user)
			)
		).toEqual({ code: 'amount_required', field: 'amount', updates: 0 });
	});

	it('[B13] sets and clears the expected close date and the source; refuses a bad date', () => {
		const b = testBoard();
		const id = b.deal('Hợp đồng bảo trì');
		updateDealFields(
			b.dealDoc,
			{ dealId: id, expectedCloseDate: '2026-12-31', source: 'Giới thiệu' },
			user
		);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			expectedCloseDate: '2026-12-31',
			source: 'Giới thiệu'
		});
		updateDealFields(b.dealDoc, { dealId: id, expectedCloseDate: null, source: '' }, user);
		const d = readDeal(b.dealDoc, id)!;
		expect(d.expectedCloseDate).toBeUndefined();
		expect(d.source).toBeUndefined();
		expect(
			refusal([b.dealDoc], () =>
				updateDealFields(b.dealDoc, { dealId: id, expectedCloseDate: '2026-02-30' }, user)
			)
		).toMatchObject({ code: 'invalid_date', field: 'expectedCloseDate', updates: 0 });
	});

	it('[B13] stars and unstars', () => {
		const b = testBoard();
		const id = b.deal('Sao');
		setStar(b.dealDoc, { dealId: id, starred: true }, user);
		expect(readDeal(b.dealDoc, id)?.starred).toBe(true);
		setStar(b.dealDoc, { dealId: id, starred: false }, user);
		expect(readDeal(b.dealDoc, id)?.starred).toBe(false);
	});

	it('[B14] lost needs a reason, standby a real date; each status clears the other’s companion', () => {
		const b = testBoard();
		const id = b.deal('Trạng thái');
		const D = [b.dealDoc];
		expect(refusal(D, () => setStatus(b.dealDoc, { dealId: id, status: 'lost' }, user))).toEqual({
			code: 'reason_required',
			field: 'lostReason',
			updates: 0
		});
		expect(
			refusal(D, () => setStatus(b.dealDoc, { dealId: id, status: 'lost', lostReason: ' ' }, user))
				.code
		).toBe('reason_required');
		expect(
			refusal(D, () => setStatus(b.dealDoc, { dealId: id, status: 'standby' }, user)).code
		).toBe('date_required');
		expect(
			refusal(D, () =>
				setStatus(b.dealDoc, { dealId: id, status: 'standby', standbyUntil: '2026-02-30' }, user)
			)
		).toMatchObject({ code: 'invalid_date', field: 'standbyUntil' });
		expect(
			refusal(D, () => setStatus(b.dealDoc, { dealId: id, status: 'done' as 'won' }, user)).code
		).toBe('invalid_status');

		setStatus(b.dealDoc, { dealId: id, status: 'lost', lostReason: 'Giá cao hơn đối thủ' }, user);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			status: 'lost',
			lostReason: 'Giá cao hơn đối thủ'
		});
		setStatus(b.dealDoc, { dealId: id, status: 'standby', standbyUntil: '2026-03-01' }, user);
		const card = dealsMap(b.dealDoc).get(id)!;
		const triple = () => ['status', 'lostReason', 'standbyUntil'].map((k) => cardField(card, k));
		expect(triple()).toEqual(['standby', null, '2026-03-01']);
		expect(readDeal(b.dealDoc, id)).toMatchObject({
			status: 'standby',
			standbyUntil: '2026-03-01'
		});
		setStatus(b.dealDoc, { dealId: id, status: 'won' }, user);
		expect(triple()).toEqual(['won', null, null]);
	});

	it('[B6] removes a deal; acting on it afterwards is deal_not_found', () => {
		const b = testBoard();
		const id = b.deal('Xoá');
		removeDeal(b.dealDoc, { dealId: id }, user);
		expect(readDeal(b.dealDoc, id)).toBeUndefined();
		expect(
			refusal([b.dealDoc], () => setStar(b.dealDoc, { dealId: id, starred: true }, user)).code
		).toBe('deal_not_found');
	});
});

describe('moveDealsFromDeletedStages', () => {
	it('[B11] moves the deleted stage’s cards after the target’s last card, keeping their order', () => {
		const b = testBoard();
		const [s1, s2] = b.stageIds as [string, string];
		b.deal('Đích 1', { stageId: s2 });
		b.deal('Cũ 1', { stageId: s1 });
		b.deal('Cũ 2', { stageId: s1 });
		deleteStage(b.pipelineDoc, { stageId: s1, moveDealsTo: s2, dealDocs: [b.dealDoc] }, user);
		// Before settling, the cards already show in the target (B12), wherever their keys fall …
		expect(column(b, s2).sort()).toEqual(['Cũ 1', 'Cũ 2', 'Đích 1']);
		expect(moveDealsFromDeletedStages(b.scope, { at: 5000 }, user)).toBe(2);
		// … afterwards they name it, sit after its cards, and are dated.
		expect(column(b, s2)).toEqual(['Đích 1', 'Cũ 1', 'Cũ 2']);
		const moved = columns({ pipelineDoc: b.pipelineDoc, dealDocs: [b.dealDoc] })[0]!.deals.slice(1);
		expect(moved.map((d) => [d.stageId, d.stageEnteredAt])).toEqual([
			[s2, 5000],
			[s2, 5000]
		]);
		expect(moveDealsFromDeletedStages(b.scope, {}, user)).toBe(0);
	});

	it('[B11] leaves alone a card naming a stage this replica has not seen', () => {
		const b = testBoard();
		const unseen = b.id();
		const id = b.deal('Từ giai đoạn mới');
		dealsMap(b.dealDoc).get(id)!.set('stageId', unseen); // as if its stage's update had not arrived
		expect(readAllStages(b.pipelineDoc).some((s) => s.id === unseen)).toBe(false);
		expect(moveDealsFromDeletedStages(b.scope, {}, user)).toBe(0);
		expect(readDeal(b.dealDoc, id)?.stageId).toBe(unseen);
	});
});
