import { defineConfig, devices } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// End-to-end tests run against the production build (SvelteKit's CSRF check is off in dev) on a
// fresh embedded PostgreSQL seeded with the demo organisation, in Debian's Chromium.
const PORT = Number(process.env.E2E_PORT ?? 4173);
// Every Playwright worker loads this file again: the data dir is chosen once, in the runner, and
// reaches the workers through the environment (deleting it here would pull it from under the
// running server). tests/e2e/support/teardown.ts removes it.
process.env.CHOT_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'chot-e2e-'));
const dataDir = process.env.CHOT_E2E_DATA_DIR;
// The embedded PostgreSQL's port, chosen once like the data dir: a spec that must act on the
// server's storage directly (rewriting a document, boards/rebase.e2e.ts) connects to it.
process.env.CHOT_E2E_PG_PORT ??= String(40_000 + Math.floor(Math.random() * 10_000));
const pgPort = process.env.CHOT_E2E_PG_PORT;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	outputDir: 'test-results',
	globalTeardown: './tests/e2e/support/teardown.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		locale: 'vi-VN',
		timezoneId: 'Asia/Ho_Chi_Minh',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [
		{
			name: 'chromium',
			use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 768 } }
		}
	],
	webServer: {
		// node directly (not npx/npm): SIGTERM must reach the server for a clean shutdown.
		command: 'node build/server/index.js',
		url: `http://localhost:${PORT}/healthz`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: process.env.E2E_SERVER_LOGS ? 'pipe' : 'ignore',
		stderr: 'pipe',
		env: {
			NODE_ENV: 'production',
			PORT: String(PORT),
			ORIGIN: `http://localhost:${PORT}`,
			CHOT_DATA_DIR: dataDir,
			CHOT_PG_PORT: pgPort,
			CHOT_SEED_DEMO: 'true',
			DATABASE_URL: '',
			RESEND_API_KEY: '',
			LOG_LEVEL: 'warn'
		}
	}
});
