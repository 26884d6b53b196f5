import { v7 as uuidv7 } from 'uuid';
import { cardField, dealsDocName, dealsMap, pipelineDocName, readStages } from '$lib/board/doc';
import { createDeal } from '$lib/board/ops';
import { freePort } from '$lib/server/net';
import { acked, openSocket } from './collab-client';
import { percentile, progress, type Figure } from './figures';
import { spawnServer, stopServer, tempDir, waitFor200 } from './processes';

// The `browser` area: what a person feels on a big board, in Chromium (Debian's, as the e2e
// tests use). A 5,000-deal board (the demo manager's shard of the demo's first pipeline, filled
// through the collab server like any client would, then left until the server has finished with
// it: every inline customer made a record and written into its card) is opened cold (no local
// data: a new browser context) and warm (the same context again: IndexedDB and the service
// worker have it), and a card is dragged across it while frame times are recorded. Each open is
// timed twice: until every column shows its count (the figure: the page's first screen comes
// from the server's preview) and until the board itself is live (the documents applied, cards
// draggable; reported beside it, with no target).
const DEALS = 5_000;
const OPENS = 9;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function browserBench({
	entry,
	report
}: {
	entry: string;
	report: (figure: Figure) => void;
}) {
	const { chromium } = await import('@playwright/test');
	const dataDir = tempDir('chot-bench-browser-');
	const port = await freePort();
	const server = spawnServer({ entry, port, dataDir });
	const origin = server.origin;
	try {
		await waitFor200({ server, path: '/healthz', since: performance.now() });
		const login = await logIn(origin, 'huy@demo.chot.vn');
		progress(`filling a board with ${DEALS} deals`);
		const boardUrl = await fillBoard(origin, login);

		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
		});
		try {
			const cold: Open[] = [];
			const warm: Open[] = [];
			for (let i = 0; i < OPENS; i++) {
				const context = await browser.newContext({
					viewport: { width: 1366, height: 768 },
					locale: 'vi-VN',
					// The timing scripts below are strings (no DOM types here); the app's CSP forbids eval.
					bypassCSP: true
				});
				const page = await context.newPage();
				// Logged in through the login page, as a person is (not part of what is timed).
				await page.goto(`${origin}/login`);
				await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
				await page.getByLabel('Email').fill('huy@demo.chot.vn');
				await page.getByLabel('Mật khẩu', { exact: true }).fill('chot-demo-2026');
				await page.getByRole('button', { name: 'Đăng nhập' }).click();
				await page.waitForURL(/\/o\//);
				cold.push(await timeOpen(page, boardUrl));
				// Warm: the same browser profile opens it again; the documents come from IndexedDB.
				warm.push(await timeOpen(page, boardUrl));
				if (i === OPENS - 1) {
					// On the board itself (not its preview), as the open left it.
					await page.getByTestId('save-status').and(page.locator('[data-state="saved"]')).waitFor();
					const frames = await dragFrames(page);
					// At 60 Hz a frame is one vsync interval, 16.67 ms read with timer jitter, so
					// the p95 cannot read below ~16.8 however light the frames; the frames longer
					// than one and a half intervals (a skipped vsync) say whether any jank was seen.
					const dropped = frames.filter((f) => f > 25).length;
					report({
						metric: 'board.drag_frame_p95_ms',
						value: percentile(frames, 95),
						unit: 'ms',
						target: '<=16.7',
						note: `${frames.length} frames (requestAnimationFrame deltas) while a card is dragged down and across a ${DEALS}-deal board, 1366×768, headless Chromium without GPU; p50 ${percentile(frames, 50).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms; ${dropped} frames over 25 ms (a skipped vsync)`
					});
				}
				await context.close();
			}
			const shown = (runs: Open[]) => runs.map((r) => r.counts);
			const live = (runs: Open[]) => runs.map((r) => r.live);
			report({
				metric: 'board.open_cold_ms',
				value: percentile(shown(cold), 50),
				unit: 'ms',
				target: '<=800',
				note: `median of ${OPENS} opens in a new browser context (no IndexedDB, no service worker), navigation start until cards are on screen and every column shows its count; runs ${shown(cold).map(Math.round).join(', ')} ms`
			});
			report({
				metric: 'board.open_warm_ms',
				value: percentile(shown(warm), 50),
				unit: 'ms',
				target: '<=250',
				note: `median of ${OPENS} reopens in the same context (documents in IndexedDB), navigation start until cards are on screen and every column shows its count; runs ${shown(warm).map(Math.round).join(', ')} ms`
			});
			report({
				metric: 'board.open_cold_live_ms',
				value: percentile(live(cold), 50),
				unit: 'ms',
				target: 'none',
				note: `the same cold opens until the board itself is live (documents applied, cards draggable, every column counted); runs ${live(cold).map(Math.round).join(', ')} ms`
			});
			report({
				metric: 'board.open_warm_live_ms',
				value: percentile(live(warm), 50),
				unit: 'ms',
				target: 'none',
				note: `the same warm opens until the board itself is live; runs ${live(warm).map(Math.round).join(', ')} ms`
			});
		} finally {
			await browser.close();
		}
	} finally {
		await stopServer(server);
	}
}

type Login = { name: string; value: string; cookie: string };

async function logIn(origin: string, email: string): Promise<Login> {
	const res = await fetch(`${origin}/login`, {
		method: 'POST',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: 'chot-demo-2026' }),
		redirect: 'manual'
	});
	const set = /([^=;\s]*chot_session)=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
	if (!set) throw new Error(`login as ${email} failed: ${res.status}`);
	return { name: set[1]!, value: set[2]!, cookie: `${set[1]}=${set[2]}` };
}

/** Opens the demo's first board and fills the manager's shard with DEALS cards. */
async function fillBoard(origin: string, login: Login) {
	const landing = await fetch(`${origin}/`, { headers: { cookie: login.cookie } });
	const orgPath = /\/o\/[0-9a-f-]{36}/.exec(landing.url)?.[0];
	if (!orgPath) throw new Error(`no organisation for the demo manager (${landing.url})`);
	const list = await (
		await fetch(`${origin}${orgPath}/boards`, { headers: { cookie: login.cookie } })
	).text();
	const pipelineId = /\/boards\/([0-9a-f-]{36})/.exec(list)?.[1];
	if (!pipelineId) throw new Error('no pipeline on the demo boards page');
	const boardUrl = `${origin}${orgPath}/boards/${pipelineId}`;
	const page = await (await fetch(boardUrl, { headers: { cookie: login.cookie } })).text();
	const userId = /me:\{id:"([0-9a-f-]{36})"/.exec(page)?.[1];
	if (!userId) throw new Error('could not read the user id from the board page');

	const client = openSocket({ origin, token: login.value });
	const open = async (name: string) => {
		const replica = client.attach(name);
		await replica.synced;
		return replica;
	};
	const pipeline = await open(pipelineDocName(pipelineId));
	const shard = await open(dealsDocName(pipelineId, userId));
	const stages = readStages(pipeline.doc);
	const origin_ = { kind: 'user', userId } as const;
	// In batches: each batch is one update, well under the collab message limit.
	const perStage = Math.ceil(DEALS / stages.length);
	let made = 0;
	for (const stage of stages) {
		const n = Math.min(perStage, DEALS - made);
		const ids = Array.from({ length: n }, () => uuidv7());
		for (let start = 0; start < n; start += 250) {
			shard.doc.transact(() => {
				for (let i = start; i < Math.min(n, start + 250); i++) {
					createDeal(
						{ pipelineDoc: pipeline.doc, dealDoc: shard.doc },
						{
							id: ids[i]!,
							title: `Giao dịch thử số ${made + i + 1} — lắp đặt thiết bị`,
							stageId: stage.id,
							ownerId: userId,
							amount: 1_000_000 * ((i % 97) + 1),
							customerName: `Khách hàng ${made + i + 1}`
						},
						origin_
					);
				}
			}, origin_);
			await acked(shard.provider);
		}
		made += n;
	}
	// What the server still does with a fresh fill (a record for each inline customer, written
	// back into the card, and the projection of it all) is not part of opening a board: wait
	// until every card names its customer, then for the projection's last flush.
	const deals = dealsMap(shard.doc);
	const settled = () =>
		[...deals.values()].every((card) => typeof cardField(card, 'customerId') === 'string');
	const deadline = performance.now() + 300_000;
	while (!settled()) {
		if (performance.now() > deadline)
			throw new Error('the server did not resolve the fill’s customers in 5 minutes');
		await new Promise((r) => setTimeout(r, 500));
	}
	await new Promise((r) => setTimeout(r, 2000));
	client.destroy();
	return boardUrl;
}

type Page = import('@playwright/test').Page;

type Open = { counts: number; live: number };

/**
 * Navigation start until cards are on screen and every column shows its count (`counts`), and
 * until the board itself shows them (`live`: the board's columns, not the preview's). Each time
 * is taken in the page at the first animation frame that shows it, so a main thread busy right
 * after (applying the documents) does not delay the reading.
 */
async function timeOpen(page: Page, url: string): Promise<Open> {
	await page.goto(url, { waitUntil: 'commit' });
	// Scripts run in the page are strings: this file is compiled without the DOM library.
	const counted = `document.querySelector('[data-testid="deal-card"]') !== null && [...document.querySelectorAll('[data-testid="column-count"]')].reduce((n, c) => n + parseInt(c.textContent, 10), 0) >= ${DEALS}`;
	const options = { timeout: 60_000, polling: 'raf' } as const;
	await page.waitForFunction(
		`(${counted}) && (window.__countsAt ??= performance.now()) > 0`,
		undefined,
		options
	);
	await page.waitForFunction(
		`document.querySelector('[data-testid="board-columns"]') !== null && (${counted}) && (window.__liveAt ??= performance.now()) > 0`,
		undefined,
		options
	);
	return page.evaluate<Open>('({ counts: window.__countsAt, live: window.__liveAt })');
}

/** Frame times while a card is dragged across the board. */
async function dragFrames(page: Page) {
	const card = page.locator('[data-testid="deal-card"]').nth(2);
	const box = (await card.boundingBox())!;
	await page.evaluate(`(() => {
		window.__frames = [];
		window.__stop = false;
		let last = performance.now();
		const tick = (t) => {
			window.__frames.push(t - last);
			last = t;
			if (!window.__stop) requestAnimationFrame(tick);
		};
		requestAnimationFrame(tick);
	})()`);
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.down();
	for (let i = 0; i < 60; i++) {
		await page.mouse.move(box.x + box.width / 2 + i * 12, box.y + box.height / 2 + (i % 20) * 15);
	}
	await page.mouse.up();
	const frames = await page.evaluate<number[]>(
		'(() => { window.__stop = true; return window.__frames.slice(1); })()'
	);
	return frames;
}
