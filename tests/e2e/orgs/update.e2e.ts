import { expect, test } from '@playwright/test';
import { signUp, uniqueEmail } from '../support/app';

// A tab left open across a deploy (svelte.config.js › version) asks for a reload: its code may
// not read what the new version writes (SPEC B25).
test('a tab open across a deploy shows a banner and reloads onto the new version', async ({
	page
}) => {
	await page.clock.install();
	await signUp(page, {
		name: 'Lâm Thị Thu',
		email: uniqueEmail('thu'),
		password: 'mat-khau-thu-2026'
	});
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await page.getByLabel('Tên đơn vị').fill('Cửa hàng Điện máy Thu Lâm');
	await page.getByRole('button', { name: 'Tạo đơn vị' }).click();
	await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards$/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();

	const banner = page.getByTestId('update-banner');
	// Polled once a minute: nothing new yet.
	await page.clock.fastForward('01:05');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(banner).toBeHidden();

	// The server is deployed again: its version file names another build.
	let polled = 0;
	await page.route('**/_app/version.json', (route) => {
		polled += 1;
		return route.fulfill({ json: { version: 'ban-moi-2026-12-01' } });
	});
	await page.clock.fastForward('01:05');
	await expect(banner).toBeVisible();
	expect(polled).toBeGreaterThan(0);
	await expect(banner).toContainText('Chốt vừa có phiên bản mới.');
	await page.screenshot({ path: 'test-results/update-banner.png' });

	await banner.getByRole('button', { name: 'Tải lại' }).click();
	await page.waitForLoadState('load');
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expect(page).toHaveURL(/\/boards$/);
	await expect(banner).toBeHidden();
});
