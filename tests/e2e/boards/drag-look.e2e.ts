import { expect, test, type Locator, type Page } from '@playwright/test';
import { layout, openBoard } from './board';

// What an item looks like while it is dragged, and what the drag costs the page: the lifted card
// or stage row keeps its own background, border and padding (dnd-kit's reset of popover styles
// used to win over them), and lifting or dropping it adds or removes no adopted stylesheet (each
// change of the page's cascade layers restyled and laid out every element:
// components/board/dnd-styles.ts).

test.use({ trace: 'off' });

type Look = { background: string; padding: string; border: string; radius: string };

/**
 * Lifts `grip` with the mouse, checks the lifted element and the page's sheets, then cancels.
 * `cursorSheets`: the `<style>` elements dnd-kit's Cursor (and PreventSelection) plugins add.
 */
async function liftAndCancel(page: Page, grip: Locator, look: Look, cursorSheets: number) {
	const sheets = () => page.evaluate(() => document.adoptedStyleSheets.length);
	const styleElements = () => page.locator('head style').count();
	const adopted = await sheets();
	const styles = await styleElements();

	const box = (await grip.boundingBox())!;
	const x = box.x + Math.min(40, box.width / 2);
	const y = box.y + Math.min(30, box.height / 2);
	await page.mouse.move(x, y);
	await page.mouse.down();
	for (let i = 1; i <= 12; i++) await page.mouse.move(x + i * 4, y + i * 6);
	const lifted = page.locator('[data-dnd-dragging]');
	await expect(lifted).toHaveCount(1);
	expect(
		await lifted.evaluate((el) => {
			const s = getComputedStyle(el);
			return {
				background: s.backgroundColor,
				padding: s.paddingTop,
				border: s.borderTopWidth,
				radius: s.borderTopLeftRadius
			};
		})
	).toEqual(look);
	expect(await sheets()).toBe(adopted);
	expect(await styleElements()).toBe(styles + cursorSheets);

	// Escape puts the item back, and the page's sheets are as they were.
	await page.keyboard.press('Escape');
	await page.mouse.up();
	await expect(lifted).toHaveCount(0);
	expect(await sheets()).toBe(adopted);
	expect(await styleElements()).toBe(styles);
}

test('a lifted card looks like a card, and the drag leaves the page’s stylesheets alone', async ({
	browser
}) => {
	const { page, context } = await openBoard(browser, { who: 'huy', board: 'Bán lẻ' });
	const before = await layout(page);
	await liftAndCancel(
		page,
		page.getByTestId('deal-card').first(),
		{
			background: 'rgb(255, 255, 255)',
			padding: '10px',
			border: '1px',
			radius: '8px'
		},
		// The grabbing cursor only: the board leaves PreventSelection out (Board.svelte).
		1
	);
	await expect.poll(() => layout(page)).toEqual(before);
	await context.close();
});

test('a lifted stage row keeps its look too, on a settings page opened first', async ({
	browser
}) => {
	const { page, context, url } = await openBoard(browser, { who: 'huy', board: 'Bán lẻ' });
	// A fresh page load: nothing the board set up carries over.
	await page.goto(`${url}/settings`);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	const grip = page.getByRole('button', { name: /^Kéo để sắp xếp giai đoạn / }).first();
	await liftAndCancel(
		page,
		grip,
		{
			background: 'rgb(255, 255, 255)',
			padding: '0px',
			border: '0px',
			radius: '12px'
		},
		// The stage list keeps dnd-kit's default plugins: the cursor and the selection guard.
		2
	);
	await context.close();
});
