import { expect, test } from '@playwright/test';
import { openBoard } from '../boards/board';
import { onePagePdf } from '../files/fixtures';

// Issue 5, contracts: a manager attaches the signed PDF to a deal, records the contract with it
// from the deal's page, finds it under "Sắp hết hạn" in the contracts list, renews it with a
// renewal deal in another pipeline, and that deal is on the other board.

// A day in Hồ Chí Minh City's calendar, `days` from today.
function dayFromToday(days: number) {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(
		new Date()
	);
	const at = new Date(`${today}T00:00:00Z`);
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

test('a contract with its signed copy expires soon, is renewed and makes a renewal deal', async ({
	browser
}) => {
	const { page } = await openBoard(browser, { who: 'huy', board: 'Bán lẻ' });
	const card = page.getByTestId('deal-card').first();
	const dealTitle = (await card.getAttribute('aria-label'))!;
	await card.getByRole('link').first().click();
	await expect(page).toHaveURL(/\?deal=[0-9a-f-]{36}$/);
	const dealUrl = page.url();
	const drawer = page.getByTestId('deal-drawer');
	const suffix = Date.now().toString(36).toUpperCase();
	const number = `HĐ-${suffix}`;
	const pdfName = `Hợp đồng đã ký ${suffix}.pdf`;

	// The signed copy goes up through the deal's files first.
	const files = drawer.getByRole('group', { name: 'Tệp đính kèm' });
	await files.getByLabel('chọn tệp').setInputFiles({
		name: pdfName,
		mimeType: 'application/pdf',
		buffer: onePagePdf({ text: 'Hop dong da ky' })
	});
	await expect(files.getByRole('list', { name: 'Tệp đính kèm' })).toContainText(pdfName);

	// The contract, ending in 20 days, with 30 days' notice: inside its notice period.
	const section = drawer.getByRole('group', { name: 'Hợp đồng' });
	await section.getByRole('button', { name: 'Thêm hợp đồng' }).click();
	const form = section.getByRole('form', { name: 'Hợp đồng mới' });
	await form.getByLabel('Số hợp đồng').fill(number);
	await form.getByLabel('Giá trị (đồng)').fill('150.000.000');
	await form.getByLabel('Tên hợp đồng').fill('Bảo trì hệ thống 2026');
	await form.getByLabel('Ngày bắt đầu').fill(dayFromToday(-345));
	await form.getByLabel('Ngày kết thúc').fill(dayFromToday(20));
	await form.getByLabel('Bản đã ký').selectOption({ label: pdfName });
	// A refused value keeps everything typed and says why, beside the field.
	await form.getByLabel('Giá trị (đồng)').fill('-5');
	await form.getByRole('button', { name: 'Lưu hợp đồng' }).click();
	await expect(form).toContainText('Giá trị là số đồng từ 0');
	await expect(form.getByLabel('Số hợp đồng')).toHaveValue(number);
	await form.getByLabel('Giá trị (đồng)').fill('150.000.000');
	await form.getByRole('button', { name: 'Lưu hợp đồng' }).click();

	await expect(section.getByRole('status')).toHaveText(`Đã thêm hợp đồng ${number}.`);
	const item = section.getByRole('listitem', { name: number, exact: true });
	await expect(item).toContainText('Bảo trì hệ thống 2026');
	await expect(item).toContainText('150.000.000');
	await expect(item).toContainText('Còn 20 ngày');
	await expect(item).toContainText('Hiệu lực');
	await expect(item.getByRole('link', { name: `Bản ký: ${pdfName}` })).toHaveAttribute(
		'href',
		/\/files\/[0-9a-f-]{36}\?preview$/
	);

	// The contracts list, "Sắp hết hạn (30 ngày)".
	const orgUrl = /\/o\/[0-9a-f-]+/.exec(page.url())![0];
	await page.goto(`${orgUrl}/contracts`);
	await page.getByRole('link', { name: 'Sắp hết hạn (30 ngày)' }).click();
	await expect(page).toHaveURL(/status=expiring/);
	const row = page.getByTestId('contract-row').filter({ hasText: number });
	await expect(row).toContainText(dealTitle);
	await expect(row).toContainText('Còn 20 ngày');
	// Its link leads back to the deal on its board.
	await row.getByRole('link', { name: number, exact: true }).click();
	await expect(page).toHaveURL(dealUrl);

	// Renewed with a renewal deal in the other pipeline.
	const again = page.getByTestId('deal-drawer').getByRole('group', { name: 'Hợp đồng' });
	await again.getByRole('button', { name: `Gia hạn hợp đồng ${number}` }).click();
	const dialog = page.getByRole('dialog', { name: `Gia hạn hợp đồng ${number}` });
	await expect(dialog.getByLabel('Số hợp đồng')).toHaveValue(`${number}-GH1`);
	await expect(dialog.getByLabel('Giá trị (đồng)')).toHaveValue('150.000.000');
	await expect(dialog.getByLabel('Ngày bắt đầu')).toHaveValue(dayFromToday(21));
	await dialog.getByLabel('Quy trình').selectOption({ label: 'Bán hàng dự án' });
	await expect(dialog.getByLabel('Tên giao dịch')).toHaveValue(`Gia hạn: ${dealTitle}`);
	await dialog.getByRole('button', { name: 'Gia hạn', exact: true }).click();
	await expect(dialog).toHaveCount(0);
	await expect(again.getByRole('status')).toContainText(
		`Đã gia hạn: hợp đồng ${number}-GH1 và giao dịch gia hạn trên bảng.`
	);
	await expect(again.getByRole('listitem', { name: number, exact: true })).toContainText(
		'Đã gia hạn'
	);
	await expect(again.getByRole('listitem', { name: `${number}-GH1`, exact: true })).toContainText(
		`Gia hạn từ ${number}`
	);

	// The renewal deal is a card on the other board, open in its drawer.
	await again.getByRole('link', { name: 'Mở giao dịch gia hạn' }).click();
	await expect(page).toHaveURL(/\/boards\/[0-9a-f-]+\?deal=[0-9a-f-]{36}$/);
	expect(page.url().split('?')[0]).not.toBe(dealUrl.split('?')[0]);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Bán hàng dự án');
	await expect(page.getByTestId('deal-drawer').getByRole('heading', { level: 2 })).toHaveText(
		`Gia hạn: ${dealTitle}`
	);
	await expect(page.getByTestId('deal-drawer').getByTestId('deal-amount')).toContainText(
		'150.000.000'
	);
	await page.getByTestId('deal-drawer').getByRole('button', { name: 'Đóng' }).first().click();
	await expect(
		page.getByTestId('deal-card').filter({ hasText: `Gia hạn: ${dealTitle}` })
	).toBeVisible();
});
