import { expect, test } from '@playwright/test';
import { logIn, open } from '../support/app';

// A manager keeps a customer record: creates it with two phones, finds it in the list, opens
// its page, edits it, and deletes it after a confirmation that says what happens to its deals.
test('a manager creates, finds, edits and deletes a customer', async ({ page }) => {
	await logIn(page, { email: 'huy@demo.chot.vn', password: 'chot-demo-2026' });
	await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();

	await page.getByRole('navigation').getByRole('link', { name: 'Khách hàng' }).click();
	await expect(page).toHaveURL(/\/customers$/);
	await expect(page.getByRole('heading', { name: 'Khách hàng', exact: true })).toBeVisible();
	const list = page.url();

	// Create, with two phones typed the way people type them.
	await page.getByRole('link', { name: 'Thêm khách hàng' }).click();
	await expect(page.getByRole('heading', { name: 'Khách hàng mới' })).toBeVisible();
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await page.getByLabel('Tên khách hàng').fill('Chị Đoàn Thị Mỹ Linh');
	await page.getByLabel('Số điện thoại 1', { exact: true }).fill('0915.246.810');
	await page.getByRole('button', { name: 'Thêm số' }).click();
	await page.getByLabel('Số điện thoại 2', { exact: true }).fill('+84 28 3822 4466');
	await page.getByLabel('Email').fill('mylinh@hoasen.vn');
	await page.getByRole('button', { name: 'Tạo khách hàng' }).click();

	await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}\?created$/);
	await expect(page.getByText('Đã tạo khách hàng “Chị Đoàn Thị Mỹ Linh”.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Gọi 0915 246 810' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Gọi 028 3822 4466' })).toBeVisible();
	const customerUrl = page.url().replace(/\?created$/, '');

	// It is in the list; searching without accents finds it.
	await open(page, list);
	await page.getByRole('searchbox', { name: 'Tìm khách hàng' }).fill('doan thi my');
	await expect(page).toHaveURL(/q=doan/);
	const table = page.getByRole('table', { name: 'Danh sách khách hàng' });
	const row = table.getByRole('row').filter({ hasText: 'Chị Đoàn Thị Mỹ Linh' });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('0915 246 810');
	await row.getByRole('link', { name: 'Chị Đoàn Thị Mỹ Linh' }).click();
	await expect(page).toHaveURL(customerUrl);
	await expect(page.getByRole('heading', { name: 'Thanh toán và công nợ' })).toBeVisible();
	await expect(page.getByText('Khách hàng này không còn công nợ.')).toBeVisible();
	await expect(page.getByText('Chưa có khoản thanh toán nào.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Liên hệ' })).toBeVisible();

	// Edit.
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await page.getByRole('link', { name: 'Sửa' }).click();
	await expect(page.getByRole('heading', { name: 'Sửa thông tin khách hàng' })).toBeVisible();
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expect(page.getByLabel('Số điện thoại 1', { exact: true })).toHaveValue('0915 246 810');
	await page.getByLabel('Tên khách hàng').fill('Chị Đoàn Mỹ Linh');
	await page.getByLabel('Mã số thuế (MST)').fill('0312 345 678');
	await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
	await expect(page).toHaveURL(`${customerUrl}?saved`);
	await expect(page.getByText('Đã lưu thông tin khách hàng.')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Chị Đoàn Mỹ Linh' })).toBeVisible();
	await expect(page.getByText('0312345678')).toBeVisible();

	// Delete, after a confirmation saying the deals stay and show "Không còn khách hàng".
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await page.getByRole('button', { name: 'Xoá', exact: true }).click();
	const dialog = page.getByRole('alertdialog');
	await expect(dialog).toBeVisible();
	await expect(dialog).toContainText('Xoá khách hàng “Chị Đoàn Mỹ Linh”?');
	await expect(dialog).toContainText('Khách chưa có giao dịch nào.');
	await dialog.getByRole('button', { name: 'Huỷ' }).click();
	await expect(dialog).toBeHidden();
	// Cancelling deletes nothing.
	await open(page, customerUrl);
	await expect(page.getByRole('heading', { name: 'Chị Đoàn Mỹ Linh' })).toBeVisible();
	await page.getByRole('button', { name: 'Xoá', exact: true }).click();
	await page.getByRole('alertdialog').getByRole('button', { name: 'Xoá khách hàng' }).click();
	await expect(page).toHaveURL(/\/customers\?deleted=/);
	await expect(
		page.getByText(
			'Đã xoá khách hàng “Chị Đoàn Mỹ Linh”. Các giao dịch của khách vẫn được giữ và ghi “Không còn khách hàng”.'
		)
	).toBeVisible();
	await expect(page.getByRole('link', { name: 'Chị Đoàn Mỹ Linh' })).toHaveCount(0);
});

test('deleting a customer with deals says their deals stay and show "Không còn khách hàng"', async ({
	page
}) => {
	await logIn(page, { email: 'huy@demo.chot.vn', password: 'chot-demo-2026' });
	await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards/);
	const org = page.url().match(/\/o\/([0-9a-f-]{36})/)![1]!;
	// The demo's customers sorted by deals: the first one has some.
	await open(page, `/o/${org}/customers?sort=deals`);
	const first = page.getByRole('table').getByRole('row').nth(1);
	await first.getByRole('link').first().click();
	await expect(page.getByRole('heading', { name: 'Giao dịch' })).toBeVisible();
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await page.getByRole('button', { name: 'Xoá', exact: true }).click();
	const dialog = page.getByRole('alertdialog');
	await expect(dialog).toContainText('giao dịch của khách vẫn được giữ nguyên');
	await expect(dialog).toContainText('Không còn khách hàng');
	await dialog.getByRole('button', { name: 'Huỷ' }).click();
	await expect(dialog).toBeHidden();
	// Cancelling deletes nothing: the page is still there after a reload.
	const url = page.url();
	await open(page, url);
	await expect(page.getByRole('heading', { name: 'Giao dịch' })).toBeVisible();
});
