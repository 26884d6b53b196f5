import fs from 'node:fs';

// Runs after Playwright has stopped the web server (and so its embedded PostgreSQL).
export default function teardown() {
	const dir = process.env.CHOT_E2E_DATA_DIR;
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
