import { readFileSync } from 'node:fs';

// The time reminders, standby returns and notices compare against. Production reads the system
// clock. Tests that must move time for a separate worker process (the "controllable clock" of
// issue 6) point CHOT_FAKE_CLOCK_FILE at a file holding epoch milliseconds, re-read at each call
// so the test can move it while the worker runs; an unreadable file falls back to the real clock.
// Only the due-time comparisons use it: pg-boss, sessions and timestamps keep the real time.
export function now(): Date {
	const file = process.env.CHOT_FAKE_CLOCK_FILE;
	if (file) {
		try {
			const ms = Number(readFileSync(file, 'utf8').trim());
			if (Number.isFinite(ms) && ms > 0) return new Date(ms);
		} catch {
			// fall through to the real clock
		}
	}
	return new Date();
}
