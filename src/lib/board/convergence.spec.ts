import { describe, expect, it } from 'vitest';
import { runFuzz } from './testing/fuzz';

// SPEC B18. BOARD_FUZZ_RUNS=5000 runs more seeds, BOARD_FUZZ_STEPS=<n> longer runs (60 ops
// each by default), BOARD_FUZZ_SEED=<n> replays one seed.
const runs = Number(process.env.BOARD_FUZZ_RUNS ?? 300);
const steps = Number(process.env.BOARD_FUZZ_STEPS ?? 60);
const only = process.env.BOARD_FUZZ_SEED;
// Generous: about 40 ms a run here, but the machine is shared.
const timeout = 60_000 + runs * steps * 5;

describe('convergence under random named operations', () => {
	it(
		'[B18] five replicas end byte-identical with a sound board, whatever the delivery order, duplicates and disconnects',
		() => {
			const seeds = only ? [Number(only)] : Array.from({ length: runs }, (_, i) => i + 1);
			const totals = new Map<string, number>();
			const started = performance.now();
			for (const seed of seeds) {
				let result;
				try {
					result = runFuzz(seed, { steps });
				} catch (e) {
					const why = e instanceof Error ? e.message : String(e);
					throw new Error(
						`seed ${seed} failed: ${why}\nreplay: BOARD_FUZZ_SEED=${seed} npx vitest run src/lib/board/convergence.spec.ts`,
						{ cause: e }
					);
				}
				for (const [k, n] of result.stats) totals.set(k, (totals.get(k) ?? 0) + n);
			}
			console.info(
				`board fuzz: ${seeds.length} runs in ${Math.round(performance.now() - started)} ms`
			);
			if (only) return;
			// The runs must exercise every op, accepted and refused, or they prove little.
			for (const op of [
				'createDeal',
				'moveDeal',
				'setStatus',
				'deleteStage',
				'moveStage',
				'removeDeal'
			]) {
				expect(totals.get(`${op}:ok`) ?? 0, op).toBeGreaterThan(0);
			}
			const refusedCodes = [...totals.keys()].filter((k) => k.includes(':refused:'));
			expect(refusedCodes.length).toBeGreaterThan(10);
		},
		timeout
	);
});
