import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName } from '../../../src/lib/board/doc';
import { readDeal } from '../../../src/lib/board/read';
import { addDays, nextTerm } from '../../../src/lib/contracts/dates';
import { suggestNumber } from '../../../src/lib/contracts/renewal';
import { translate } from '../../../src/lib/i18n';
import * as contracts from '../../../src/lib/server/contracts/contracts.repo';
import {
	contractSchema,
	parseBody,
	renewSchema,
	type ContractInput
} from '../../../src/lib/server/contracts/forms';
import { readStates } from '../../../src/lib/server/collab/log';
import {
	contracts as contractsTable,
	paymentVoids,
	payments
} from '../../../src/lib/server/db/schema';
import * as filesRepo from '../../../src/lib/server/files/files.repo';
import { testDb } from '../../support/db';
import { createOrg } from '../../support/factories';
import { seedDeals } from '../deals/seed';

// Contracts per deal (issue 5 item 3) over the real projection of two pipelines: "Dự án" is
// own-only (a rep sees only their own deals), "Bán lẻ" visible to all but editable by owners.
// Validation, the unique number, who may see and change what, the expiring filter against a
// fixed "today", renewal (once, idempotent), the renewal deal's card and cancelling.

const { db } = await testDb();
const s = await seedDeals(db);
const TODAY = '2026-11-29';

const input = (over: Partial<ContractInput> = {}): ContractInput => ({
	number: `HĐ-${Math.random().toString(36).slice(2, 8)}`,
	title: 'Hợp đồng bảo trì',
	value: 120_000_000,
	signedOn: null,
	startsOn: '2026-01-01',
	endsOn: '2026-12-31',
	fileId: null,
	autoRenew: false,
	noticeDays: 30,
	...over
});

async function dealOf(viewer: (typeof s.as)[keyof typeof s.as], dealId: string) {
	const access = await contracts.dealAccess(db, { ...viewer, dealId });
	if (!access) throw new Error('deal not visible');
	return access;
}

async function newContract(dealId: string, over: Partial<ContractInput> = {}) {
	const { deal } = await dealOf(s.as.manager, dealId);
	const data = input(over);
	const id = await contracts.create(db, { orgId: s.org.id, deal, input: data, by: s.huy.id });
	return { id, number: data.number };
}

async function readyFile(dealId: string, { done = true } = {}) {
	const fileId = await filesRepo.begin(db, {
		orgId: s.org.id,
		dealId,
		name: 'hop-dong-da-ky.pdf',
		mime: 'application/pdf',
		note: '',
		uploadedBy: s.huy.id
	});
	if (done) {
		await filesRepo.complete(db, {
			orgId: s.org.id,
			fileId,
			size: 1000,
			sha256: new Uint8Array(32),
			quotaBytes: null
		});
	}
	return fileId;
}

async function refusal(p: Promise<unknown>) {
	try {
		await p;
	} catch (err) {
		if (err instanceof contracts.ContractRefused) return err.code;
		throw err;
	}
	return 'accepted';
}

// The collab server, stood in for by documents loaded from their stored state: the renewal
// deal is written with the same named op (createDeal) the live server runs.
const docs = new Map<string, Y.Doc>();
const changeDoc = async <T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> => {
	let doc = docs.get(name);
	if (!doc) {
		doc = new Y.Doc();
		const state = (await readStates(db, { docNames: [name] })).get(name);
		if (state) Y.applyUpdate(doc, state);
		docs.set(name, doc);
	}
	return fn(doc);
};
const rt = { db, changeDoc };

describe('validation', () => {
	const valid = {
		number: 'HĐ-2026/015',
		title: 'Bảo trì thang máy',
		value: '1,5 tỷ',
		startsOn: '2026-01-01',
		endsOn: '2026-12-31'
	};

	it('reads a valid form, amounts typed the Vietnamese way included', () => {
		const parsed = parseBody(contractSchema, valid);
		expect(parsed).toMatchObject({
			ok: true,
			data: { value: 1_500_000_000, noticeDays: 30, autoRenew: false, fileId: null, signedOn: null }
		});
	});

	it.each([
		[{ number: '' }, 'number', 'contracts.error.numberRequired'],
		[{ number: 'x'.repeat(51) }, 'number', 'contracts.error.numberTooLong'],
		[{ title: '  ' }, 'title', 'contracts.error.titleRequired'],
		[{ value: -1 }, 'value', 'contracts.error.value'],
		[{ value: 1.5 }, 'value', 'contracts.error.value'],
		[{ value: 1e15 + 1 }, 'value', 'contracts.error.value'],
		[{ value: 'mười triệu' }, 'value', 'contracts.error.value'],
		[{ endsOn: '2025-12-31' }, 'endsOn', 'contracts.error.endsBeforeStart'],
		[{ startsOn: '2026-02-30' }, 'startsOn', 'contracts.error.startsOn'],
		[{ noticeDays: 366 }, 'noticeDays', 'contracts.error.noticeDays'],
		[{ noticeDays: -1 }, 'noticeDays', 'contracts.error.noticeDays'],
		[{ fileId: 'not-a-uuid' }, 'fileId', 'contracts.error.file']
	])('refuses %j with a message on its field', (over, field, key) => {
		const parsed = parseBody(contractSchema, { ...valid, ...over });
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors[field]?.key).toBe(key);
	});

	it('accepts the largest value, 10^15 đồng, and an end on the start day', () => {
		const parsed = parseBody(contractSchema, { ...valid, value: 1e15, endsOn: valid.startsOn });
		expect(parsed.ok).toBe(true);
	});

	it('refuses a renewal without a number and a renewal deal without a pipeline', () => {
		const parsed = parseBody(renewSchema, { number: '', deal: { pipelineId: 'x' } });
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) {
			expect(parsed.errors.number?.key).toBe('contracts.error.numberRequired');
			expect(parsed.errors['deal.pipelineId']?.key).toBe('contracts.error.pipeline');
		}
	});
});

describe('numbers', () => {
	it('refuses a number the organisation already has, with a clear Vietnamese message', async () => {
		await newContract(s.ids.namA1, { number: 'HĐ-2026/001' });
		const { deal } = await dealOf(s.as.manager, s.ids.haA1);
		const again = contracts.create(db, {
			orgId: s.org.id,
			deal,
			input: input({ number: 'HĐ-2026/001' }),
			by: s.huy.id
		});
		await expect(again).rejects.toMatchObject({
			code: 'number_taken',
			field: 'number',
			params: { number: 'HĐ-2026/001' }
		});
		expect(translate('vi', 'contracts.error.numberTaken', { number: 'HĐ-2026/001' })).toContain(
			'Số hợp đồng “HĐ-2026/001” đã có'
		);
	});

	it('lets another organisation use the same number', async () => {
		const other = await createOrg(db, { ownerId: s.outsider.id, name: 'Công ty khác' });
		// The number is unique per organisation only: a row of another org does not clash.
		await db.insert(contractsTable).values({
			orgId: other.id,
			dealId: s.ids.namA1,
			number: 'HĐ-2026/001',
			title: 'x',
			value: 1,
			startsOn: '2026-01-01'
		});
	});

	it('refuses renaming a contract to a number in use, and keeps its own number on edit', async () => {
		const a = await newContract(s.ids.namA1);
		const b = await newContract(s.ids.namA1);
		const [row] = await db.select().from(contractsTable).where(eq(contractsTable.id, b.id));
		const rename = contracts.update(db, {
			orgId: s.org.id,
			contract: row!,
			input: input({ number: a.number })
		});
		expect(await refusal(rename)).toBe('number_taken');
		await contracts.update(db, {
			orgId: s.org.id,
			contract: row!,
			input: input({ number: b.number, title: 'Đổi tên' })
		});
		const view = await contracts.get(db, { ...s.as.manager, contractId: b.id, today: TODAY });
		expect(view?.title).toBe('Đổi tên');
	});

	it('suggests the next renewal number', () => {
		expect(suggestNumber('HĐ-01')).toBe('HĐ-01-GH1');
		expect(suggestNumber('HĐ-01-GH1')).toBe('HĐ-01-GH2');
		expect([...suggestNumber('x'.repeat(50))].length).toBe(50);
	});
});

describe('the signed file', () => {
	it('accepts a ready file of the same deal and names it in the view', async () => {
		const fileId = await readyFile(s.ids.namA1);
		const { id } = await newContract(s.ids.namA1, { fileId });
		const view = await contracts.get(db, { ...s.as.manager, contractId: id, today: TODAY });
		expect(view?.file).toEqual({ id: fileId, name: 'hop-dong-da-ky.pdf' });
	});

	it("refuses another deal's file, an unfinished upload and a deleted file", async () => {
		const other = await readyFile(s.ids.haA1);
		expect(await refusal(newContract(s.ids.namA1, { fileId: other }))).toBe('file');
		const uploading = await readyFile(s.ids.namA1, { done: false });
		expect(await refusal(newContract(s.ids.namA1, { fileId: uploading }))).toBe('file');
		const deleted = await readyFile(s.ids.namA1);
		await filesRepo.softDelete(db, { orgId: s.org.id, fileId: deleted, by: s.huy.id });
		expect(await refusal(newContract(s.ids.namA1, { fileId: deleted }))).toBe('file');
	});

	it('no longer shows a file deleted after it was attached', async () => {
		const fileId = await readyFile(s.ids.namA1);
		const { id } = await newContract(s.ids.namA1, { fileId });
		await filesRepo.softDelete(db, { orgId: s.org.id, fileId, by: s.huy.id });
		const view = await contracts.get(db, { ...s.as.manager, contractId: id, today: TODAY });
		expect(view?.file).toBeNull();
	});
});

describe('permissions', () => {
	it("hides another rep's own-only deal and its contracts from a rep, as if they did not exist", async () => {
		const { id } = await newContract(s.ids.haA1);
		expect(await contracts.dealAccess(db, { ...s.as.nam, dealId: s.ids.haA1 })).toBeNull();
		expect(await contracts.contractAccess(db, { ...s.as.nam, contractId: id })).toBeNull();
		expect(await contracts.get(db, { ...s.as.nam, contractId: id, today: TODAY })).toBeNull();
		const { rows } = await contracts.list(db, {
			...s.as.nam,
			today: TODAY,
			filters: { status: 'all', within: 30, sort: 'ends' }
		});
		expect(rows.some((r) => r.id === id)).toBe(false);
		const renew = contracts.renew(rt, {
			...s.as.nam,
			contractId: id,
			locale: 'vi',
			input: { number: 'X-1', signedOn: null, endsOn: null, fileId: null, deal: null }
		});
		expect(await refusal(renew)).toBe('not_found');
	});

	it('lets a rep read but not change a deal of a pipeline visible to all that is not theirs', async () => {
		const { id } = await newContract(s.ids.haB1);
		expect((await dealOf(s.as.nam, s.ids.haB1)).canEdit).toBe(false);
		expect((await contracts.contractAccess(db, { ...s.as.nam, contractId: id }))?.canEdit).toBe(
			false
		);
		const renew = contracts.renew(rt, {
			...s.as.nam,
			contractId: id,
			locale: 'vi',
			input: { number: 'X-2', signedOn: null, endsOn: null, fileId: null, deal: null }
		});
		expect(await refusal(renew)).toBe('forbidden');
	});

	it('lets reps change the contracts of their own deals, and accountants, managers and owners any', async () => {
		expect((await dealOf(s.as.nam, s.ids.namA1)).canEdit).toBe(true);
		expect((await dealOf(s.as.accountant, s.ids.haA1)).canEdit).toBe(true);
		expect((await dealOf(s.as.manager, s.ids.haA1)).canEdit).toBe(true);
		expect((await dealOf(s.as.owner, s.ids.namB1)).canEdit).toBe(true);
	});

	it("shows nothing to another organisation's member", async () => {
		const { id } = await newContract(s.ids.namA1);
		const stranger = { orgId: s.otherOrg.id, userId: s.outsider.id, role: 'owner' as const };
		expect(await contracts.contractAccess(db, { ...stranger, contractId: id })).toBeNull();
		expect(await contracts.get(db, { ...stranger, contractId: id, today: TODAY })).toBeNull();
	});
});

// The list's contracts sit on Huy's deal alone, so the others' do not get in the way of exact
// answers.
const soon = await newContract(s.ids.huyB1, { endsOn: addDays(TODAY, 10), noticeDays: 15 });
const later = await newContract(s.ids.huyB1, { endsOn: addDays(TODAY, 45) });
const today = await newContract(s.ids.huyB1, { endsOn: TODAY });
const past = await newContract(s.ids.huyB1, { endsOn: addDays(TODAY, -1) });
const open = await newContract(s.ids.huyB1, { endsOn: null });

describe('the organisation list', () => {
	const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
	const listed = async (filters: Partial<contracts.ContractFilters>) =>
		ids(
			(
				await contracts.list(db, {
					...s.as.manager,
					today: TODAY,
					filters: { status: 'active', within: 30, sort: 'ends', ownerId: s.huy.id, ...filters }
				})
			).rows
		);

	it('lists contracts ending within N days of today, today included, soonest first', async () => {
		expect(await listed({ status: 'expiring', within: 30 })).toEqual([today.id, soon.id]);
		expect(await listed({ status: 'expiring', within: 60 })).toEqual([today.id, soon.id, later.id]);
	});

	it('shows an active contract past its end as ended, and lists it as such', async () => {
		expect(await listed({ status: 'ended' })).toEqual([past.id]);
		expect(await listed({ status: 'active' })).toEqual([today.id, soon.id, later.id, open.id]);
		const view = await contracts.get(db, { ...s.as.manager, contractId: past.id, today: TODAY });
		expect(view).toMatchObject({ status: 'ended', daysLeft: -1 });
	});

	it('sorts by end date both ways, open-ended contracts last', async () => {
		expect(await listed({ sort: '-ends' })).toEqual([later.id, soon.id, today.id, open.id]);
	});

	it('filters by owner and searches number, title and customer accent-insensitively', async () => {
		expect(await listed({ ownerId: s.nam.id, q: soon.number, status: 'all' })).toEqual([]);
		expect(await listed({ ownerId: s.huy.id, status: 'all' })).toHaveLength(5);
		expect(await listed({ q: soon.number.toLowerCase(), status: 'all' })).toEqual([soon.id]);
		expect(await listed({ q: 'BAO TRI', status: 'all' })).toHaveLength(5);
		expect(await listed({ q: 'anh duong', status: 'all' })).toHaveLength(5);
		expect(await listed({ q: '%', status: 'all' })).toEqual([]);
	});

	it('counts days to the end in the view', async () => {
		const view = await contracts.get(db, { ...s.as.manager, contractId: soon.id, today: TODAY });
		expect(view).toMatchObject({ daysLeft: 10, noticeDays: 15, status: 'active' });
	});
});

describe('money against a contract', () => {
	it('sums payments against it, leaving voided ones out', async () => {
		const { id } = await newContract(s.ids.namA2, { value: 50_000_000 });
		const pay = async (amount: number, key: string) => {
			const [row] = await db
				.insert(payments)
				.values({
					orgId: s.org.id,
					dealId: s.ids.namA2,
					contractId: id,
					ownerId: s.nam.id,
					pipelineId: s.boards.project.id,
					amount,
					paidOn: '2026-02-01',
					method: 'transfer',
					idempotencyKey: key,
					requestHash: key
				})
				.returning({ id: payments.id });
			return row!.id;
		};
		await pay(10_000_000, 'k1');
		const voided = await pay(5_000_000, 'k2');
		await db.insert(paymentVoids).values({
			orgId: s.org.id,
			paymentId: voided,
			dealId: s.ids.namA2,
			reason: 'Nhập nhầm',
			idempotencyKey: 'v1',
			requestHash: 'v1'
		});
		const view = await contracts.get(db, { ...s.as.manager, contractId: id, today: TODAY });
		expect(view).toMatchObject({ value: 50_000_000, paid: 10_000_000, remaining: 40_000_000 });
	});
});

describe('renewal', () => {
	it('follows a term of whole months with the same months, and another term with as many days', () => {
		expect(nextTerm({ startsOn: '2026-01-01', endsOn: '2026-12-31' })).toEqual({
			startsOn: '2027-01-01',
			endsOn: '2027-12-31'
		});
		expect(nextTerm({ startsOn: '2027-01-01', endsOn: '2027-12-31' })).toEqual({
			startsOn: '2028-01-01',
			endsOn: '2028-12-31'
		});
		expect(nextTerm({ startsOn: '2026-01-31', endsOn: '2026-02-27' })).toEqual({
			startsOn: '2026-02-28',
			endsOn: '2026-03-27'
		});
		expect(nextTerm({ startsOn: '2026-03-10', endsOn: '2026-03-19' })).toEqual({
			startsOn: '2026-03-20',
			endsOn: '2026-03-29'
		});
	});

	it('creates the next contract and links it to the old one, which becomes renewed', async () => {
		const old = await newContract(s.ids.namA1, {
			value: 80_000_000,
			noticeDays: 45,
			autoRenew: true
		});
		const done = await contracts.renew(rt, {
			...s.as.nam,
			contractId: old.id,
			locale: 'vi',
			input: { number: `${old.number}-GH1`, signedOn: null, endsOn: null, fileId: null, deal: null }
		});
		expect(done).toMatchObject({ created: true, renewalDealId: null, dealFailed: false });
		const next = await contracts.get(db, {
			...s.as.nam,
			contractId: done.contractId,
			today: TODAY
		});
		expect(next).toMatchObject({
			number: `${old.number}-GH1`,
			value: 80_000_000,
			startsOn: '2027-01-01',
			endsOn: '2027-12-31',
			noticeDays: 45,
			autoRenew: true,
			status: 'active',
			renews: { id: old.id, number: old.number },
			dealId: s.ids.namA1
		});
		const before = await contracts.get(db, { ...s.as.nam, contractId: old.id, today: TODAY });
		expect(before).toMatchObject({
			status: 'renewed',
			renewedBy: { id: done.contractId, number: `${old.number}-GH1` }
		});
	});

	it('renews once: a repeat answers with the first renewal, another number is refused', async () => {
		const old = await newContract(s.ids.namA1);
		const body = {
			number: `${old.number}-GH1`,
			signedOn: null,
			endsOn: null,
			fileId: null,
			deal: null
		};
		// A double submit: both at once.
		const [a, b] = await Promise.all([
			contracts.renew(rt, { ...s.as.nam, contractId: old.id, locale: 'vi', input: body }),
			contracts.renew(rt, { ...s.as.nam, contractId: old.id, locale: 'vi', input: body })
		]);
		expect(a.contractId).toBe(b.contractId);
		expect([a.created, b.created].sort()).toEqual([false, true]);
		const again = await contracts.renew(rt, {
			...s.as.nam,
			contractId: old.id,
			locale: 'vi',
			input: body
		});
		expect(again).toMatchObject({ contractId: a.contractId, created: false });
		const other = contracts.renew(rt, {
			...s.as.nam,
			contractId: old.id,
			locale: 'vi',
			input: { ...body, number: `${old.number}-X` }
		});
		expect(await refusal(other)).toBe('already_renewed');
		const renewals = await db
			.select()
			.from(contractsTable)
			.where(eq(contractsTable.renewsId, old.id));
		expect(renewals).toHaveLength(1);
	});

	it('takes the value and dates given, and refuses an end before the start', async () => {
		const old = await newContract(s.ids.namA1);
		const bad = contracts.renew(rt, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: {
				number: `${old.number}-GH1`,
				startsOn: '2027-06-01',
				endsOn: '2027-05-31',
				signedOn: null,
				fileId: null,
				deal: null
			}
		});
		expect(await refusal(bad)).toBe('ends_before_start');
		const done = await contracts.renew(rt, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: {
				number: `${old.number}-GH1`,
				value: 99_000_000,
				startsOn: '2027-02-01',
				endsOn: null,
				signedOn: null,
				fileId: null,
				deal: null
			}
		});
		const next = await contracts.get(db, {
			...s.as.manager,
			contractId: done.contractId,
			today: TODAY
		});
		// As long as the old term: a year from the start given.
		expect(next).toMatchObject({ value: 99_000_000, startsOn: '2027-02-01', endsOn: '2028-01-31' });
	});

	it('makes a renewal deal for the old owner and customer, in the first stage unless chosen', async () => {
		const old = await newContract(s.ids.namA1, { value: 70_000_000 });
		const done = await contracts.renew(rt, {
			...s.as.accountant,
			contractId: old.id,
			locale: 'vi',
			input: {
				number: `${old.number}-GH1`,
				signedOn: null,
				endsOn: null,
				fileId: null,
				deal: { pipelineId: s.boards.retail.id }
			}
		});
		expect(done.renewalDealId).toBeTruthy();
		const doc = docs.get(dealsDocName(s.boards.retail.id, s.nam.id))!;
		const card = readDeal(doc, done.renewalDealId!);
		expect(card).toMatchObject({
			title: 'Gia hạn: Lắp điều hoà văn phòng',
			ownerId: s.nam.id,
			amount: 70_000_000,
			stageId: s.boards.retail.stageIds[0],
			customerName: 'Nguyễn Văn An',
			customerPhone: '+84912345678',
			createdBy: s.chau.id,
			status: 'open'
		});
		const [row] = await db
			.select({ renewalDealId: contractsTable.renewalDealId })
			.from(contractsTable)
			.where(eq(contractsTable.id, done.contractId));
		expect(row?.renewalDealId).toBe(done.renewalDealId);
	});

	it('puts the renewal deal in the stage and under the title chosen', async () => {
		const old = await newContract(s.ids.namA1);
		const done = await contracts.renew(rt, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: {
				number: `${old.number}-GH1`,
				signedOn: null,
				endsOn: null,
				fileId: null,
				deal: {
					pipelineId: s.boards.retail.id,
					stageId: s.boards.retail.stageIds[1],
					title: 'Tái ký 2027'
				}
			}
		});
		const card = readDeal(
			docs.get(dealsDocName(s.boards.retail.id, s.nam.id))!,
			done.renewalDealId!
		);
		expect(card).toMatchObject({ title: 'Tái ký 2027', stageId: s.boards.retail.stageIds[1] });
	});

	it('refuses an unknown pipeline or a stage of another pipeline before renewing anything', async () => {
		const old = await newContract(s.ids.namA1);
		const base = { number: `${old.number}-GH1`, signedOn: null, endsOn: null, fileId: null };
		const wrongStage = contracts.renew(rt, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: {
				...base,
				deal: { pipelineId: s.boards.retail.id, stageId: s.boards.project.stageIds[0] }
			}
		});
		expect(await refusal(wrongStage)).toBe('stage');
		const foreign = contracts.renew(rt, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: { ...base, deal: { pipelineId: s.otherOrg.id } }
		});
		expect(await refusal(foreign)).toBe('pipeline');
		const view = await contracts.get(db, { ...s.as.manager, contractId: old.id, today: TODAY });
		expect(view?.status).toBe('active');
	});

	it('keeps the contract renewed when the board cannot take the deal, without a dangling link', async () => {
		const old = await newContract(s.ids.namA1);
		const failing = {
			db,
			changeDoc: async () => {
				throw new Error('collab down');
			}
		};
		const done = await contracts.renew(failing, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: {
				number: `${old.number}-GH1`,
				signedOn: null,
				endsOn: null,
				fileId: null,
				deal: { pipelineId: s.boards.retail.id }
			}
		});
		expect(done).toMatchObject({ created: true, renewalDealId: null, dealFailed: true });
		const [row] = await db
			.select({ renewalDealId: contractsTable.renewalDealId })
			.from(contractsTable)
			.where(eq(contractsTable.id, done.contractId));
		expect(row?.renewalDealId).toBeNull();
	});

	it('refuses to renew a contract without an end date', async () => {
		const old = await newContract(s.ids.namA1, { endsOn: null });
		const renew = contracts.renew(rt, {
			...s.as.manager,
			contractId: old.id,
			locale: 'vi',
			input: { number: `${old.number}-GH1`, signedOn: null, endsOn: null, fileId: null, deal: null }
		});
		expect(await refusal(renew)).toBe('no_end');
	});
});

describe('cancelling', () => {
	it('keeps the row with the status cancelled; again changes nothing; it can no longer change', async () => {
		const c = await newContract(s.ids.namA1);
		expect(await contracts.cancel(db, { orgId: s.org.id, contractId: c.id })).toEqual({
			changed: true
		});
		expect(await contracts.cancel(db, { orgId: s.org.id, contractId: c.id })).toEqual({
			changed: false
		});
		const [row] = await db.select().from(contractsTable).where(eq(contractsTable.id, c.id));
		expect(row?.status).toBe('cancelled');
		expect(
			await refusal(contracts.update(db, { orgId: s.org.id, contract: row!, input: input() }))
		).toBe('cancelled');
		const renew = contracts.renew(rt, {
			...s.as.manager,
			contractId: c.id,
			locale: 'vi',
			input: { number: `${c.number}-GH1`, signedOn: null, endsOn: null, fileId: null, deal: null }
		});
		expect(await refusal(renew)).toBe('not_active');
		const listed = await contracts.listForDeal(db, {
			orgId: s.org.id,
			dealId: s.ids.namA1,
			today: TODAY
		});
		expect(listed.find((x) => x.id === c.id)?.status).toBe('cancelled');
	});

	it('refuses cancelling a renewed contract', async () => {
		const c = await newContract(s.ids.namA1);
		await contracts.renew(rt, {
			...s.as.manager,
			contractId: c.id,
			locale: 'vi',
			input: { number: `${c.number}-GH1`, signedOn: null, endsOn: null, fileId: null, deal: null }
		});
		expect(await refusal(contracts.cancel(db, { orgId: s.org.id, contractId: c.id }))).toBe(
			'not_active'
		);
	});
});
