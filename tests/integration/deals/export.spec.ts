import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { customers, savedViews } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { createUser, addMember } from '../../support/factories';
import { cookieFor, get, postForm } from '../security/http';
import { seedDeals, visibleTo } from './seed';

// The deals list's endpoints against the production build: downloads (CSV, XLSX) of deals and
// customers, the rows endpoint behind the virtual scroll, the page's handling of a bad URL, a
// saved view posted as the page posts it, and 404 for anyone outside the organisation.

const app = await startApp();
afterAll(() => app.stop());

const s = await seedDeals(app.db);
const english = await createUser(app.db, { name: 'Jane Doe', locale: 'en' });
await addMember(app.db, { orgId: s.org.id, userId: english.id, role: 'manager' });
const cookie = {
	nam: await cookieFor(app, s.nam.id),
	manager: await cookieFor(app, s.huy.id),
	english: await cookieFor(app, english.id),
	outsider: await cookieFor(app, s.outsider.id)
};
await app.db.insert(customers).values([
	{ orgId: s.org.id, name: 'Nguyễn Văn An', phones: ['+84912345678'], source: 'Zalo' },
	{ orgId: s.org.id, name: '=cmd|"/c calc"!A1', phones: [], company: 'Công ty, "Hải Âu"' },
	{ orgId: s.org.id, name: 'Đã xoá', phones: [], deletedAt: new Date() },
	{ orgId: s.otherOrg.id, name: 'Khách đơn vị khác', phones: [] }
]);

const base = `/o/${s.org.id}`;
const lines = (text: string) =>
	text
		.replace(/^\uFEFF/, '')
		.split('\r\n')
		.filter(Boolean);

async function xlsxRows(res: Response) {
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(await res.arrayBuffer());
	const out: unknown[][] = [];
	book.getWorksheet(1)!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
	return out;
}

describe('deals downloads', () => {
	it("gives a rep a CSV without another rep's own-only deals", async () => {
		const res = await get(app, `${base}/deals/export.csv`, { cookie: cookie.nam });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(
			/^attachment; filename="giao-dich-\d{4}-\d{2}-\d{2}\.csv"/
		);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const bytes = new Uint8Array(await res.clone().arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = await res.text();
		expect(lines(text)).toHaveLength(1 + visibleTo.nam.length);
		for (const k of ['haA1', 'haA2', 'haA3'] as const) expect(text).not.toContain(s.ids[k]);
	});

	it("gives a rep an XLSX without another rep's own-only deals, and a manager every deal", async () => {
		const nam = await xlsxRows(await get(app, `${base}/deals/export.xlsx`, { cookie: cookie.nam }));
		expect(nam).toHaveLength(1 + visibleTo.nam.length);
		const links = nam.slice(1).map((r) => String(r.at(-1)));
		for (const k of visibleTo.nam) expect(links.some((l) => l.endsWith(s.ids[k]))).toBe(true);
		const all = await xlsxRows(
			await get(app, `${base}/deals/export.xlsx`, { cookie: cookie.manager })
		);
		expect(all).toHaveLength(1 + visibleTo.all.length);
	});

	it('follows the filters and the chosen columns of the list', async () => {
		const res = await get(
			app,
			`${base}/deals/export.csv?status=won&sort=amount&cols=title,amount`,
			{
				cookie: cookie.manager
			}
		);
		expect(lines(await res.text())).toEqual([
			'Giao dịch,Tiềm năng,Giá trị,Đường dẫn',
			`Ánh Dương - tổng đài,,100000000,${app.origin}/o/${s.org.id}/boards/${s.boards.retail.id}?deal=${s.ids.huyB1}`,
			`Đức Phát - hệ thống camera,,50000000,${app.origin}/o/${s.org.id}/boards/${s.boards.project.id}?deal=${s.ids.namA2}`
		]);
	});

	it("refuses bad parameters with a message in the user's language", async () => {
		const vi = await get(app, `${base}/deals/export.xlsx?amount_min=abc&cols=title,price`, {
			cookie: cookie.manager
		});
		expect(vi.status).toBe(400);
		expect(vi.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(await vi.text()).toBe(
			'Giá trị tối thiểu: không đọc được số tiền. Hãy nhập kiểu 1.500.000, 1,5tr, 1,5 triệu hoặc 2 tỷ.\nCột: có cột không tồn tại.\n'
		);
		const en = await get(app, `${base}/deals/export.csv?created_from=31/01/2026`, {
			cookie: cookie.english
		});
		expect(en.status).toBe(400);
		expect(await en.text()).toBe('Created (from): is not a valid date; use the form 2026-01-31.\n');
	});
});

describe('customers downloads', () => {
	it('lists live customers of the organisation only, formula cells defused', async () => {
		const res = await get(app, `${base}/customers/export.csv`, { cookie: cookie.nam });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toMatch(/filename="khach-hang-/);
		const bytes = new Uint8Array(await res.arrayBuffer());
		// The BOM, which Response.text() would strip.
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		const rows = lines(text);
		expect(rows[0]).toBe(
			'Tên khách hàng,Loại,Số điện thoại,Email,Công ty,Mã số thuế,Địa chỉ,Nguồn,Nhãn,Người phụ trách,Ngày tạo,Ghi chú'
		);
		expect(rows).toHaveLength(3);
		expect(text).toContain(`"'=cmd|""/c calc""!A1",Cá nhân,,,"Công ty, ""Hải Âu"""`);
		expect(text).toContain('Nguyễn Văn An,Cá nhân,0912 345 678,');
		expect(text).not.toContain('Đã xoá');
		expect(text).not.toContain('Khách đơn vị khác');
	});

	it("applies the customers list's search and refuses an unknown parameter", async () => {
		const found = await xlsxRows(
			await get(app, `${base}/customers/export.xlsx?q=nguyen`, { cookie: cookie.manager })
		);
		expect(found.map((r) => r[0])).toEqual(['Tên khách hàng', 'Nguyễn Văn An']);
		const bad = await get(app, `${base}/customers/export.csv?status=open`, {
			cookie: cookie.manager
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toBe('Trạng thái: không phải một bộ lọc của danh sách khách hàng.\n');
	});
});

describe('rows endpoint', () => {
	it('pages through the list with the cursor it returns', async () => {
		const ids: string[] = [];
		let url = `${base}/deals/rows?sort=amount&limit=4`;
		for (;;) {
			const res = await get(app, url, { cookie: cookie.nam });
			expect(res.status).toBe(200);
			const body = (await res.json()) as { rows: { id: string }[]; next: string | null };
			ids.push(...body.rows.map((r) => r.id));
			if (!body.next) break;
			url = `${base}/deals/rows?sort=amount&limit=4&cursor=${body.next}`;
		}
		expect(ids.sort()).toEqual(visibleTo.nam.map((k) => s.ids[k]).sort());
	});

	it('answers a bad cursor or limit with 400 and a message', async () => {
		const res = await get(app, `${base}/deals/rows?cursor=not-a-cursor&limit=0`, {
			cookie: cookie.manager
		});
		expect(res.status).toBe(400);
		const body = (await res.json()) as { message: string };
		expect(body.message).toBe('Số dòng: phải là số nguyên từ 1 đến 500.');
		const forged = await get(app, `${base}/deals/rows?cursor=bm9wZQ`, { cookie: cookie.manager });
		expect(forged.status).toBe(400);
		expect(((await forged.json()) as { message: string }).message).toBe(
			'Trang: trang tiếp theo không còn hợp lệ, hãy tải lại danh sách.'
		);
	});
});

describe('the page', () => {
	it('shows what is wrong with an invalid filter instead of dropping it', async () => {
		const res = await get(app, `${base}/deals?status=closed&owner=me`, { cookie: cookie.manager });
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('Bộ lọc trong đường dẫn không hợp lệ');
		expect(html).toContain('Trạng thái: chỉ nhận open (Đang mở)');
		expect(html).toContain(`href="?owner=me"`);
	});

	it('saves the current filters as a view', async () => {
		const res = await postForm(
			app,
			`${base}/deals?/saveView`,
			{ name: 'Khách lớn đang mở', query: 'status=open&amount_min=10tr', shared: 'on' },
			{ cookie: cookie.nam }
		);
		expect(res.status).toBeLessThan(400);
		const [row] = await app.db
			.select()
			.from(savedViews)
			.where(and(eq(savedViews.orgId, s.org.id), eq(savedViews.userId, s.nam.id)));
		expect(row).toMatchObject({
			name: 'Khách lớn đang mở',
			query: 'status=open&amount_min=10000000',
			shared: true
		});
	});
});

describe('outside the organisation', () => {
	it('answers 404 to every deals and customers endpoint', async () => {
		for (const path of [
			'/deals',
			'/deals/rows',
			'/deals/export.csv',
			'/deals/export.xlsx',
			'/customers/export.csv',
			'/customers/export.xlsx'
		]) {
			const res = await get(app, `${base}${path}`, { cookie: cookie.outsider });
			expect(res.status, path).toBe(404);
			await res.body?.cancel();
		}
	});
});
