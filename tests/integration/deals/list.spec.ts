import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sortKeys, type DealColumn, type SortKey } from '../../../src/lib/deals/columns';
import {
	builtinViews,
	canonicalQuery,
	filtersQuery,
	parseDealFilters,
	type DealFilters
} from '../../../src/lib/deals/filters';
import { describeIssue } from '../../../src/lib/deals/issues';
import { dealBalances } from '../../../src/lib/server/db/schema';
import { translator } from '../../../src/lib/i18n';
import * as deals from '../../../src/lib/server/deals/deals.repo';
import { dealsExport } from '../../../src/lib/server/deals/export';
import { saveViewSchema } from '../../../src/lib/server/deals/forms';
import * as views from '../../../src/lib/server/deals/saved-views.repo';
import { csvLines, writeXlsx } from '../../../src/lib/server/export/table';
import { testDb } from '../../support/db';
import { seedDeals, visibleTo, type DealKey } from './seed';

// The deals list over the projection of two pipelines ("Dự án" own-only, "Bán lẻ" visible to
// all) with deals of two reps and a manager: filters, sorts, keyset paging, saved views,
// validation messages, permissions, and the CSV / XLSX the exports stream.

const { db } = await testDb();
const s = await seedDeals(db);

type Viewer = (typeof s.as)[keyof typeof s.as];

function filters(query: string): DealFilters {
	const parsed = parseDealFilters(new URLSearchParams(query));
	if (!parsed.ok) throw new Error(`bad test query ${query}: ${JSON.stringify(parsed.issues)}`);
	return parsed.filters;
}

async function keys(viewer: Viewer, query = '', limit = 500): Promise<DealKey[]> {
	const { rows } = await deals.list(db, { ...viewer, filters: filters(query), limit });
	return rows.map((r) => s.keyOf(r.id));
}

const sorted = (k: readonly DealKey[]) => [...k].sort();

describe('permissions', () => {
	it('shows a rep their own deals of an own-only pipeline and every deal of a pipeline visible to all', async () => {
		expect(sorted(await keys(s.as.nam))).toEqual(sorted(visibleTo.nam));
		expect(sorted(await keys(s.as.ha))).toEqual(sorted(visibleTo.ha));
	});

	it('shows owners, managers and accountants every deal of the organisation', async () => {
		for (const viewer of [s.as.owner, s.as.manager, s.as.accountant]) {
			expect(sorted(await keys(viewer))).toEqual(sorted(visibleTo.all));
		}
	});

	it("never gives a rep another rep's own-only deals, even when filtering by that rep", async () => {
		expect(sorted(await keys(s.as.nam, `owner=${s.ha.id}`))).toEqual(['haB1']);
		expect(await keys(s.as.nam, `owner=${s.ha.id}&pipeline=${s.boards.project.id}`)).toEqual([]);
		expect(await keys(s.as.nam, 'status=lost')).toEqual([]);
	});

	it('counts and sums only the deals the viewer may see', async () => {
		expect(await deals.summary(db, { ...s.as.nam, filters: filters('') })).toEqual({
			count: 6,
			total: 15_000_000 + 50_000_000 + 5_000_000 + 1_500_000 + 2_000_000 + 100_000_000
		});
		expect((await deals.summary(db, { ...s.as.manager, filters: filters('') })).count).toBe(9);
	});

	it("lists nothing of this organisation for another organisation's member", async () => {
		const stranger = { orgId: s.otherOrg.id, userId: s.outsider.id, role: 'owner' as const };
		expect(await keys(stranger)).toEqual([]);
	});
});

describe('filters', () => {
	it('filters by status, one or several', async () => {
		expect(sorted(await keys(s.as.manager, 'status=won'))).toEqual(['huyB1', 'namA2']);
		expect(sorted(await keys(s.as.manager, 'status=lost&status=standby'))).toEqual([
			'haA2',
			'haA3',
			'namA3'
		]);
	});

	it('filters by owner, with "me" meaning the viewer', async () => {
		expect(sorted(await keys(s.as.manager, `owner=${s.nam.id}`))).toEqual([
			'namA1',
			'namA2',
			'namA3',
			'namB1'
		]);
		expect(sorted(await keys(s.as.ha, 'owner=me'))).toEqual(['haA1', 'haA2', 'haA3', 'haB1']);
	});

	it('filters by pipeline', async () => {
		expect(sorted(await keys(s.as.manager, `pipeline=${s.boards.retail.id}`))).toEqual([
			'haB1',
			'huyB1',
			'namB1'
		]);
	});

	it("filters by stage as the board shows it: a deleted stage's deals count in the stage they moved to", async () => {
		const [, deleted, negotiation] = s.boards.project.stageIds;
		expect(sorted(await keys(s.as.manager, `stage=${negotiation}`))).toEqual([
			'haA2',
			'namA2',
			'namA3'
		]);
		expect(await keys(s.as.manager, `stage=${deleted}`)).toEqual([]);
		const { rows } = await deals.list(db, { ...s.as.manager, filters: filters('') });
		expect(rows.find((r) => r.id === s.ids.namA3)).toMatchObject({
			stageName: 'Đàm phán',
			pipelineName: 'Dự án',
			ownerName: 'Lê Văn Nam'
		});
	});

	it('filters starred deals', async () => {
		expect(sorted(await keys(s.as.manager, 'starred=1'))).toEqual(['haA2', 'haB1', 'namA1']);
	});

	it("reads creation days in the organisation's time zone", async () => {
		// haA1 was created at 17:30 UTC on 31 January: 00:30 on 1 February in Hồ Chí Minh City.
		expect(await keys(s.as.manager, 'created_from=2026-02-01')).toEqual(['haA1']);
		expect(await keys(s.as.manager, 'created_to=2026-01-31')).not.toContain('haA1');
		expect(
			sorted(await keys(s.as.manager, 'created_from=2026-01-06&created_to=2026-01-08'))
		).toEqual(['haB1', 'huyB1', 'namB1']);
	});

	it('filters by reopen date and by expected close date', async () => {
		expect(await keys(s.as.manager, 'standby_to=2026-02-15')).toEqual(['haA2']);
		expect(await keys(s.as.manager, 'standby_from=2026-02-02')).toEqual(['namA3']);
		expect(await keys(s.as.manager, 'close_from=2026-02-01&close_to=2026-02-28')).toEqual([
			'namA1'
		]);
	});

	it('filters by amount typed the Vietnamese way', async () => {
		expect(sorted(await keys(s.as.manager, 'amount_min=10tr&amount_max=50.000.000'))).toEqual([
			'haA1',
			'namA1',
			'namA2'
		]);
		expect(sorted(await keys(s.as.manager, 'amount_max=2,5 triệu'))).toEqual(['haB1', 'namB1']);
		expect(await keys(s.as.manager, 'amount_min=0,1 tỷ')).toEqual(['huyB1']);
	});

	it('lists deals with money overdue, and shows paid and overdue from the ledger (issue 5)', async () => {
		await db.insert(dealBalances).values([
			{ dealId: s.ids.namA1, orgId: s.org.id, paid: 4_000_000, payments: 2, overdue: 1_500_000 },
			{ dealId: s.ids.haB1, orgId: s.org.id, paid: 1_000_000, payments: 1, overdue: 0 }
		]);
		try {
			expect(await keys(s.as.manager, 'overdue=1')).toEqual(['namA1']);
			// A rep never sees another rep's own-only deal through the filter.
			expect(await keys(s.as.ha, 'overdue=1')).toEqual([]);
			const { rows } = await deals.list(db, {
				...s.as.manager,
				filters: filters(''),
				limit: 500,
				columns: ['title', 'paid']
			});
			const byKey = new Map(rows.map((r) => [s.keyOf(r.id), r]));
			expect(byKey.get('namA1')).toMatchObject({ paid: 4_000_000, overdue: 1_500_000 });
			expect(byKey.get('haB1')).toMatchObject({ paid: 1_000_000, overdue: 0 });
			expect(byKey.get('namA2')).toMatchObject({ paid: null, overdue: null });
			expect(byKey.get('namA1')!.amount).not.toBeNull();
			expect(parseDealFilters(new URLSearchParams('overdue=yes')).ok).toBe(false);
		} finally {
			await db.delete(dealBalances);
		}
	});

	it('combines filters with AND', async () => {
		expect(sorted(await keys(s.as.manager, 'status=open&starred=1'))).toEqual(['haB1', 'namA1']);
		expect(await keys(s.as.nam, `status=open&pipeline=${s.boards.project.id}`)).toEqual(['namA1']);
	});
});

describe('sorting and paging', () => {
	it('sorts newest first by default', async () => {
		expect(await keys(s.as.manager)).toEqual([
			'haA1',
			'namA3',
			'haA3',
			'haA2',
			'namA2',
			'huyB1',
			'haB1',
			'namB1',
			'namA1'
		]);
	});

	it('sorts by amount both ways', async () => {
		const desc = await keys(s.as.manager, 'sort=amount');
		expect(desc.slice(0, 3)).toEqual(['huyB1', 'namA2', 'haA1']);
		expect(await keys(s.as.manager, 'sort=amount&dir=asc')).toEqual([...desc].reverse());
	});

	it('sorts titles accent-insensitively, so Đ sits with D rather than after Z', async () => {
		const order = await keys(s.as.manager, 'sort=title');
		const at = (k: DealKey) => order.indexOf(k);
		expect(at('huyB1')).toBeLessThan(at('namB1')); // Ánh Dương < Bán lẻ
		expect(at('namB1')).toBeLessThan(at('haA1')); // Bán lẻ < Bảo trì
		expect(at('haA2')).toBeLessThan(at('namA2')); // Duc Anh < Đức Phát
		expect(at('namA2')).toBeLessThan(at('namA1')); // Đức Phát < Lắp
		expect(at('namA1')).toBeLessThan(at('namA3')); // Lắp < Máy lọc
	});

	it('sorts by stage in board order, pipeline by pipeline', async () => {
		const order = await keys(s.as.manager, 'sort=stage');
		expect(order.slice(0, 6).every((k) => k.includes('A'))).toBe(true);
		expect(order.slice(0, 3).sort()).toEqual(['haA1', 'haA3', 'namA1']); // Tiếp cận
		expect(order.slice(6)).toEqual(expect.arrayContaining(['namB1', 'haB1', 'huyB1']));
		expect(order[6]).toBe('namB1'); // Khách mới before Đã tư vấn
	});

	it('sorts by status, open first', async () => {
		const order = await keys(s.as.manager, 'sort=status');
		expect(order.slice(0, 4).sort()).toEqual(['haA1', 'haB1', 'namA1', 'namB1']);
		expect(order.at(-1)).toBe('haA3');
	});

	it('pages with a cursor through exactly the rows of the unpaged list, for every sort', async () => {
		for (const sort of sortKeys) {
			for (const dir of ['asc', 'desc'] as const) {
				const f = { ...filters(''), sort: sort as SortKey, dir };
				const whole = (await deals.list(db, { ...s.as.manager, filters: f, limit: 500 })).rows;
				const paged: string[] = [];
				let cursor: string | null = null;
				do {
					const page: Awaited<ReturnType<typeof deals.list>> = await deals.list(db, {
						...s.as.manager,
						filters: f,
						cursor,
						limit: 2
					});
					paged.push(...page.rows.map((r) => r.id));
					cursor = page.next;
				} while (cursor);
				expect(paged, `${sort} ${dir}`).toEqual(whole.map((r) => r.id));
			}
		}
	});

	it('refuses a cursor made for another sort, or forged', async () => {
		const first = await deals.list(db, { ...s.as.manager, filters: filters(''), limit: 2 });
		expect(first.next).not.toBeNull();
		await expect(
			deals.list(db, { ...s.as.manager, filters: filters('sort=amount'), cursor: first.next })
		).rejects.toBeInstanceOf(deals.CursorError);
		const forged = Buffer.from(
			JSON.stringify(['created', 'desc', ["2026-01-01'; drop table deals; --"], s.ids.namA1])
		).toString('base64url');
		await expect(
			deals.list(db, { ...s.as.manager, filters: filters(''), cursor: forged })
		).rejects.toBeInstanceOf(deals.CursorError);
		await expect(
			deals.list(db, { ...s.as.manager, filters: filters(''), cursor: 'bm90IGpzb24' })
		).rejects.toBeInstanceOf(deals.CursorError);
	});
});

describe('saved views', () => {
	const view = (id: string) => builtinViews.find((v) => v.id === id)!.query;

	it('"Của tôi" lists the viewer\'s own deals', async () => {
		expect(sorted(await keys(s.as.nam, view('mine')))).toEqual([
			'namA1',
			'namA2',
			'namA3',
			'namB1'
		]);
	});

	it('"★ Tiềm năng" lists starred deals that are still open', async () => {
		expect(sorted(await keys(s.as.manager, view('starred')))).toEqual(['haB1', 'namA1']);
	});

	it('"Standby" lists standby deals with their reopen date, soonest first', async () => {
		const { rows } = await deals.list(db, { ...s.as.manager, filters: filters(view('standby')) });
		expect(rows.map((r) => [s.keyOf(r.id), r.status, r.standbyUntil])).toEqual([
			['haA2', 'standby', '2026-02-01'],
			['namA3', 'standby', '2026-03-01']
		]);
		// A rep's Standby view holds only what the rep may see.
		expect(await keys(s.as.nam, view('standby'))).toEqual(['namA3']);
	});

	it('stores a view under its canonical query and refuses an invalid one', () => {
		const ok = saveViewSchema.safeParse({
			name: 'Khách lớn',
			query: '?amount_min=50tr&status=open&status=won',
			shared: 'on'
		});
		expect(ok.success && ok.data).toEqual({
			name: 'Khách lớn',
			query: 'status=open&status=won&amount_min=50000000',
			shared: true
		});
		const bad = saveViewSchema.safeParse({ name: 'Hỏng', query: 'status=closed' });
		expect(bad.success).toBe(false);
		expect(bad.error?.issues[0]?.message).toBe('deals.view.invalidQuery');
	});

	it('shows personal views to their author only and shared views to everyone', async () => {
		const personal = await views.create(db, {
			...s.as.nam,
			name: 'Của Nam',
			query: 'owner=me',
			shared: false
		});
		const shared = await views.create(db, {
			...s.as.nam,
			name: 'Sắp chốt',
			query: canonicalQuery('close_to=2026-03-31&status=open')!,
			shared: true
		});
		if (personal === 'too_many' || shared === 'too_many') throw new Error('unexpected');
		const names = async (viewer: Viewer) => (await views.list(db, viewer)).map((v) => v.name);
		expect(await names(s.as.nam)).toEqual(['Sắp chốt', 'Của Nam']);
		expect(await names(s.as.ha)).toEqual(['Sắp chốt']);
		expect((await views.list(db, s.as.ha))[0]).toMatchObject({
			mine: false,
			canEdit: false,
			authorName: 'Lê Văn Nam'
		});

		// Someone else's personal view does not exist for them; a shared one is refused to reps.
		expect(await views.rename(db, { ...s.as.ha, viewId: personal.id, name: 'x' })).toBe(
			'not_found'
		);
		expect(await views.remove(db, { ...s.as.ha, viewId: shared.id })).toBe('forbidden');
		// Managers tidy shared views; authors rename and delete their own.
		expect(
			await views.rename(db, { ...s.as.manager, viewId: shared.id, name: 'Chốt trong quý' })
		).toBe('ok');
		expect(
			await views.rename(db, { ...s.as.nam, viewId: personal.id, name: 'Của tôi (Nam)' })
		).toBe('ok');
		expect(await names(s.as.nam)).toEqual(['Chốt trong quý', 'Của tôi (Nam)']);
		expect(await views.remove(db, { ...s.as.nam, viewId: personal.id })).toEqual({
			name: 'Của tôi (Nam)'
		});
		expect(await views.remove(db, { ...s.as.manager, viewId: shared.id })).toEqual({
			name: 'Chốt trong quý'
		});
		expect(await names(s.as.nam)).toEqual([]);
	});

	it('caps the views one member keeps', async () => {
		for (let i = 0; i < views.MAX_VIEWS_PER_USER; i++) {
			await views.create(db, { ...s.as.accountant, name: `Bộ lọc ${i}`, query: '', shared: false });
		}
		expect(
			await views.create(db, { ...s.as.accountant, name: 'Thêm', query: '', shared: false })
		).toBe('too_many');
	});
});

describe('validation of the URL', () => {
	const vi = translator('vi');
	const en = translator('en');
	const issues = (query: string) => {
		const parsed = parseDealFilters(new URLSearchParams(query));
		if (parsed.ok) throw new Error(`${query} parsed`);
		return parsed.issues.map((i) => describeIssue(vi, i));
	};

	it('names each bad parameter with a message in Vietnamese', () => {
		expect(issues('status=closed')).toEqual([
			'Trạng thái: chỉ nhận open (Đang mở), won (Thắng), lost (Thua) hoặc standby (Standby).'
		]);
		expect(issues('owner=abc')).toEqual(['Người phụ trách: phải là mã một người dùng hoặc "me".']);
		expect(issues('pipeline=123')).toEqual(['Quy trình: mã không hợp lệ.']);
		expect(issues('created_from=2026-02-30')).toEqual([
			'Ngày tạo (từ): ngày không hợp lệ, hãy dùng dạng 2026-01-31.'
		]);
		expect(issues('created_from=2026-03-01&created_to=2026-02-01')).toEqual([
			'Ngày tạo (đến): ngày kết thúc phải sau hoặc bằng ngày bắt đầu.'
		]);
		expect(issues('amount_min=nhiều tiền')).toEqual([
			'Giá trị tối thiểu: không đọc được số tiền. Hãy nhập kiểu 1.500.000, 1,5tr, 1,5 triệu hoặc 2 tỷ.'
		]);
		expect(issues('amount_min=5tr&amount_max=1tr')).toEqual([
			'Giá trị tối đa: giá trị tối đa phải lớn hơn hoặc bằng giá trị tối thiểu.'
		]);
		expect(issues('sort=phone')).toEqual(['Sắp xếp: không sắp xếp được theo cột này.']);
		expect(issues('dir=up')).toEqual(['Chiều sắp xếp: chỉ nhận asc hoặc desc.']);
		expect(issues('starred=yes')).toEqual(['Tiềm năng: chỉ nhận giá trị 1.']);
		expect(issues('sort=amount&sort=title')).toEqual(['Sắp xếp: chỉ được có một giá trị.']);
		expect(issues('tim=abc')).toEqual([
			'Tham số "tim": không phải một bộ lọc của danh sách giao dịch.'
		]);
		const many = Array.from({ length: 51 }, () => `owner=${crypto.randomUUID()}`).join('&');
		expect(issues(many)).toEqual(['Người phụ trách: tối đa 50 giá trị.']);
	});

	it('reports every bad parameter at once, and in English for English users', () => {
		const parsed = parseDealFilters(new URLSearchParams('status=x&dir=y&amount_max=z'));
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.issues.map((i) => describeIssue(en, i))).toEqual([
			'Status: accepts open, won, lost or standby.',
			'Maximum value: is not an amount we can read. Type 1.500.000, 1,5tr, 1,5 triệu or 2 tỷ.',
			'Sort direction: accepts asc or desc.'
		]);
	});

	it('treats blank values as absent, as a GET form sends them', () => {
		expect(filters('status=&owner=&created_from=&amount_min=')).toEqual(filters(''));
	});

	it('writes filters back as one canonical query that parses to the same filters', () => {
		const f = filters(
			`amount_min=1,5tr&status=won&status=open&owner=me&starred=true&sort=amount&dir=desc&created_to=2026-01-31`
		);
		const q = filtersQuery(f);
		expect(q).toBe(
			'owner=me&status=open&status=won&starred=1&created_to=2026-01-31&amount_min=1500000&sort=amount'
		);
		expect(filters(q)).toEqual(f);
	});
});

describe('exports', () => {
	async function csv(
		viewer: Viewer,
		query = '',
		cols = ['title', 'customer', 'phone', 'amount', 'owner', 'status', 'created'] as const
	) {
		const input = dealsExport(db, {
			viewer,
			filters: filters(query),
			columns: [...cols],
			locale: 'vi',
			timeZone: s.org.timeZone,
			origin: 'https://chot.example'
		});
		let text = '';
		for await (const part of csvLines(input)) text += part;
		return text;
	}

	async function xlsx(viewer: Viewer, query: string, columns: DealColumn[]) {
		const out = new PassThrough();
		const chunks: Buffer[] = [];
		out.on('data', (c: Buffer) => chunks.push(c));
		const ended = new Promise((r) => out.on('end', r));
		await writeXlsx(
			out,
			dealsExport(db, {
				viewer,
				filters: filters(query),
				columns,
				locale: 'vi',
				timeZone: s.org.timeZone,
				origin: 'https://chot.example'
			})
		);
		await ended;
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
		return book;
	}

	it('writes CSV with a BOM, Vietnamese headers and CRLF lines', async () => {
		const text = await csv(s.as.manager, 'sort=title');
		expect(text.startsWith('\uFEFF')).toBe(true);
		const [header] = text.slice(1).split('\r\n');
		expect(header).toBe(
			'Giao dịch,Tiềm năng,Khách hàng,Số điện thoại,Giá trị,Người phụ trách,Trạng thái,Ngày tạo,Đường dẫn'
		);
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.slice(1).split('\r\n').filter(Boolean)).toHaveLength(10);
	});

	it('quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', async () => {
		const text = await csv(s.as.manager);
		expect(text).toContain(`"Máy lọc nước ""Aqua"", 20 bộ"`);
		expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Bấm"")"`);
		expect(text).toContain(`'@Khách sỉ Hoà Bình,★`);
		expect(text).not.toMatch(/(^|,)[=+\-@]/m);
	});

	it("writes amounts as plain numbers, phones the Vietnamese way and times in the organisation's zone", async () => {
		const line = (await csv(s.as.manager)).split('\r\n').find((l) => l.startsWith('Lắp điều hoà'))!;
		expect(line).toBe(
			`Lắp điều hoà văn phòng,★,Nguyễn Văn An,0912 345 678,15000000,Lê Văn Nam,Đang mở,2026-01-05 09:00,https://chot.example/o/${s.org.id}/boards/${s.boards.project.id}?deal=${s.ids.namA1}`
		);
	});

	it("never puts another rep's own-only deals in a rep's export, and follows the filters", async () => {
		const text = await csv(s.as.nam);
		for (const k of ['haA1', 'haA2', 'haA3'] as const) expect(text).not.toContain(s.ids[k]);
		for (const k of visibleTo.nam) expect(text).toContain(s.ids[k]);
		const won = await csv(s.as.manager, 'status=won');
		expect(won.slice(1).split('\r\n').filter(Boolean)).toHaveLength(3);
	});

	it('writes an XLSX that reads back with real numbers, dates and no formulas', async () => {
		const book = await xlsx(s.as.nam, 'sort=title', [
			'title',
			'amount',
			'stage',
			'standby',
			'created'
		]);
		const ws = book.getWorksheet('Giao dịch')!;
		expect(ws.getRow(1).values).toEqual([
			undefined,
			'Giao dịch',
			'Tiềm năng',
			'Giá trị',
			'Giai đoạn',
			'Ngày mở lại',
			'Ngày tạo',
			'Đường dẫn'
		]);
		expect(ws.rowCount).toBe(1 + visibleTo.nam.length);
		const rows = new Map<string, ExcelJS.Row>();
		ws.eachRow((row, n) => {
			if (n > 1) rows.set(String(row.getCell(1).value), row);
		});
		const aqua = rows.get('Máy lọc nước "Aqua", 20 bộ')!;
		expect(aqua.getCell(3).value).toBe(5_000_000);
		expect(aqua.getCell(3).numFmt).toBe('#,##0 "₫"');
		expect(aqua.getCell(4).value).toBe('Đàm phán');
		expect(aqua.getCell(5).value).toEqual(new Date(Date.UTC(2026, 2, 1)));
		// 04:00 UTC is 11:00 in Hồ Chí Minh City: Excel shows the wall-clock time.
		expect(aqua.getCell(6).value).toEqual(new Date(Date.UTC(2026, 0, 20, 11, 0, 0)));
		expect(aqua.getCell(6).numFmt).toBe('dd/mm/yyyy hh:mm');
		expect([...rows.keys()]).toContain('@Khách sỉ Hoà Bình');
		expect([...rows.keys()].some((t) => t.includes('HYPERLINK'))).toBe(false);
	});

	it('keeps a formula-like title a plain string in XLSX', async () => {
		const book = await xlsx(s.as.manager, 'status=lost', ['title']);
		const cell = book.getWorksheet(1)!.getRow(2).getCell(1);
		expect(cell.type).toBe(ExcelJS.ValueType.String);
		expect(cell.value).toBe('=HYPERLINK("http://evil.example","Bấm")');
	});
});
