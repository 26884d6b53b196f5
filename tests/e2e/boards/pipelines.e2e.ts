import { expect, test, type Locator, type Page } from '@playwright/test';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName } from '../../../src/lib/board/doc';
import { createDeal } from '../../../src/lib/board/ops';
import { readDeals } from '../../../src/lib/board/read';
import { connect } from '../../support/collab-client';
import { logIn, open } from '../support/app';

// The demo manager manages pipelines: creates one, adds a stage and drags it into place (mouse,
// then keyboard), deletes a stage that holds deals and chooses where they go. Screenshots at
// desktop and phone sizes land in test-results/ for a human look.

const manager = { email: 'huy@demo.chot.vn', password: 'chot-demo-2026' };
const desktop = { width: 1366, height: 768 };
const phone = { width: 390, height: 844 };

/** Screenshots at both sizes, with `focus` scrolled into view (the shell scrolls inside). */
async function shoot(page: Page, name: string, focus?: Locator) {
	for (const [size, viewport] of [
		['1366', desktop],
		['390', phone]
	] as const) {
		await page.setViewportSize(viewport);
		await focus?.scrollIntoViewIfNeeded();
		// The shell's sidebar slides when the layout crosses its breakpoint.
		await page.waitForTimeout(400);
		await page.screenshot({ path: `test-results/pipelines-${name}-${size}.png` });
	}
	await page.setViewportSize(desktop);
}

// The stages in their order on the page, read from their drag handles' labels.
async function stageNames(page: Page) {
	const prefix = 'Kéo để sắp xếp giai đoạn ';
	const labels = await page
		.getByRole('button', { name: prefix })
		.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
	return labels.map((l) => l.slice(prefix.length));
}

test('the demo manager creates a pipeline, orders its stages by dragging and deletes one holding deals', async ({
	page,
	context
}) => {
	// Many steps and six full-page screenshots on a shared two-core machine.
	test.setTimeout(180_000);
	await logIn(page, manager);
	await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards$/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	const orgUrl = page.url().replace(/\/boards$/, '');

	// The list: the demo's two pipelines with their stages.
	await expect(page.getByRole('heading', { name: 'Quy trình bán hàng', level: 1 })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Bán hàng dự án', exact: true })).toBeVisible();
	await shoot(page, 'list');

	// Create a pipeline from the six sample stages.
	await page.getByText('Quy trình mới').click();
	const create = page.getByRole('form', { name: 'Quy trình mới' });
	await create.getByLabel('Tên quy trình').fill('Điện mặt trời áp mái');
	await create.getByLabel('6 giai đoạn mẫu').check();
	await shoot(page, 'create');
	await create.getByRole('button', { name: 'Tạo quy trình' }).click();
	await expect(page).toHaveURL(/\/boards\/[0-9a-f-]{36}\/settings\?created$/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expect(page.getByText('Đã tạo quy trình “Điện mặt trời áp mái”.')).toBeVisible();
	const pipelineId = page.url().split('/')[6]!;
	expect(await stageNames(page)).toEqual([
		'Tiếp cận',
		'Khảo sát nhu cầu',
		'Báo giá',
		'Đàm phán',
		'Ký hợp đồng',
		'Triển khai'
	]);

	// Add a stage; it goes to the end.
	await page.getByText('Thêm giai đoạn').click();
	const add = page.getByRole('form', { name: 'Thêm giai đoạn' });
	await add.getByLabel('Tên giai đoạn').fill('Khảo sát mái');
	await add.getByLabel('Khả năng chốt (%)').fill('30');
	await add.getByLabel('Cảnh báo sau (ngày)').fill('5');
	await shoot(page, 'add-stage', add.getByRole('button', { name: 'Lưu giai đoạn mới' }));
	await add.getByRole('button', { name: 'Lưu giai đoạn mới' }).click();
	await expect(page.getByText('Đã thêm giai đoạn “Khảo sát mái”.')).toBeVisible();
	expect((await stageNames(page)).at(-1)).toBe('Khảo sát mái');

	// Drag it by its handle to just above "Báo giá".
	const handle = page.getByRole('button', { name: 'Kéo để sắp xếp giai đoạn Khảo sát mái' });
	const quote = page
		.getByRole('list', { name: 'Các giai đoạn của quy trình' })
		.getByRole('listitem')
		.filter({ hasText: 'Báo giá' });
	// Both rows on screen: the mouse works in viewport coordinates.
	await page.getByRole('heading', { name: 'Giai đoạn', exact: true }).scrollIntoViewIfNeeded();
	await page.evaluate(() => window.scrollBy(0, 250));
	const from = (await handle.boundingBox())!;
	const to = (await quote.boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 12, { steps: 4 });
	await page.mouse.move(from.x + from.width / 2, to.y + 4, { steps: 20 });
	await page.waitForTimeout(200);
	await page.mouse.up();
	await expect(page.getByText('Đã chuyển “Khảo sát mái” đến vị trí 3.')).toBeVisible();
	expect(await stageNames(page)).toEqual([
		'Tiếp cận',
		'Khảo sát nhu cầu',
		'Khảo sát mái',
		'Báo giá',
		'Đàm phán',
		'Ký hợp đồng',
		'Triển khai'
	]);

	// The same by keyboard: pick up, one step down, drop. dnd-kit ignores a pick-up while the
	// mouse drop above still animates (no DOM marker says when it ends): press again until the
	// handle reports it is held, as a person would.
	await expect(page.locator('[data-dnd-placeholder]')).toHaveCount(0);
	await expect(async () => {
		await handle.focus();
		await page.keyboard.press('Space');
		await expect(handle).toHaveAttribute('aria-pressed', 'true', { timeout: 1000 });
	}).toPass({ timeout: 10_000 });
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Space');
	await expect(page.getByText('Đã chuyển “Khảo sát mái” đến vị trí 4.')).toBeVisible();
	expect((await stageNames(page))[3]).toBe('Khảo sát mái');

	// And with the fallback button.
	await page.getByRole('button', { name: 'Chuyển Khảo sát mái lên' }).click();
	await expect(page.getByText('Đã chuyển “Khảo sát mái” đến vị trí 3.')).toBeVisible();
	await shoot(page, 'settings');
	await shoot(page, 'access', page.getByRole('group', { name: 'Sửa giao dịch' }));

	// Two deals in "Đàm phán", written into the manager's shard by a connected client. The
	// manager's id comes from the page's server-rendered data (the session's user).
	const html = await (await page.request.get(page.url())).text();
	const managerId = /user:\{id:"([0-9a-f-]{36})"/.exec(html)![1]!;
	const session = (await context.cookies()).find((c) => c.name.endsWith('chot_session'))!;
	const cookie = `${session.name}=${session.value}`;
	const origin = new URL(page.url()).origin;
	const pipeline = connect({ origin, documentName: pipelineDocName(pipelineId), cookie });
	const shard = connect({ origin, documentName: dealsDocName(pipelineId, managerId), cookie });
	await Promise.all([pipeline.synced, shard.synced]);
	const stageId = (name: string) =>
		[...pipeline.doc.getMap<Y.Map<unknown>>('stages').entries()].find(
			([, m]) => m.get('name') === name
		)![0];
	for (const title of ['Hệ 10 kWp nhà anh Tuấn', 'Hệ 50 kWp xưởng may Bình Minh']) {
		createDeal(
			{ pipelineDoc: pipeline.doc, dealDoc: shard.doc },
			{
				id: uuidv7(),
				title,
				stageId: stageId('Đàm phán'),
				ownerId: managerId,
				amount: 180_000_000
			},
			{ kind: 'user', userId: managerId }
		);
	}
	await expect.poll(() => shard.provider.unsyncedChanges).toBe(0);

	// Delete "Đàm phán": the page asks where its two deals go.
	await open(page, `${orgUrl}/boards/${pipelineId}/settings`);
	await page.getByRole('link', { name: 'Xoá giai đoạn Đàm phán' }).click();
	await expect(page.getByText('Giai đoạn này đang có 2 giao dịch.')).toBeVisible();
	await page.getByRole('button', { name: 'Xoá và chuyển giao dịch' }).click();
	await expect(
		page.getByText('Giai đoạn này còn giao dịch. Hãy chọn giai đoạn sẽ nhận các giao dịch đó.')
	).toBeVisible();
	await page.getByLabel('Chuyển giao dịch sang').selectOption({ label: 'Báo giá' });
	await shoot(page, 'delete', page.getByRole('button', { name: 'Xoá và chuyển giao dịch' }));
	await page.getByRole('button', { name: 'Xoá và chuyển giao dịch' }).click();
	await expect(
		page.getByText('Đã xoá giai đoạn “Đàm phán” và chuyển 2 giao dịch sang “Báo giá”.')
	).toBeVisible();
	expect(await stageNames(page)).not.toContain('Đàm phán');
	await expect(
		page.getByRole('list', { name: 'Các giai đoạn của quy trình' }).getByText('2 giao dịch')
	).toBeVisible();
	// The connected client saw both deals move.
	await expect
		.poll(() => readDeals(shard.doc).map((d) => d.stageId))
		.toEqual([stageId('Báo giá'), stageId('Báo giá')]);
	pipeline.destroy();
	shard.destroy();

	// Back on the list, the new pipeline shows its stages and the two deals.
	await open(page, `${orgUrl}/boards`);
	await expect(page.getByRole('link', { name: 'Điện mặt trời áp mái', exact: true })).toBeVisible();
	await expect(page.getByLabel('Báo giá: 2 giao dịch')).toBeVisible();
	await shoot(page, 'list-after');

	// Archive it (after a confirmation), find it in the collapsed list, restore it.
	const actions = page.getByRole('group', { name: 'Thao tác với quy trình Điện mặt trời áp mái' });
	await actions.getByText('Lưu trữ', { exact: true }).click();
	await expect(actions.getByText('Lưu trữ “Điện mặt trời áp mái”?')).toBeVisible();
	await actions.getByRole('button', { name: 'Lưu trữ quy trình' }).click();
	await expect(page.getByText('Đã lưu trữ quy trình “Điện mặt trời áp mái”.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Điện mặt trời áp mái', exact: true })).toHaveCount(
		0
	);
	await page.getByText('Đã lưu trữ (1)').click();
	await shoot(page, 'archived');
	await page.getByRole('button', { name: 'Khôi phục quy trình Điện mặt trời áp mái' }).click();
	await expect(page.getByText('Đã khôi phục quy trình “Điện mặt trời áp mái”.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Điện mặt trời áp mái', exact: true })).toBeVisible();
});
