import { expect, test } from '@playwright/test';
import { append, compact } from '../../../src/lib/server/collab/log';
import { createDb } from '../../../src/lib/server/db';
import { embeddedUrl } from '../../../src/lib/server/db/embedded';
import { collabDocuments } from '../../../src/lib/server/db/schema';
import { layout, openBoard } from './board';
import { like } from 'drizzle-orm';

// Board SPEC B23 in the browser: a rep's board stays open with no network while the server
// rewrites its shards without their history. Back online, the page's copies belong to the old
// generation: it posts them, drops them and reloads once, and every edit made offline is on the
// board, with no card twice.

test.use({ trace: 'off' });

test('edits made offline across a rewrite reach the new generation', async ({ browser }) => {
	test.setTimeout(120_000);
	const { db, client } = createDb({ url: embeddedUrl(Number(process.env.CHOT_E2E_PG_PORT)) });
	try {
		const b = await openBoard(browser, { who: 'lan', board: 'Bán hàng dự án' });
		const pipelineId = /\/boards\/([0-9a-f-]+)$/.exec(b.url)![1]!;
		const before = (await layout(b.page)).flat();
		await b.page.evaluate(() => Object.assign(window, { beforeRebase: true }));

		await b.context.setOffline(true);
		await expect(b.page.getByTestId('save-status')).toHaveAttribute('data-state', 'offline');
		const title = 'Đơn ngoại tuyến qua lần thu gọn — máy chiếu';
		const firstColumn = b.page.getByTestId('board-column').first();
		await firstColumn.getByRole('button', { name: /Thêm giao dịch/ }).click();
		await firstColumn.getByPlaceholder('VD: Lắp điều hoà văn phòng').fill(title);
		await firstColumn.getByPlaceholder('VD: 1,5tr hoặc 15.000.000').fill('7tr');
		await firstColumn.getByRole('button', { name: 'Thêm', exact: true }).click();
		await expect(b.page.getByRole('heading', { name: title })).toBeVisible();
		await firstColumn.getByRole('button', { name: 'Đóng', exact: true }).click();
		const star = b.page.getByRole('button', { name: 'Đánh dấu tiềm năng', exact: true }).first();
		const starredId = (await star.locator('xpath=ancestor::article').getAttribute('data-deal-id'))!;
		await star.click();
		await expect(
			b.page.locator(`[data-deal-id="${starredId}"] button[aria-pressed="true"]`)
		).toBeVisible();

		// The server lets go of the shards once the page's socket is gone (and its own writer's
		// hold has lapsed); until then a rewrite is refused. Rewrite every shard of the board.
		const shards = await db
			.select({ name: collabDocuments.name })
			.from(collabDocuments)
			.where(like(collabDocuments.name, `deals:${pipelineId}:%`));
		expect(shards.length).toBeGreaterThan(1);
		for (const { name } of shards) {
			await expect
				.poll(
					async () => {
						// Compaction merges log rows; give it one (an empty update).
						await append(db, { docName: name, update: new Uint8Array([0, 0]), userId: null });
						return (await compact(db, { docName: name, rewrite: { minBytes: 1, factor: 1 } }))
							.generation;
					},
					{ timeout: 60_000, intervals: [1000] }
				)
				.toBeGreaterThan(0);
		}

		await b.context.setOffline(false);
		// The page posts its copies and reloads itself.
		await expect
			.poll(() => b.page.evaluate(() => 'beforeRebase' in window).catch(() => true), {
				timeout: 30_000
			})
			.toBe(false);
		await expect(b.page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');
		await expect(b.page.getByRole('heading', { name: title })).toBeVisible();
		await expect(
			b.page.locator(`[data-deal-id="${starredId}"] button[aria-pressed="true"]`)
		).toBeVisible();
		const after = (await layout(b.page)).flat();
		expect(after).toHaveLength(before.length + 1);
		expect(new Set(after).size).toBe(after.length);
		await b.context.close();
	} finally {
		await client.end();
	}
});
