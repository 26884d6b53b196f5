import { expect, test } from '@playwright/test';
import { layout, openBoard } from './board';

// What a card looks like while it is dragged, and what the drag costs the page: the lifted card
// keeps its own background, border and padding (dnd-kit's reset of popover styles used to win
// over them), and lifting or dropping it adds or removes no stylesheet (each change of the
// page's cascade layers restyled and laid out every element: components/board/dnd-styles.ts).

test.use({ trace: 'off' });

test('a lifted card looks like a card, and the drag leaves the page’s stylesheets alone', async ({
	browser
}) => {
	const { page, context } = await openBoard(browser, { who: 'huy', board: 'Bán lẻ' });
	const before = await layout(page);
	const sheets = () => page.evaluate(() => document.adoptedStyleSheets.length);
	const styleElements = () => page.locator('head style').count();
	const adopted = await sheets();
	const styles = await styleElements();

	const card = page.getByTestId('deal-card').first();
	const box = (await card.boundingBox())!;
	await page.mouse.move(box.x + 40, box.y + 30);
	await page.mouse.down();
	for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 40 + i * 12, box.y + 30 + i * 4);
	const lifted = page.locator('[data-dnd-dragging]');
	await expect(lifted).toHaveCount(1);
	const look = await lifted.evaluate((el) => {
		const s = getComputedStyle(el);
		return {
			background: s.backgroundColor,
			padding: s.paddingTop,
			border: s.borderTopWidth,
			radius: s.borderTopLeftRadius
		};
	});
	expect(look).toEqual({
		background: 'rgb(255, 255, 255)',
		padding: '10px',
		border: '1px',
		radius: '8px'
	});
	expect(await sheets()).toBe(adopted);
	// One sheet is added while dragging: dnd-kit's grabbing cursor (its Cursor plugin).
	expect(await styleElements()).toBe(styles + 1);

	// Escape puts the card back: nothing moved, and the page's sheets are as they were.
	await page.keyboard.press('Escape');
	await page.mouse.up();
	await expect(lifted).toHaveCount(0);
	await expect.poll(() => layout(page)).toEqual(before);
	expect(await sheets()).toBe(adopted);
	expect(await styleElements()).toBe(styles);
	await context.close();
});
