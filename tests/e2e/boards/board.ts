import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { logIn } from '../support/app';

// Steps shared by the board specs: a demo member's page on a demo board, and readers of what
// the board shows, taken from the DOM a user sees (columns by stage, cards by deal id).

export const DEMO_PASSWORD = 'chot-demo-2026';

/** Logs a demo member in, in a context of their own, and opens the board named `board`. */
export async function openBoard(
	browser: Browser,
	{ who, board, options }: { who: string; board: string; options?: BrowserContextOptions }
) {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	await logIn(page, { email: `${who}@demo.chot.vn`, password: DEMO_PASSWORD });
	await page.waitForURL(/\/o\/[0-9a-f-]+\//);
	const orgUrl = /\/o\/[0-9a-f-]+/.exec(page.url())![0];
	await page.goto(`${orgUrl}/boards`);
	await page.getByRole('link', { name: board, exact: false }).first().click();
	await page.waitForURL(/\/boards\/[0-9a-f-]+$/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expect(page.getByTestId('deal-card').first()).toBeVisible();
	await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
	return { context, page, url: page.url() };
}

/** Deal ids per column, in the order shown. */
export async function layout(page: Page): Promise<string[][]> {
	return page.getByTestId('board-column').evaluateAll((cols) =>
		cols.map((c) =>
			// dnd-kit leaves a hidden placeholder copy in place while a drop animates.
			[...c.querySelectorAll('[data-deal-id]:not([data-dnd-placeholder])')].map((d) =>
				d.getAttribute('data-deal-id')!
			)
		)
	);
}

/**
 * Drags a card onto a column with the mouse, the way a person does: press, move in steps (the
 * pointer sensor starts after a few pixels), release over the column's list.
 */
export async function dragToColumn(page: Page, dealId: string, columnIndex: number) {
	const card = page.locator(`[data-deal-id="${dealId}"]`);
	const column = page.getByTestId('board-column').nth(columnIndex);
	// A person drags what they see: bring the card into its column's view first.
	await card.scrollIntoViewIfNeeded();
	const from = (await card.boundingBox())!;
	const to = (await column.boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 12, from.y + from.height / 2 + 4, { steps: 3 });
	// Below the column's last card, inside its list.
	const y = Math.min(to.y + to.height - 24, 700);
	await page.mouse.move(to.x + to.width / 2, y, { steps: 12 });
	await page.mouse.up();
}

/**
 * Waits until no card is being dragged or dropped: dnd-kit marks the source `aria-pressed` and
 * keeps a placeholder copy until its drop animation ends, and ignores a press before that.
 */
export async function settled(page: Page) {
	await expect(page.locator('[data-deal-id][aria-pressed="true"]')).toHaveCount(0);
	await expect(page.locator('[data-dnd-placeholder]')).toHaveCount(0);
}

export function percentile(values: number[], p: number) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
