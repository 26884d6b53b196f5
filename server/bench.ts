import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appBench } from './bench/app';
import { boardBench } from './bench/board';
import { browserBench } from './bench/browser';
import { commissionsBench } from './bench/commissions';
import { jobsBench } from './bench/jobs';
import { printFigure, progress, type Figure } from './bench/figures';
import { cleanup } from './bench/processes';
import { receivablesBench } from './bench/receivables';
import { searchBench } from './bench/search';

// `npm run bench` (built to build/server/bench.js): every figure as one JSON line on stdout.
// `npm run bench -- --only app` runs one area. A figure that misses its target is printed as
// measured and the exit code stays 0; only a figure that could not be measured exits 1.
const areas: Record<
	string,
	(input: { entry: string; report: (figure: Figure) => void }) => Promise<void>
> = {
	app: appBench,
	board: boardBench,
	browser: browserBench,
	receivables: receivablesBench,
	commissions: commissionsBench,
	jobs: jobsBench,
	search: searchBench
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const selected = values.only ? values.only.split(',') : Object.keys(areas);
for (const name of selected) {
	if (!areas[name]) {
		console.error(`Unknown area "${name}" (known: ${Object.keys(areas).join(', ')})`);
		process.exit(2);
	}
}

// The production server sits beside this file once built (build/server/index.js).
const entry = path.join(import.meta.dirname, 'index.js');

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (interrupted) return;
		interrupted = true;
		progress(`${signal}: stopping what the bench started`);
		void cleanup().finally(() => process.exit(130));
	});
}

let failed = false;
try {
	for (const name of selected) {
		progress(`area ${name}`);
		try {
			// The machine is shared: each note says how busy it was when the figure was taken.
			await areas[name]!({
				entry,
				report: (f) =>
					printFigure({ ...f, note: `${f.note}; load avg ${os.loadavg()[0]!.toFixed(1)}` })
			});
		} catch (err) {
			failed = true;
			progress(`area ${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
		}
	}
} finally {
	await cleanup();
}
process.exit(failed ? 1 : 0);
