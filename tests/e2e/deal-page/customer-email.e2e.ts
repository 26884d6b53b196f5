import { expect, test } from '@playwright/test';
import { openBoard } from '../boards/board';
import { onePagePdf } from '../files/fixtures';

// Issue 6, item 8 in the browser: a rep writes to the deal's customer from the deal page with a
// template and one of the deal's files, sees the preview filled, sends, and finds the email in
// the contact log with its state. The e2e server has no RESEND_API_KEY, so the email ends in the
// organisation's outbox (tests/integration/mail/customer-email.spec.ts covers Resend).

test('a rep emails the customer from the deal page with a template and a file, and the contact log shows it', async ({
	browser
}) => {
	const { page, context } = await openBoard(browser, { who: 'nam', board: 'Bán hàng dự án' });
	const title = 'Thi công nội thất văn phòng tầng 5';
	await page.getByRole('link', { name: title }).first().click();
	const drawer = page.getByTestId('deal-drawer');
	await expect(drawer.getByRole('heading', { name: title })).toBeVisible();

	// A quote attached to the deal first.
	const fileName = `Báo giá nội thất ${Date.now().toString(36)}.pdf`;
	await drawer.getByLabel('chọn tệp').setInputFiles({
		name: fileName,
		mimeType: 'application/pdf',
		buffer: onePagePdf({ text: 'Bao gia noi that', size: 180_000 })
	});
	await expect(
		drawer.getByRole('list', { name: 'Tệp đính kèm' }).getByRole('listitem').filter({
			hasText: fileName
		})
	).toBeVisible();

	await drawer.getByRole('button', { name: 'Gửi email' }).click();
	const dialog = page.getByRole('dialog', { name: 'Gửi email cho khách hàng' });
	await expect(dialog).toBeVisible();
	// The customer's address is there already.
	await expect(dialog.getByLabel('Gửi đến')).toHaveValue('lienhe@hoabinhxanh.vn');

	await dialog.getByLabel('Mẫu email').selectOption({ label: 'Gửi báo giá' });
	await expect(dialog.getByLabel('Tiêu đề')).toHaveValue('Báo giá {{ten_co_hoi}}');
	const preview = dialog.getByTestId('email-preview');
	await expect(preview).toContainText(`Báo giá ${title}`);
	await expect(preview).toContainText('Kính gửi Công ty CP Xây dựng Hoà Bình Xanh,');
	await expect(preview).toContainText('450.000.000');
	await expect(preview).toContainText('Lê Văn Nam');

	// An unknown variable stays visible and is reported, so it never silently vanishes.
	const body = dialog.getByLabel('Nội dung', { exact: true });
	await body.press('End');
	await body.pressSequentially('\nMã đơn: {{ma_don}}');
	await expect(dialog.getByText(/Biến không có trong danh sách.*\{\{ma_don\}\}/)).toBeVisible();
	await expect(preview).toContainText('Mã đơn: {{ma_don}}');
	// A variable inserted with its button lands where the caret is.
	await dialog.getByRole('button', { name: 'Chèn Tên cơ hội' }).click();
	await expect(body).toHaveValue(/\{\{ma_don\}\}\{\{ten_co_hoi\}\}$/);

	await dialog.getByRole('checkbox', { name: fileName }).check();
	await expect(dialog.getByTestId('attachment-total')).toContainText('Đã chọn 1 tệp');
	await expect(preview).toContainText(fileName);

	await page.screenshot({ path: 'test-results/customer-email-compose-1366.png' });
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(dialog.getByRole('button', { name: 'Gửi email' })).toBeVisible();
	await page.screenshot({ path: 'test-results/customer-email-compose-390.png' });
	await page.setViewportSize({ width: 1366, height: 768 });

	await dialog.getByRole('button', { name: 'Gửi email' }).click();
	await expect(dialog).toBeHidden();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Đã đưa email tới lienhe@hoabinhxanh.vn' })
	).toBeVisible();

	// In the contact log as an email, with its state: no mail service here, so the outbox.
	const entry = drawer
		.getByTestId('contact-log')
		.getByRole('listitem')
		.filter({ hasText: `Báo giá ${title}` });
	await expect(entry).toHaveCount(1);
	await expect(entry).toContainText('Email');
	await expect(entry.getByTestId('email-state')).toHaveText('Trong hộp thư đi', {
		timeout: 15_000
	});
	await expect(entry).toContainText('Tới lienhe@hoabinhxanh.vn · 1 tệp đính kèm');
	await expect(drawer.getByTestId('timeline')).toContainText(`Báo giá ${title}`);
	await entry.evaluate((el) => el.scrollIntoView({ block: 'center' }));
	await page.screenshot({ path: 'test-results/customer-email-logged.png' });

	// Opening the panel again starts a new email, not the one just sent.
	await drawer.getByRole('button', { name: 'Gửi email' }).click();
	await expect(dialog.getByLabel('Tiêu đề')).toHaveValue('');
	await dialog.getByRole('button', { name: 'Huỷ' }).click();
	await expect(dialog).toBeHidden();

	await context.close();
});
