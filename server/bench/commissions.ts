import postgres from 'postgres';
import { addMonths, monthOf } from '$lib/server/commissions/calc';
import { computeMonth } from '$lib/server/commissions/compute';
import * as rules from '$lib/server/commissions/rules.repo';
import * as statements from '$lib/server/commissions/statements.repo';
import { createDb } from '$lib/server/db';
import { startEmbeddedPostgres } from '$lib/server/db/embedded';
import { runMigrations } from '$lib/server/db/migrate';
import { median, progress, type Figure } from './figures';
import { seedMoneyData } from './money-data';
import { tempDir } from './processes';

// The `commissions` area (issue 5): the monthly rollup — one month computed for every rep of an
// organisation with 100,000 deals and 300,000 payments (money-data.ts), both methods in force
// (A with a per-pipeline step rule and a rep override, B progressive), then the page's totals
// read. Run on a fresh embedded PostgreSQL over the last full month: the first computation
// (every line written) and the median of the recomputations after it (as the nightly job does).
const RUNS = 5;

type Report = (figure: Figure) => void;

export async function commissionsBench({ report }: { entry: string; report: Report }) {
	const dataDir = tempDir('chot-bench-commissions-');
	progress(`starting PostgreSQL in ${dataDir}`);
	const pg = await startEmbeddedPostgres({ dataDir });
	try {
		await runMigrations({ url: pg.url });
		const raw = postgres(pg.url, { max: 2, onnotice: () => {} });
		const { db, client } = createDb({ url: pg.url, max: 4 });
		try {
			let started = performance.now();
			const data = await seedMoneyData(raw);
			progress(
				`seeded ${data.counts.deals} deals (${data.counts.won} won), ${data.counts.payments} payments in ${Math.round(performance.now() - started)} ms`
			);
			const { orgId, managerId } = data;
			const month = addMonths(monthOf(new Date(), data.timeZone), -1);
			const input = (x: Partial<rules.RuleInput>): rules.RuleInput => ({
				method: 'won',
				pipelineId: null,
				userId: null,
				tiering: 'flat',
				tiers: [{ from: 0, rateBp: 300 }],
				validFrom: '2000-01-01',
				...x
			});
			for (const x of [
				input({}),
				input({
					pipelineId: data.pipelineIds[0]!,
					tiering: 'step',
					tiers: [
						{ from: 0, rateBp: 200 },
						{ from: 200_000_000, rateBp: 400 }
					]
				}),
				input({ userId: data.userIds[0]!, tiers: [{ from: 0, rateBp: 500 }] }),
				input({
					method: 'revenue',
					tiering: 'progressive',
					tiers: [
						{ from: 0, rateBp: 100 },
						{ from: 500_000_000, rateBp: 200 },
						{ from: 2_000_000_000, rateBp: 300 }
					]
				})
			])
				await rules.create(db, { orgId, createdBy: managerId, input: x });

			const times: number[] = [];
			let lines = 0;
			let reps = 0;
			for (let i = 0; i < RUNS; i++) {
				started = performance.now();
				const result = await computeMonth(db, { orgId, month });
				const totals = await statements.totals(db, { orgId, month });
				times.push(performance.now() - started);
				if (result.status === 'computed') lines = result.lines;
				reps = totals.filter((t) => t.lines > 0).length;
			}
			progress(`rollup runs (ms): ${times.map((t) => Math.round(t)).join(', ')}`);
			const what = `month ${month.slice(0, 7)}: ${lines} lines for ${reps} reps from ${data.counts.deals} deals / ${data.counts.payments} payments`;
			// The nightly job recomputes a month whose lines mostly exist already; the first
			// computation writes every line.
			report({
				metric: 'money.rollup_ms',
				value: median(times.slice(1)),
				unit: 'ms',
				target: '<= 2000',
				note: `${what}; median of ${RUNS - 1} recomputations`
			});
			report({
				metric: 'money.rollup_first_ms',
				value: times[0]!,
				unit: 'ms',
				target: '<= 2000',
				note: `${what}; first computation (every line inserted)`
			});
		} finally {
			await raw.end({ timeout: 5 });
			await client.end({ timeout: 5 });
		}
	} finally {
		await pg.stop();
	}
}
