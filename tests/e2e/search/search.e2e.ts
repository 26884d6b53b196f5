import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, openBoard } from '../boards/board';
import { logIn } from '../support/app';

// The command palette on the demo data (issue 4, item 7): Ctrl+K, results as you type, keyboard
// choice, and offline search over a board opened before.

async function openPalette(page: Page) {
	await page.keyboard.press('Control+k');
	const box = page.getByRole('combobox', { name: 'Tìm kiếm' });
	await expect(box).toBeFocused();
	return box;
}

test('Ctrl+K finds a customer by name without accents and opens the chosen deal', async ({
	page
}) => {
	await logIn(page, { email: 'huy@demo.chot.vn', password: DEMO_PASSWORD });
	await page.waitForURL(/\/o\/[0-9a-f-]+\//);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	const orgUrl = /\/o\/[0-9a-f-]+/.exec(page.url())![0];

	const box = await openPalette(page);
	await box.pressSequentially('nguyen van an', { delay: 20 });
	const customer = page.getByRole('option', { name: /Nguyễn Văn An.*0912 345 678/ });
	await expect(customer).toBeVisible();
	// The first result is highlighted; the customer's deals follow under "Giao dịch".
	await expect(customer).toHaveAttribute('aria-selected', 'true');
	await expect(page.getByRole('group', { name: 'Giao dịch' }).getByRole('option')).not.toHaveCount(
		0
	);

	await box.press('ArrowDown');
	const deal = page.getByRole('option', { selected: true });
	await expect(deal).toContainText('Nguyễn Văn An');
	const href = await deal.getAttribute('href');
	expect(href).toMatch(new RegExp(`^${orgUrl}/boards/[0-9a-f-]+\\?deal=[0-9a-f-]+$`));
	await box.press('Enter');
	await page.waitForURL((url) => url.pathname + url.search === href);
	await expect(page.getByRole('combobox', { name: 'Tìm kiếm' })).toBeHidden();
});

test('a phone in any format finds the same customer, opened with the mouse', async ({ page }) => {
	await logIn(page, { email: 'nam@demo.chot.vn', password: DEMO_PASSWORD });
	await page.waitForURL(/\/o\/[0-9a-f-]+\//);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();

	const box = await openPalette(page);
	for (const q of ['+84 912 345 678', '0912345678', '345678']) {
		await box.fill(q);
		await expect(
			page.getByRole('group', { name: 'Khách hàng' }).getByRole('option').first()
		).toContainText('Nguyễn Văn An');
	}
	await box.fill('Nguyen Vna An');
	await expect(page.getByText('Kết quả gần đúng cho “nguyen van an”')).toBeVisible();
	await page
		.getByRole('option', { name: /Nguyễn Văn An/ })
		.first()
		.click();
	await page.waitForURL(/\/customers\/[0-9a-f-]+$/);
});

test('offline, it searches the boards already opened in this browser', async ({ browser }) => {
	const { context, page } = await openBoard(browser, { who: 'huy', board: 'Bán lẻ' });
	// The board's documents are in IndexedDB once y-indexeddb has written what the server sent.
	await expect
		.poll(() =>
			page.evaluate(async () =>
				(await indexedDB.databases()).some((d) => d.name?.includes(':deals:'))
			)
		)
		.toBe(true);
	await context.setOffline(true);
	await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'offline');
	const box = await openPalette(page);
	await box.fill('may loc nuoc');
	await expect(page.getByText('Ngoại tuyến — tìm trong các bảng đã mở')).toBeVisible();
	await expect(page.getByRole('option', { name: /Máy lọc nước RO gia đình/ })).toBeVisible();
	await context.close();
});
