import { and, eq, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import * as jobModule from '../../../server/workers/jobs/compute-commissions.job';
import { createQueues, registerWorkers } from '../../../server/workers';
import { commissionOf } from '../../../src/lib/server/commissions/calc';
import { computeMonth, linesFor } from '../../../src/lib/server/commissions/compute';
import { CommissionError } from '../../../src/lib/server/commissions/errors';
import * as rules from '../../../src/lib/server/commissions/rules.repo';
import * as statements from '../../../src/lib/server/commissions/statements.repo';
import {
	commissionLines,
	commissionPeriods,
	commissionRules,
	dealEvents,
	dealOwnerChanges,
	deals,
	payments,
	paymentVoids,
	pipelines
} from '../../../src/lib/server/db/schema';
import type { Runtime } from '../../../src/lib/server/runtime';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser, projectedDeal } from '../../support/factories';

// Commissions over hand-built facts with answers computed by hand below (SPEC.md C1–C13).
// The organisation is in Asia/Ho_Chi_Minh (UTC+7); `ict('2026-01-15 10:00')` is local time.

const { db, url } = await testDb();

const manager = await createUser(db, { name: 'Trần Quản Lý' });
const an = await createUser(db, { name: 'An' });
const binh = await createUser(db, { name: 'Bình' });
const chi = await createUser(db, { name: 'Chi' });
const org = await createOrg(db, { ownerId: manager.id });
const orgId = org.id;
for (const u of [an, binh, chi]) await addMember(db, { orgId, userId: u.id, role: 'sales' });

const [p1, p2] = await db
	.insert(pipelines)
	.values([
		{ orgId, name: 'Dự án', position: 'a0' },
		{ orgId, name: 'Bán lẻ', position: 'a1' }
	])
	.returning();

const ict = (local: string) => new Date(`${local.replace(' ', 'T')}:00+07:00`);
const JAN = '2026-01-01';
const FEB = '2026-02-01';
const MAR = '2026-03-01';

const dealIds = new Map<string, string>();
async function deal(key: string, { pipelineId, ownerId }: { pipelineId: string; ownerId: string }) {
	const row = projectedDeal({
		orgId,
		pipelineId,
		ownerId,
		title: `Giao dịch ${key}`,
		createdAt: ict('2026-01-02 09:00')
	});
	dealIds.set(key, row.id);
	await db.insert(deals).values(row);
	return row.id;
}
async function event(
	key: string,
	kind: 'created' | 'amount' | 'status',
	at: string,
	{ to, amount, ownerId }: { to: string; amount: number | null; ownerId: string | null }
) {
	await db.insert(dealEvents).values({
		orgId,
		dealId: dealIds.get(key)!,
		kind,
		toValue: to,
		amount,
		ownerId,
		createdAt: ict(at)
	});
}
/** A deal created with `amount` and won at `wonAt`, with amount and owner on its events. */
async function won(
	key: string,
	o: { pipelineId: string; ownerId: string; amount: number; wonAt: string }
) {
	await deal(key, o);
	await event(key, 'created', '2026-01-02 09:00', {
		to: String(o.amount),
		amount: o.amount,
		ownerId: o.ownerId
	});
	await event(key, 'status', o.wonAt, { to: 'won', amount: o.amount, ownerId: o.ownerId });
}
async function pay(
	key: string,
	{ ownerId, amount, paidOn, at }: { ownerId: string; amount: number; paidOn: string; at: string }
) {
	const [row] = await db
		.insert(payments)
		.values({
			orgId,
			dealId: dealIds.get(key)!,
			ownerId,
			pipelineId: p1!.id,
			amount,
			paidOn,
			method: 'transfer',
			idempotencyKey: uuidv7(),
			requestHash: 'h',
			createdAt: ict(at)
		})
		.returning();
	return row!.id;
}
async function voidPayment(paymentId: string, at: string) {
	const [p] = await db.select().from(payments).where(eq(payments.id, paymentId));
	await db.insert(paymentVoids).values({
		orgId,
		paymentId,
		dealId: p!.dealId,
		reason: 'Chuyển nhầm',
		idempotencyKey: uuidv7(),
		requestHash: 'h',
		createdAt: ict(at)
	});
}

async function rule(input: Omit<rules.RuleInput, 'validFrom'> & { validFrom?: string }) {
	return rules.create(db, {
		orgId,
		createdBy: manager.id,
		input: { validFrom: JAN, ...input }
	});
}

async function lines(month: string) {
	return db
		.select()
		.from(commissionLines)
		.where(and(eq(commissionLines.orgId, orgId), eq(commissionLines.month, month)));
}
const strip = (rows: Awaited<ReturnType<typeof lines>>) =>
	rows
		.map((r) => ({
			userId: r.userId,
			method: r.method,
			dealId: r.dealId,
			paymentId: r.paymentId,
			ruleId: r.ruleId,
			basis: r.basis,
			rateBp: r.rateBp,
			amount: r.amount,
			adjustsMonth: r.adjustsMonth,
			detail: r.detail
		}))
		.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
async function totalsOf(month: string) {
	const all = await statements.totals(db, { orgId, month });
	return Object.fromEntries(
		all.map((t) => [t.name, { won: t.won, revenue: t.revenue, adj: t.adjustments, total: t.total }])
	);
}
/** The trigger's refusal, under drizzle's "Failed query" wrapper. */
async function refusedAsLocked(query: PromiseLike<unknown>) {
	const err = await Promise.resolve(query).then(
		() => null,
		(e: unknown) => e as { cause?: { message?: string; code?: string } }
	);
	expect(err?.cause).toMatchObject({ code: '23514', message: expect.stringMatching(/is locked/) });
}
function sumBy(rows: { userId: string; amount: number }[]) {
	const out: Record<string, number> = {};
	for (const r of rows) out[r.userId] = (out[r.userId] ?? 0) + r.amount;
	return out;
}

// Rules from January 2026:
//   R1 won, organisation default, flat 2 %
//   R2 won, pipeline "Bán lẻ" (p2), step: 1 % below 100 tr, 3 % from 100 tr
//   R3 won, Bình's override, flat 4 %
//   R4 won, Bình in "Bán lẻ", progressive: 1 % up to 50 tr, 5 % above
//   R5 revenue, organisation default, step: 1 % below 200 tr, 2 % from 200 tr
//   R6 revenue, Chi's override, progressive: 1 % up to 100 tr, 3 % above
const r1 = await rule({
	method: 'won',
	pipelineId: null,
	userId: null,
	tiering: 'flat',
	tiers: [{ from: 0, rateBp: 200 }]
});
await rule({
	method: 'won',
	pipelineId: p2!.id,
	userId: null,
	tiering: 'step',
	tiers: [
		{ from: 0, rateBp: 100 },
		{ from: 100_000_000, rateBp: 300 }
	]
});
await rule({
	method: 'won',
	pipelineId: null,
	userId: binh.id,
	tiering: 'flat',
	tiers: [{ from: 0, rateBp: 400 }]
});
await rule({
	method: 'won',
	pipelineId: p2!.id,
	userId: binh.id,
	tiering: 'progressive',
	tiers: [
		{ from: 0, rateBp: 100 },
		{ from: 50_000_000, rateBp: 500 }
	]
});
await rule({
	method: 'revenue',
	pipelineId: null,
	userId: null,
	tiering: 'step',
	tiers: [
		{ from: 0, rateBp: 100 },
		{ from: 200_000_000, rateBp: 200 }
	]
});
await rule({
	method: 'revenue',
	pipelineId: null,
	userId: chi.id,
	tiering: 'progressive',
	tiers: [
		{ from: 0, rateBp: 100 },
		{ from: 100_000_000, rateBp: 300 }
	]
});

// ---- January facts ----
// D1 An, Dự án, 123.456.789 → R1 2 % = 2.469.135,78 → 2.469.136
await won('D1', {
	pipelineId: p1!.id,
	ownerId: an.id,
	amount: 123_456_789,
	wonAt: '2026-01-15 10:00'
});
// D2 An, Bán lẻ, 150.000.000 reaches the 100 tr step → R2 3 % = 4.500.000
await won('D2', {
	pipelineId: p2!.id,
	ownerId: an.id,
	amount: 150_000_000,
	wonAt: '2026-01-20 10:00'
});
// D3 An, Bán lẻ, 99.999.999 stays below → R2 1 % = 999.999,99 → 1.000.000
await won('D3', {
	pipelineId: p2!.id,
	ownerId: an.id,
	amount: 99_999_999,
	wonAt: '2026-01-21 10:00'
});
// D4 Bình, Dự án, 10.000.050 → Bình's override R3 4 % = 400.002
await won('D4', {
	pipelineId: p1!.id,
	ownerId: binh.id,
	amount: 10_000_050,
	wonAt: '2026-01-22 10:00'
});
// D5 Bình, Bán lẻ, 80.000.010 → R4: 50 tr × 1 % + 30.000.010 × 5 % = 500.000 + 1.500.000,5
//    = 2.000.000,5 → rounded once, half up: 2.000.001
await won('D5', {
	pipelineId: p2!.id,
	ownerId: binh.id,
	amount: 80_000_010,
	wonAt: '2026-01-23 10:00'
});
// D6 An, won on 25/01 and reopened on 28/01 → nothing
await won('D6', {
	pipelineId: p1!.id,
	ownerId: an.id,
	amount: 70_000_000,
	wonAt: '2026-01-25 10:00'
});
await event('D6', 'status', '2026-01-28 10:00', { to: 'open', amount: 70_000_000, ownerId: an.id });
// D7 An, won at 10 tr on 30/01, corrected to 12 tr on 31/01 while still won: the amount at the
//    end of January counts → 12 tr × 2 % = 240.000
await won('D7', {
	pipelineId: p1!.id,
	ownerId: an.id,
	amount: 10_000_000,
	wonAt: '2026-01-30 10:00'
});
await event('D7', 'amount', '2026-01-31 20:00', {
	to: '12000000',
	amount: 12_000_000,
	ownerId: an.id
});
// D8 An, won at 01:00 on 1 February in Vietnam (still 31 January in UTC) → February:
//    30 tr × 2 % = 600.000
await won('D8', {
	pipelineId: p1!.id,
	ownerId: an.id,
	amount: 30_000_000,
	wonAt: '2026-02-01 01:00'
});
// D9 old rows without amount or owner: 5 tr from its `created` to_value; the owner at the win is
//    Chi (Bình → Chi on 05/01; Chi → An on 20/02 after the win) → R1 2 % = 100.000
await deal('D9', { pipelineId: p1!.id, ownerId: an.id });
await event('D9', 'created', '2026-01-03 09:00', { to: '5000000', amount: null, ownerId: null });
await event('D9', 'status', '2026-01-24 10:00', { to: 'won', amount: null, ownerId: null });
await db.insert(dealOwnerChanges).values([
	{
		orgId,
		pipelineId: p1!.id,
		dealId: dealIds.get('D9')!,
		fromOwnerId: binh.id,
		toOwnerId: chi.id,
		amount: 5_000_000,
		status: 'open',
		createdAt: ict('2026-01-05 10:00')
	},
	{
		orgId,
		pipelineId: p1!.id,
		dealId: dealIds.get('D9')!,
		fromOwnerId: chi.id,
		toOwnerId: an.id,
		amount: 5_000_000,
		status: 'won',
		createdAt: ict('2026-02-20 10:00')
	}
]);

// Method B, January:
//   An (R5 step): 100.000.001 + 100.000.001 + 10.000.001 = 210.000.003 ≥ 200 tr → 2 %
//     = 4.200.000,06 → 4.200.000. Shares (floor): 1.999.999 + 1.999.999 + 200.000 = 4.199.998;
//     the remainder 2 goes to the largest payment, the first of equals → 2.000.001.
//     A payment voided on 29/01 (40 tr) does not count; one recorded on 02/02 for 31/01 (5 tr)
//     is after January's cutoff and does not count either.
const anP1 = await pay('D1', {
	ownerId: an.id,
	amount: 100_000_001,
	paidOn: '2026-01-10',
	at: '2026-01-10 09:00'
});
const anP2 = await pay('D2', {
	ownerId: an.id,
	amount: 100_000_001,
	paidOn: '2026-01-12',
	at: '2026-01-12 09:00'
});
const anP3 = await pay('D3', {
	ownerId: an.id,
	amount: 10_000_001,
	paidOn: '2026-01-25',
	at: '2026-01-25 09:00'
});
const anVoided = await pay('D1', {
	ownerId: an.id,
	amount: 40_000_000,
	paidOn: '2026-01-26',
	at: '2026-01-26 09:00'
});
await voidPayment(anVoided, '2026-01-29 09:00');
await pay('D3', {
	ownerId: an.id,
	amount: 5_000_000,
	paidOn: '2026-01-31',
	at: '2026-02-02 09:00'
});
//   Bình (R5): 50 tr < 200 tr → 1 % = 500.000
await pay('D4', {
	ownerId: binh.id,
	amount: 50_000_000,
	paidOn: '2026-01-15',
	at: '2026-01-15 09:00'
});
//   Chi (R6 progressive): 80 tr + 70 tr = 150 tr → 100 tr × 1 % + 50 tr × 3 % = 2.500.000;
//     shares 1.333.333,33 and 1.166.666,67 → floors 1.333.333 + 1.166.666; remainder 1 → 80 tr
const chiP1 = await pay('D9', {
	ownerId: chi.id,
	amount: 80_000_000,
	paidOn: '2026-01-05',
	at: '2026-01-05 09:00'
});
const chiP2 = await pay('D9', {
	ownerId: chi.id,
	amount: 70_000_000,
	paidOn: '2026-01-06',
	at: '2026-01-06 09:00'
});

describe('commissions of January (both methods, tiers, overrides)', () => {
	it('[C2][C4][C5][C6] method A lines match the hand-computed amounts', async () => {
		await computeMonth(db, { orgId, month: JAN });
		const a = (await lines(JAN)).filter((l) => l.method === 'won');
		const byDeal = Object.fromEntries(
			a.map((l) => [
				[...dealIds].find(([, id]) => id === l.dealId)![0],
				[l.userId, l.basis, l.amount]
			])
		);
		expect(byDeal).toEqual({
			D1: [an.id, 123_456_789, 2_469_136],
			D2: [an.id, 150_000_000, 4_500_000],
			D3: [an.id, 99_999_999, 1_000_000],
			D4: [binh.id, 10_000_050, 400_002],
			D5: [binh.id, 80_000_010, 2_000_001],
			D7: [an.id, 12_000_000, 240_000],
			D9: [chi.id, 5_000_000, 100_000]
		});
	});

	it('[C3][C7] method B lines are per payment and sum exactly to the tiered total', async () => {
		const b = (await lines(JAN)).filter((l) => l.method === 'revenue');
		const byPayment = Object.fromEntries(
			b.map((l) => [l.paymentId, [l.basis, l.rateBp, l.amount]])
		);
		expect(byPayment).toEqual({
			[anP1]: [100_000_001, 200, 2_000_001],
			[anP2]: [100_000_001, 200, 1_999_999],
			[anP3]: [10_000_001, 200, 200_000],
			[chiP1]: [80_000_000, 300, 1_333_334],
			[chiP2]: [70_000_000, 300, 1_166_666],
			[b.find((l) => l.userId === binh.id)!.paymentId!]: [50_000_000, 100, 500_000]
		});
	});

	it('[C2][C3] statement totals per rep', async () => {
		// An: A 2.469.136 + 4.500.000 + 1.000.000 + 240.000 = 8.209.136; B 4.200.000
		// Bình: A 400.002 + 2.000.001 = 2.400.003; B 500.000. Chi: A 100.000; B 2.500.000
		expect(await totalsOf(JAN)).toEqual({
			An: { won: 8_209_136, revenue: 4_200_000, adj: 0, total: 12_409_136 },
			Bình: { won: 2_400_003, revenue: 500_000, adj: 0, total: 2_900_003 },
			Chi: { won: 100_000, revenue: 2_500_000, adj: 0, total: 2_600_000 }
		});
	});

	it('[C8][C11] computing twice gives identical lines, and rewrites none of them', async () => {
		const rows = await lines(JAN);
		await computeMonth(db, { orgId, month: JAN });
		const again = await lines(JAN);
		expect(strip(again)).toEqual(strip(rows));
		expect(again.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
	});
});

describe('locking, adjustments and immutability', () => {
	it('[C9] refuses to lock a month before the earlier computed ones', async () => {
		await computeMonth(db, { orgId, month: FEB });
		await expect(
			statements.lock(db, { orgId, month: FEB, userId: manager.id })
		).rejects.toMatchObject({ code: 'earlier_open' });
		await expect(
			statements.lock(db, {
				orgId,
				month: await statements.currentMonth(db, { orgId }),
				userId: manager.id
			})
		).rejects.toMatchObject({ code: 'not_ended' });
	});

	it('[C9] locks January as computed', async () => {
		const before = strip(await lines(JAN));
		await statements.lock(db, { orgId, month: JAN, userId: manager.id });
		const p = await statements.period(db, { orgId, month: JAN });
		expect(p).toMatchObject({ status: 'locked', lockedBy: manager.id });
		expect(strip(await lines(JAN))).toEqual(before);
	});

	it('[C10] a void, a reversed win and an amount correction after the lock become adjustments in February', async () => {
		// February facts, after January was locked:
		await voidPayment(anP3, '2026-02-05 09:00'); // An's 10.000.001
		await event('D2', 'status', '2026-02-10 10:00', {
			to: 'lost',
			amount: 150_000_000,
			ownerId: an.id
		});
		await event('D1', 'amount', '2026-02-15 10:00', {
			to: '200000000',
			amount: 200_000_000,
			ownerId: an.id
		});
		await pay('D4', {
			ownerId: binh.id,
			amount: 300_000_000,
			paidOn: '2026-02-10',
			at: '2026-02-10 09:00'
		});

		await computeMonth(db, { orgId, month: FEB });
		const feb = await lines(FEB);
		const adj = feb
			.filter((l) => l.adjustsMonth === JAN)
			.map((l) => [l.userId, l.method, l.dealId, l.basis, l.amount])
			.sort((x, y) => String(x).localeCompare(String(y)));
		// D2 reversed: −150 tr basis, −4.500.000.
		// D1 now 200 tr: 200 tr × 2 % = 4.000.000 − 2.469.136 = +1.530.864, basis +76.543.211.
		// An's January revenue now: 100.000.001 × 2 + 5.000.000 (recorded 02/02, before February's
		//   cutoff) = 205.000.002 ≥ 200 tr → 2 % = 4.100.000 − 4.200.000 = −100.000,
		//   basis 205.000.002 − 210.000.003 = −5.000.001.
		expect(adj).toEqual(
			[
				[an.id, 'won', dealIds.get('D2'), -150_000_000, -4_500_000],
				[an.id, 'won', dealIds.get('D1'), 76_543_211, 1_530_864],
				[an.id, 'revenue', null, -5_000_001, -100_000]
			].sort((x, y) => String(x).localeCompare(String(y)))
		);
		// February itself: D8 (An) 600.000; Bình's 300 tr ≥ 200 tr → 2 % = 6.000.000.
		// An: 600.000 − 4.500.000 + 1.530.864 − 100.000 = −2.469.136.
		expect(await totalsOf(FEB)).toEqual({
			An: { won: 600_000, revenue: 0, adj: -3_069_136, total: -2_469_136 },
			Bình: { won: 0, revenue: 6_000_000, adj: 0, total: 6_000_000 },
			Chi: { won: 0, revenue: 0, adj: 0, total: 0 }
		});
	});

	it('[C11] computing February twice gives identical lines', async () => {
		const before = strip(await lines(FEB));
		await computeMonth(db, { orgId, month: FEB });
		expect(strip(await lines(FEB))).toEqual(before);
	});

	it('[C11] the rollup equals a recomputation from scratch', async () => {
		const tz = 'Asia/Ho_Chi_Minh';
		// January as locked = January recomputed as of its own cutoff.
		const janThen = await linesFor(db, { orgId, timeZone: tz, month: JAN, cutoffMonth: FEB });
		const janLocked = (await lines(JAN)).filter((l) => !l.adjustsMonth);
		expect(sumBy(janLocked)).toEqual(sumBy(janThen));
		// January paid so far (locked lines + adjustments carried in February) = January as seen
		// from the end of February; February's own lines = February from scratch.
		const janNow = await linesFor(db, { orgId, timeZone: tz, month: JAN, cutoffMonth: MAR });
		const feb = await lines(FEB);
		expect(sumBy([...janLocked, ...feb.filter((l) => l.adjustsMonth === JAN)])).toEqual(
			sumBy(janNow)
		);
		const febNow = await linesFor(db, { orgId, timeZone: tz, month: FEB, cutoffMonth: MAR });
		expect(sumBy(feb.filter((l) => !l.adjustsMonth))).toEqual(sumBy(febNow));
		// And the page's totals are those sums.
		const t = await statements.totals(db, { orgId, month: FEB });
		expect(
			Object.fromEntries(t.filter((x) => x.lines > 0).map((x) => [x.userId, x.total]))
		).toEqual(sumBy(feb));
	});

	it('[C9] a locked month is immutable, even to direct SQL (trigger)', async () => {
		const before = strip(await lines(JAN));
		const one = before[0]!;
		await refusedAsLocked(
			db.execute(
				sql`update commission_lines set amount = 0 where org_id = ${orgId} and month = ${JAN}`
			)
		);
		await refusedAsLocked(
			db.execute(sql`delete from commission_lines where org_id = ${orgId} and month = ${JAN}`)
		);
		await refusedAsLocked(
			db.insert(commissionLines).values({ ...one, orgId, month: JAN, amount: 1 })
		);
		await refusedAsLocked(
			db.execute(
				sql`update commission_lines set month = ${FEB} where org_id = ${orgId} and month = ${JAN}`
			)
		);
		await refusedAsLocked(
			db
				.update(commissionPeriods)
				.set({ status: 'open' })
				.where(and(eq(commissionPeriods.orgId, orgId), eq(commissionPeriods.month, JAN)))
		);
		expect(await computeMonth(db, { orgId, month: JAN })).toEqual({ status: 'locked' });
		await expect(computeMonth(db, { orgId, month: '2025-12-01' })).rejects.toBeInstanceOf(
			CommissionError
		);
		expect(strip(await lines(JAN))).toEqual(before);
	});

	it('[C10] adjustments already carried in a locked month are not carried again', async () => {
		await statements.lock(db, { orgId, month: FEB, userId: manager.id });
		// D2 won again in March: a new win, credited in March (3 % of 150 tr = 4.500.000).
		await event('D2', 'status', '2026-03-05 10:00', {
			to: 'won',
			amount: 150_000_000,
			ownerId: an.id
		});
		await computeMonth(db, { orgId, month: MAR });
		const mar = await lines(MAR);
		expect(mar.filter((l) => l.adjustsMonth)).toEqual([]);
		expect(mar.map((l) => [l.dealId, l.amount])).toEqual([[dealIds.get('D2'), 4_500_000]]);
	});
});

describe('rules', () => {
	it('[C4] a new version applies from its month on; earlier months keep the old one', async () => {
		await rule({
			method: 'won',
			pipelineId: null,
			userId: null,
			tiering: 'flat',
			tiers: [{ from: 0, rateBp: 300 }],
			validFrom: '2026-04-01'
		});
		const [old] = await db.select().from(commissionRules).where(eq(commissionRules.id, r1.id));
		expect(old!.validTo).toBe('2026-04-01');
		const march = await rules.rulesValidIn(db, { orgId, month: MAR });
		const april = await rules.rulesValidIn(db, { orgId, month: '2026-04-01' });
		const q = { method: 'won' as const, userId: an.id, pipelineId: p1!.id };
		expect(rules.resolveRule(march, q)!.tiers).toEqual([{ from: 0, rateBp: 200 }]);
		expect(rules.resolveRule(april, q)!.tiers).toEqual([{ from: 0, rateBp: 300 }]);
		// Most specific wins: Bình in p2 → R4, Bình in p1 → R3, An in p2 → R2.
		expect(rules.resolveRule(march, { ...q, userId: binh.id, pipelineId: p2!.id })!.tiering).toBe(
			'progressive'
		);
		expect(rules.resolveRule(march, { ...q, userId: binh.id })!.tiers[0]!.rateBp).toBe(400);
		expect(rules.resolveRule(march, { ...q, pipelineId: p2!.id })!.tiering).toBe('step');
	});

	it('[C4] an organisation without rules gets method A flat 5 % on first use', async () => {
		const owner = await createUser(db, { name: 'Chủ' });
		const other = await createOrg(db, { ownerId: owner.id, name: 'Công ty khác' });
		await computeMonth(db, { orgId: other.id, month: JAN });
		const got = await db.select().from(commissionRules).where(eq(commissionRules.orgId, other.id));
		expect(got.map((r) => [r.method, r.tiering, r.tiers, r.userId, r.pipelineId])).toEqual([
			['won', 'flat', [{ from: 0, rateBp: 500 }], null, null]
		]);
	});

	it('[C6] basis up to 10^15 đồng keeps every đồng', () => {
		expect(
			commissionOf({ tiering: 'flat', tiers: [{ from: 0, rateBp: 9999 }], basis: 1e15 }).amount
		).toBe(999_900_000_000_000);
		expect(
			commissionOf({ tiering: 'flat', tiers: [{ from: 0, rateBp: 1 }], basis: 999_999_999_999_999 })
				.amount
		).toBe(100_000_000_000);
	});
});

describe('the job', () => {
	it('[C12] computes a month through real pg-boss, once for a burst', async () => {
		const boss = new PgBoss({ connectionString: url, max: 2, schema: 'pgboss' });
		await boss.start();
		try {
			await createQueues(boss);
			const log = { info() {}, warn() {}, error() {}, debug() {} };
			const rt = { db, boss, log } as unknown as Runtime;
			// A burst of requests for one month: stately + singletonKey keep one waiting.
			const ids = await Promise.all(
				Array.from({ length: 5 }, () =>
					jobModule.enqueueCommissionCompute(boss, { orgId, month: '2026-04-01' })
				)
			);
			expect(ids.filter(Boolean).length).toBe(1);
			await registerWorkers({ boss, rt, collab: false });
			const deadline = Date.now() + 20_000;
			let p = await statements.period(db, { orgId, month: '2026-04-01' });
			while (!p?.computedAt && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 200));
				p = await statements.period(db, { orgId, month: '2026-04-01' });
			}
			expect(p).toMatchObject({ status: 'open' });
			expect(p!.computedAt).not.toBeNull();
		} finally {
			await boss.stop({ graceful: false, wait: true });
		}
	});

	it('[C12] the nightly run picks the first open, previous and current months', () => {
		expect(jobModule.monthsToCompute({ current: '2026-11-01', locked: ['2026-08-01'] })).toEqual([
			'2026-09-01',
			'2026-10-01',
			'2026-11-01'
		]);
		expect(jobModule.monthsToCompute({ current: '2026-11-01', locked: ['2026-10-01'] })).toEqual([
			'2026-11-01'
		]);
		expect(jobModule.monthsToCompute({ current: '2026-01-01', locked: [] })).toEqual([
			'2025-12-01',
			'2026-01-01'
		]);
	});
});

describe('removal', () => {
	it('[C9] deleting the organisation still removes its locked months', async () => {
		await db.execute(sql`delete from organisations where id = ${orgId}`);
		expect(await lines(JAN)).toEqual([]);
	});
});
