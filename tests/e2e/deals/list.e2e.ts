import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, setStatus } from '../../../src/lib/board/ops';
import { connect } from '../../support/collab-client';
import { logIn, open } from '../support/app';

// The demo manager opens the deals list, filters it by status, puts a deal on standby from a
// connected client and finds it in the Standby view with its reopen date, then downloads the
// list as CSV. Screenshots at desktop and phone sizes land in test-results/ for a human look.

const manager = { email: 'huy@demo.chot.vn', password: 'chot-demo-2026' };
const desktop = { width: 1366, height: 768 };
const phone = { width: 390, height: 844 };

async function shoot(page: Page, name: string) {
	for (const [size, viewport] of [
		['1366', desktop],
		['390', phone]
	] as const) {
		await page.setViewportSize(viewport);
		await page.waitForTimeout(400);
		await page.screenshot({ path: `test-results/deals-${name}-${size}.png` });
	}
	await page.setViewportSize(desktop);
}

test('the demo manager filters the deals list, opens the Standby view and downloads a CSV', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await logIn(page, manager);
	await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards$/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	const orgUrl = new URL(page.url()).pathname.replace(/\/boards$/, '');

	await page.getByRole('link', { name: 'Giao dịch', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`${orgUrl}/deals$`));
	await expect(page.getByRole('heading', { name: 'Giao dịch', level: 1 })).toBeVisible();
	const table = page.getByRole('table', { name: 'Danh sách giao dịch' });
	await expect(table.getByRole('row').nth(3)).toBeVisible();
	await expect(page.getByRole('link', { name: 'Tất cả' })).toHaveAttribute('aria-current', 'page');
	await shoot(page, 'all');

	// Filter by status: only closed deals remain, each with its badge, and the URL says so.
	await page.getByRole('button', { name: 'Bộ lọc', exact: true }).click();
	const panel = page.getByRole('region', { name: 'Bộ lọc' });
	await panel.getByLabel('Thắng', { exact: true }).check();
	await panel.getByLabel('Thua', { exact: true }).check();
	await page.getByRole('button', { name: 'Áp dụng' }).click();
	await expect(page).toHaveURL(/\/deals\?status=won&status=lost$/);
	await expect(page.getByRole('link', { name: 'Bỏ điều kiện Thắng' })).toBeVisible();
	// Listing lost deals brings their reason next to the title.
	await expect(table.getByRole('columnheader', { name: 'Lý do thua' })).toBeVisible();
	const deals = table.locator('tbody tr[data-deal]');
	await expect(deals.first()).toBeVisible();
	for (const text of await deals.allInnerTexts()) expect(text).toMatch(/Thắng|Thua/);
	await expect(table.getByText('Đang mở')).toHaveCount(0);
	await shoot(page, 'won');

	// A deal put on standby (by a connected client, as the board would) leaves the board and
	// shows in the Standby view with its reopen date.
	const html = await (await page.request.get(page.url())).text();
	const managerId = /user:\{id:"([0-9a-f-]{36})"/.exec(html)![1]!;
	const firstLink = await table.locator('tbody').getByRole('link').first().getAttribute('href');
	const pipelineId = /boards\/([0-9a-f-]{36})/.exec(firstLink!)![1]!;
	const session = (await context.cookies()).find((c) => c.name.endsWith('chot_session'))!;
	const cookie = `${session.name}=${session.value}`;
	const origin = new URL(page.url()).origin;
	const pipeline = connect({ origin, documentName: pipelineDocName(pipelineId), cookie });
	const shard = connect({ origin, documentName: dealsDocName(pipelineId, managerId), cookie });
	await Promise.all([pipeline.synced, shard.synced]);
	const dealId = uuidv7();
	const by = { kind: 'user', userId: managerId } as const;
	createDeal(
		{ pipelineDoc: pipeline.doc, dealDoc: shard.doc },
		{
			id: dealId,
			title: 'Bảo trì máy phát điện nhà xưởng',
			stageId: readStages(pipeline.doc)[0]!.id,
			ownerId: managerId,
			amount: 42_000_000
		},
		by
	);
	setStatus(shard.doc, { dealId, status: 'standby', standbyUntil: '2027-03-15' }, by);
	await expect.poll(() => shard.provider.unsyncedChanges).toBe(0);
	pipeline.destroy();
	shard.destroy();

	await page
		.getByRole('navigation', { name: 'Bộ lọc nhanh' })
		.getByRole('link', { name: 'Standby' })
		.click();
	await expect(page).toHaveURL(/\/deals\?status=standby&sort=standby$/);
	// The projection writes the deal's row within a second of the change.
	await expect(async () => {
		await open(page, page.url());
		await expect(table.getByRole('link', { name: 'Bảo trì máy phát điện nhà xưởng' })).toBeVisible({
			timeout: 1000
		});
	}).toPass({ timeout: 15_000 });
	await expect(table.getByRole('columnheader', { name: 'Ngày mở lại' })).toBeVisible();
	const row = table.getByRole('row').filter({ hasText: 'Bảo trì máy phát điện nhà xưởng' });
	await expect(row).toContainText('15/03/2027');
	await expect(page.getByRole('link', { name: 'Bỏ điều kiện Standby' })).toBeVisible();
	await expect(row.getByRole('link')).toHaveAttribute(
		'href',
		`${orgUrl}/boards/${pipelineId}?deal=${dealId}`
	);
	await shoot(page, 'standby');

	// Download what the view shows as CSV: Excel-ready UTF-8 with Vietnamese headers.
	await page.getByRole('button', { name: 'Xuất file' }).click();
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Tải CSV (UTF-8)' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^giao-dich-\d{4}-\d{2}-\d{2}\.csv$/);
	const csv = fs.readFileSync((await download.path())!, 'utf8');
	expect(csv.startsWith('\uFEFF')).toBe(true);
	const [header, ...rows] = csv.slice(1).trim().split('\r\n');
	expect(header!.split(',').slice(0, 3)).toEqual(['Giao dịch', 'Tiềm năng', 'Ngày mở lại']);
	expect(rows.some((r) => r.startsWith('Bảo trì máy phát điện nhà xưởng,,2027-03-15,'))).toBe(true);
});
