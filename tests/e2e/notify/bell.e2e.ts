import { expect, test } from '@playwright/test';
import { dragToColumn, openBoard, settled } from '../boards/board';

// Issue 6's must-show, end to end in two browser contexts: A (the owner) follows a deal from
// its drawer; B (a manager) drags it to another stage on the board and records a payment; A's
// bell shows one new notification holding both changes within 5 s, without a reload. Opening
// it takes A to the deal and marks it read. Screenshots of the popover (1366×768) and of the
// list on a phone (390×844) are kept in the test's output folder.

test('A follows a deal; B moves it and records a payment; A’s bell shows both within 5 s', async ({
	browser
}, testInfo) => {
	test.setTimeout(120_000);
	const a = await openBoard(browser, { who: 'lan', board: 'Bán hàng dự án' });
	const b = await openBoard(browser, { who: 'huy', board: 'Bán hàng dự án' });

	// B adds a deal of their own.
	const title = `Màn hình LED hội trường ${Date.now().toString(36)}`;
	const firstColumn = b.page.getByTestId('board-column').first();
	await firstColumn.getByRole('button', { name: /Thêm giao dịch/ }).click();
	await firstColumn.getByPlaceholder('VD: Lắp điều hoà văn phòng').fill(title);
	await firstColumn.getByPlaceholder('VD: 1,5tr hoặc 15.000.000').fill('40tr');
	await firstColumn.getByRole('button', { name: 'Thêm', exact: true }).click();
	await firstColumn.getByRole('button', { name: 'Đóng', exact: true }).click();
	const card = b.page.getByTestId('deal-card').filter({ hasText: title });
	const dealId = (await card.getAttribute('data-deal-id')) ?? '';
	expect(dealId).toMatch(/^[0-9a-f-]{36}$/);

	// A sees it arrive on their board, opens it and follows it.
	await a.page.getByRole('link', { name: title }).click();
	const aDrawer = a.page.getByTestId('deal-drawer');
	await expect(aDrawer.getByRole('heading', { name: title })).toBeVisible();
	const follow = aDrawer.getByTestId('follow-deal');
	await expect(follow).toHaveText('Theo dõi');
	await follow.click();
	await expect(follow).toHaveText('Đang theo dõi');
	await expect(follow).toHaveAttribute('aria-pressed', 'true');
	await a.page.keyboard.press('Escape');
	await expect(aDrawer).toBeHidden();

	// The bell in A's sidebar (the phone header's copy is hidden at this width).
	const bell = a.page.getByRole('button', { name: /^Thông báo/ });
	await expect(bell).toBeVisible();
	const before = Number(await bell.getAttribute('data-unread'));

	// B drags the card two stages on, then records a payment in its drawer.
	const toStage = await b.page
		.getByTestId('board-column')
		.nth(2)
		.getByRole('heading', { level: 2 })
		.innerText();
	await dragToColumn(b.page, dealId, 2);
	await settled(b.page);
	await expect(b.page.getByTestId('board-column').nth(2).getByText(title)).toBeVisible();
	await b.page.getByRole('link', { name: title }).click();
	const payments = b.page.getByTestId('deal-drawer').getByTestId('deal-payments');
	const form = payments.getByRole('form', { name: 'Ghi nhận thanh toán' });
	await form.getByLabel('Số tiền').fill('5tr');
	await form.getByLabel('Phương thức').selectOption({ label: 'Chuyển khoản' });
	await form.getByLabel('Số tham chiếu / mã giao dịch').fill('FT-LED-01');
	await form.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
	await expect(payments.getByTestId('money-paid')).toHaveText(/5\.000\.000/);
	const paidAt = Date.now();

	// A's bell: one more unread notification, and it tells both changes, within 5 s.
	await expect(bell).toHaveAttribute('data-unread', String(before + 1), { timeout: 5_000 });
	await bell.click();
	const popover = a.page.getByTestId('bell-popover');
	const item = popover.getByRole('listitem').filter({ hasText: title });
	await expect(item).toHaveCount(1);
	await expect(item).toContainText(`Trần Quốc Huy chuyển sang giai đoạn ${toStage}`, {
		timeout: Math.max(0, 5_000 - (Date.now() - paidAt))
	});
	await expect(item).toContainText('Trần Quốc Huy ghi nhận thanh toán 5.000.000');
	expect(Date.now() - paidAt).toBeLessThan(5_000);
	await expect(item).toContainText('Chưa đọc');
	await popover.screenshot({ path: testInfo.outputPath('bell-popover-1366.png') });
	await a.page.screenshot({ path: testInfo.outputPath('bell-page-1366.png') });

	// B made the changes: B is not told of them.
	const bBell = b.page.getByRole('button', { name: /^Thông báo/ });
	await expect(bBell).toHaveAttribute('data-unread', '0');

	// Opening it goes to the deal and marks it read, here and in the count.
	await item.getByRole('link').click();
	await expect(a.page).toHaveURL(new RegExp(`\\?deal=${dealId}$`));
	await expect(aDrawer.getByRole('heading', { name: title })).toBeVisible();
	await expect(bell).toHaveAttribute('data-unread', String(before));

	// The list on a phone.
	await a.page.setViewportSize({ width: 390, height: 844 });
	const orgUrl = /\/o\/[0-9a-f-]+/.exec(a.page.url())![0];
	await a.page.goto(`${orgUrl}/notifications`);
	const list = a.page.getByRole('list', { name: 'Danh sách thông báo' });
	await expect(list.getByRole('listitem').filter({ hasText: title })).toContainText(
		'Trần Quốc Huy ghi nhận thanh toán 5.000.000'
	);
	await a.page.screenshot({ path: testInfo.outputPath('notifications-390.png') });

	// Marked unread again from the list, the phone header's bell counts it.
	await list
		.getByRole('listitem')
		.filter({ hasText: title })
		.getByRole('button', { name: 'Đánh dấu chưa đọc' })
		.click();
	await expect(a.page.getByRole('button', { name: /^Thông báo/ })).toHaveAttribute(
		'data-unread',
		String(before + 1)
	);

	await a.context.close();
	await b.context.close();
});
