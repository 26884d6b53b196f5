import { expect, test } from '@playwright/test';
import { openBoard } from '../boards/board';
import { onePagePdf, sitePhoto } from './fixtures';

// Issue 4, files: a manager attaches a PDF quote and a site photo to a deal from its page over
// the board, watches the upload progress, sees both listed with the note (the photo with its
// thumbnail), and opens both previews; a page disguised as a PDF is refused with a message.

test('a PDF and an image are attached to a deal and previewed', async ({ browser }) => {
	const { page, context } = await openBoard(browser, { who: 'huy', board: 'Bán lẻ' });
	await page.getByTestId('deal-card').first().getByRole('link').first().click();
	await expect(page).toHaveURL(/\?deal=[0-9a-f-]{36}$/);
	const files = page.getByTestId('deal-drawer').getByRole('group', { name: 'Tệp đính kèm' });
	const suffix = Date.now().toString(36);
	const pdfName = `Báo giá máy lạnh ${suffix}.pdf`;
	const pngName = `công-trình-${suffix}.png`;

	// A slow uplink (about 100 KB/s) so the progress bar is there to see.
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 20,
		downloadThroughput: -1,
		uploadThroughput: 100 * 1024
	});
	await files.getByLabel('Ghi chú kèm tệp').fill('Báo giá lần 2, đã gửi khách');
	await files.getByLabel('chọn tệp').setInputFiles([
		{
			name: pdfName,
			mimeType: 'application/pdf',
			buffer: onePagePdf({ text: 'Bao gia may lanh', size: 400_000 })
		},
		{ name: pngName, mimeType: 'image/png', buffer: await sitePhoto({ width: 1200, height: 800 }) }
	]);
	const progress = files.getByRole('progressbar', { name: `Tiến độ tải lên ${pdfName}` });
	await expect(progress).toBeVisible();
	await expect(progress).not.toHaveAttribute('aria-valuenow', '100');
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 0,
		downloadThroughput: -1,
		uploadThroughput: -1
	});

	const listed = files.getByRole('list', { name: 'Tệp đính kèm' });
	const pdfRow = listed.getByRole('listitem').filter({ hasText: pdfName });
	const pngRow = listed.getByRole('listitem').filter({ hasText: pngName });
	await expect(pdfRow).toContainText('Báo giá lần 2, đã gửi khách');
	await expect(pdfRow).toContainText('Trần Quốc Huy');
	await expect(pngRow).toContainText('Báo giá lần 2, đã gửi khách');
	await expect(progress).toHaveCount(0);
	// The deal's timeline records both attachments with who attached them.
	const timeline = page.getByTestId('deal-drawer').getByTestId('timeline');
	await expect(timeline).toContainText(`Trần Quốc Huy đính kèm tệp “${pdfName}”`);
	await expect(timeline).toContainText(`đính kèm tệp “${pngName}”`);
	// The photo's thumbnail, made by a job a moment after the upload.
	await expect(pngRow.locator('img')).toHaveJSProperty('naturalWidth', 320, { timeout: 15_000 });

	// The PDF opens in the browser's viewer, inside the preview dialog.
	const pdfLoaded = page.waitForResponse(
		(r) => r.url().endsWith('?preview') && r.request().resourceType() === 'document'
	);
	await files.getByRole('button', { name: `Xem trước ${pdfName}` }).click();
	const pdfDialog = page.getByRole('dialog', { name: pdfName });
	await expect(pdfDialog.locator('iframe')).toBeVisible();
	const pdfResponse = await pdfLoaded;
	expect(pdfResponse.status()).toBe(200);
	expect(pdfResponse.headers()['content-type']).toBe('application/pdf');
	expect(pdfResponse.headers()['content-disposition']).toMatch(/^inline;/);
	await expect
		.poll(() => page.frames().some((f) => f.url().startsWith('chrome-extension://')))
		.toBe(true);
	await expect(pdfDialog.getByRole('link', { name: `Tải xuống ${pdfName}` })).toBeVisible();
	await pdfDialog.getByRole('button', { name: 'Đóng' }).click();
	await expect(pdfDialog).toHaveCount(0);

	// The image shows at full size in the same dialog.
	await files.getByRole('button', { name: `Xem trước ${pngName}` }).click();
	const imageDialog = page.getByRole('dialog', { name: pngName });
	await expect(imageDialog.getByRole('img', { name: pngName })).toHaveJSProperty(
		'naturalWidth',
		1200
	);
	// Escape closes the preview only; the deal stays open around it.
	await page.keyboard.press('Escape');
	await expect(imageDialog).toHaveCount(0);
	await expect(page.getByTestId('deal-drawer')).toBeVisible();

	// A web page named .pdf is refused, in Vietnamese, and not listed.
	await files.getByLabel('chọn tệp').setInputFiles({
		name: 'hoa-don.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from('<!doctype html><html><script>alert(1)</script></html>')
	});
	await expect(files.getByRole('alert')).toContainText(
		'Không nhận “hoa-don.pdf”: nội dung là một trang web'
	);
	await expect(listed.getByRole('listitem').filter({ hasText: 'hoa-don.pdf' })).toHaveCount(0);
	await context.close();
});
