import { expect, test } from '@playwright/test';
import { openBoard } from './board';

// The deal drawer's code is fetched on its own once the board is live (none of it is needed to
// show the board). A fetch that fails must say so on the board, not leave a click unanswered.
test('a deal drawer whose code cannot be fetched says so on the board', async ({ browser }) => {
	let refused = 0;
	const { context, page } = await openBoard(browser, {
		// The manager: every card is his to edit (a rep's link on a colleague's read-only card
		// counts as disabled to Playwright, inside dnd-kit's disabled handle).
		who: 'huy',
		board: 'Bán hàng dự án',
		// No service worker, so the page's own requests for code are the ones routed here.
		options: { serviceWorkers: 'block' }
	});
	// Too late for the open above: reload with the route in place.
	await context.route('**/_app/immutable/**/*.js', async (route) => {
		const response = await route.fetch();
		const body = await response.text();
		// The drawer's chunk is the one that renders it (its test id is in no other chunk).
		if (body.includes('deal-drawer')) {
			refused += 1;
			await route.abort('failed');
		} else {
			await route.fulfill({ response, body });
		}
	});
	await page.reload();
	await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
	await expect(page.getByRole('alert')).toContainText(
		'Không mở được trang giao dịch. Hãy tải lại trang.'
	);
	expect(refused).toBeGreaterThan(0);

	// Opening a deal tries again, and says so again; the board stays as it was.
	await page.getByRole('alert').getByRole('button').click();
	await expect(page.getByRole('alert')).toHaveCount(0);
	const before = refused;
	await page.getByTestId('deal-card').first().getByRole('link').first().click();
	await expect(page).toHaveURL(/\?deal=[0-9a-f-]{36}$/);
	await expect(page.getByRole('alert')).toContainText('Hãy tải lại trang.');
	expect(refused).toBeGreaterThan(before);
	await expect(page.getByTestId('deal-drawer')).toHaveCount(0);
	await expect(page.getByTestId('deal-card').first()).toBeVisible();
	await context.close();
});
