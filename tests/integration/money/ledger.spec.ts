import http from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { dealsDocName } from '../../../src/lib/board/doc';
import { readDeal } from '../../../src/lib/board/read';
import {
	dealBalances,
	dealReceivables,
	paymentInstalments,
	payments,
	pipelines
} from '../../../src/lib/server/db/schema';
import type { DealMoney, MoneyError } from '../../../src/lib/money/types';
import { startApp } from '../../support/app-server';
import { setStatus } from '../../../src/lib/board/ops';
import { acked, connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';
import { createDealAs, setSettings, until } from '../files/support';
import { cookieFor } from '../security/http';

// The payment ledger (issue 5) against the production build over HTTP: entries only ever
// inserted, idempotency keys, the overpayment rule under a row lock, voids, permissions, and the
// figures the server writes into the board card. Then the must-show: 50 concurrent clients ×
// 200 operations with retries and cut connections on 20 deals.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const [pipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const pipelineId = pipeline!.id;
await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'own', editing: 'own' });

const cookie = {
	owner: await cookieFor(app, owner.id),
	nam: await cookieFor(app, nam.id),
	ha: await cookieFor(app, ha.id),
	accountant: await cookieFor(app, accountant.id)
};
type Who = keyof typeof cookie;

const paymentsPath = (dealId: string) => `/o/${org.id}/deals/${dealId}/payments`;

// Every request here is safe to send again (GETs, and writes carrying an idempotency key), so a
// connection lost under load is retried as a real client would: the storm shares CI's two cores
// with other specs, and a kept-alive socket closed by the loaded server once failed the run with
// "other side closed". `retried` tells the caller the answer may be the replay's (200) rather
// than the first request's (201).
async function call(who: Who, path: string, init: { method?: string; body?: unknown } = {}) {
	for (let attempt = 1; ; attempt++) {
		try {
			const res = await app.fetch(path, {
				method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
				headers: {
					cookie: cookie[who],
					'content-type': 'application/json',
					accept: 'application/json',
					'accept-language': 'vi'
				},
				body: init.body === undefined ? undefined : JSON.stringify(init.body)
			});
			const body = (await res.json().catch(() => null)) as never;
			return { status: res.status, body, retried: attempt > 1 };
		} catch (err) {
			if (attempt >= 3 || !(err instanceof TypeError)) throw err;
		}
	}
}

const pay = (over: Record<string, unknown> = {}) => ({
	idempotencyKey: uuidv7(),
	amount: 1_000_000,
	paidOn: '2026-11-20',
	method: 'transfer',
	reference: 'VCB 123456',
	note: '',
	...over
});

async function cardOf(dealId: string, ownerId: string) {
	const c = connect({
		origin: app.origin,
		documentName: dealsDocName(pipelineId, ownerId),
		cookie: await cookieFor(app, ownerId)
	});
	await c.synced;
	return { read: () => readDeal(c.doc, dealId), close: () => c.destroy() };
}

describe('payments', async () => {
	const dealId = await createDealAs(app, {
		userId: nam.id,
		pipelineId,
		title: 'Hệ thống camera kho Long An',
		amount: 30_000_000
	});

	it('records partial payments, writes paid into the card live, and refuses an overpayment in Vietnamese', async () => {
		const card = await cardOf(dealId, nam.id);
		try {
			for (const [i, amount] of [10_000_000, 5_000_000, 7_000_000].entries()) {
				const r = await call('nam', paymentsPath(dealId), { body: pay({ amount }) });
				expect(r.status).toBe(201);
				const body = r.body as { money: DealMoney };
				expect(body.money.payments).toHaveLength(i + 1);
			}
			const { body } = await call('nam', paymentsPath(dealId));
			const money = body as DealMoney;
			expect(money).toMatchObject({ value: 30_000_000, paid: 22_000_000, remaining: 8_000_000 });
			expect(await until(async () => card.read()?.paid === 22_000_000)).toBe(true);

			const over = await call('nam', paymentsPath(dealId), { body: pay({ amount: 9_000_000 }) });
			expect(over.status).toBe(409);
			const err = over.body as MoneyError;
			expect(err.code).toBe('overpayment');
			expect(err.field).toBe('amount');
			expect(err.params).toMatchObject({
				value: 30_000_000,
				paid: 22_000_000,
				remaining: 8_000_000
			});
			expect(err.message).toContain('vượt giá trị giao dịch');
			expect(err.message).toMatch(/8\.000\.000\s?₫/);
			expect(((await call('nam', paymentsPath(dealId))).body as DealMoney).paid).toBe(22_000_000);

			const allowed = await call('nam', paymentsPath(dealId), {
				body: pay({ amount: 9_000_000, overpayment: true })
			});
			expect(allowed.status).toBe(201);
			expect((allowed.body as { money: DealMoney }).money).toMatchObject({
				paid: 31_000_000,
				remaining: 0
			});
		} finally {
			card.close();
		}
	});

	it('voids with a reason: the total drops, the payment stays listed with who and why', async () => {
		const before = (await call('nam', paymentsPath(dealId))).body as DealMoney;
		const target = before.payments.find((p) => p.amount === 5_000_000)!;
		const voidPath = `${paymentsPath(dealId)}/${target.id}/void`;
		const noReason = await call('accountant', voidPath, {
			body: { idempotencyKey: uuidv7(), reason: '  ' }
		});
		expect(noReason.status).toBe(400);
		expect((noReason.body as MoneyError).field).toBe('reason');

		const key = uuidv7();
		const r = await call('accountant', voidPath, {
			body: { idempotencyKey: key, reason: 'Khách chuyển nhầm, đã hoàn tiền' }
		});
		expect(r.status).toBe(200);
		const money = (r.body as { money: DealMoney }).money;
		expect(money.paid).toBe(before.paid - 5_000_000);
		const listed = money.payments.find((p) => p.id === target.id)!;
		expect(listed.void).toMatchObject({
			reason: 'Khách chuyển nhầm, đã hoàn tiền',
			by: { id: accountant.id, name: 'Võ Minh Châu' }
		});
		// The same request again is a replay; another void of it is refused.
		expect(
			(
				await call('accountant', voidPath, {
					body: { idempotencyKey: key, reason: 'Khách chuyển nhầm, đã hoàn tiền' }
				})
			).status
		).toBe(200);
		const again = await call('owner', voidPath, {
			body: { idempotencyKey: uuidv7(), reason: 'Lần nữa' }
		});
		expect(again.status).toBe(409);
		expect((again.body as MoneyError).code).toBe('already_voided');
		expect(((await call('nam', paymentsPath(dealId))).body as DealMoney).paid).toBe(money.paid);
	});

	it('replays a key with the original payment and refuses the key with other content', async () => {
		const body = pay({ amount: 100_000, overpayment: true });
		const first = await call('nam', paymentsPath(dealId), { body });
		const second = await call('nam', paymentsPath(dealId), { body });
		expect(first.status).toBe(201);
		expect(second.status).toBe(200);
		const a = first.body as { payment: { id: string } };
		const b = second.body as { payment: { id: string } };
		expect(b.payment.id).toBe(a.payment.id);
		const other = await call('nam', paymentsPath(dealId), { body: { ...body, amount: 200_000 } });
		expect(other.status).toBe(422);
		expect((other.body as MoneyError).code).toBe('idempotency_mismatch');
		const rows = await app.db
			.select()
			.from(payments)
			.where(eq(payments.idempotencyKey, body.idempotencyKey));
		expect(rows).toHaveLength(1);
	});

	it('validates every field and answers in the user language', async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ amount: 0 }, 'amount'],
			[{ amount: 1.5 }, 'amount'],
			[{ amount: '1000' }, 'amount'],
			[{ paidOn: '2026-02-30' }, 'paidOn'],
			[{ method: 'bitcoin' }, 'method'],
			[{ reference: 'x'.repeat(101) }, 'reference'],
			[{ idempotencyKey: 'a b' }, 'idempotencyKey']
		];
		for (const [over, field] of cases) {
			const r = await call('nam', paymentsPath(dealId), { body: pay(over) });
			expect(r.status, JSON.stringify(over)).toBe(400);
			expect((r.body as MoneyError).field).toBe(field);
			expect((r.body as MoneyError).message.length).toBeGreaterThan(5);
		}
		const notJson = await app.fetch(paymentsPath(dealId), {
			method: 'POST',
			headers: { cookie: cookie.nam, 'content-type': 'application/json' },
			body: '{'
		});
		expect(notJson.status).toBe(400);
	});

	it('follows the deal: another rep in an own-only pipeline gets 404; accountants record', async () => {
		expect((await call('ha', paymentsPath(dealId))).status).toBe(404);
		expect((await call('ha', paymentsPath(dealId), { body: pay() })).status).toBe(404);
		const r = await call('accountant', paymentsPath(dealId), {
			body: pay({ amount: 50_000, overpayment: true, method: 'cash' })
		});
		expect(r.status).toBe(201);
	});

	it('marks unpaid instalments past due as overdue, on the card too', async () => {
		const deal2 = await createDealAs(app, {
			userId: nam.id,
			pipelineId,
			title: 'Phần mềm kế toán',
			amount: 20_000_000
		});
		const inst = `/o/${org.id}/deals/${deal2}/instalments`;
		expect(
			(await call('nam', inst, { body: { dueOn: '2026-01-10', amount: 8_000_000 } })).status
		).toBe(201);
		const r = await call('nam', inst, { body: { dueOn: '2099-01-10', amount: 12_000_000 } });
		const money = (r.body as { money: DealMoney }).money;
		expect(money.overdue).toBe(8_000_000);
		expect(money.instalments.map((i) => i.overdue)).toEqual([true, false]);
		const card = await cardOf(deal2, nam.id);
		try {
			expect(await until(async () => card.read()?.overdue === 8_000_000)).toBe(true);
			await call('nam', paymentsPath(deal2), { body: pay({ amount: 5_000_000 }) });
			expect(await until(async () => card.read()?.overdue === 3_000_000)).toBe(true);
			expect(card.read()?.paid).toBe(5_000_000);
		} finally {
			card.close();
		}
		const bad = await call('nam', inst, { body: { dueOn: 'mai', amount: 1 } });
		expect(bad.status).toBe(400);
		expect((bad.body as MoneyError).field).toBe('dueOn');
		const [row] = await app.db
			.select({ n: sql<number>`count(*)::int` })
			.from(paymentInstalments)
			.where(eq(paymentInstalments.dealId, deal2));
		expect(row!.n).toBe(2);
	});
});

describe('what a won deal still owes (receivables read model, R14)', async () => {
	it('follows the win, payments, voids and the schedule without any reconcile', async () => {
		const dealId = await createDealAs(app, {
			userId: nam.id,
			pipelineId,
			title: 'Bảo trì thang máy toà nhà B',
			amount: 40_000_000
		});
		const owed = async () => {
			const [row] = await app.db
				.select()
				.from(dealReceivables)
				.where(eq(dealReceivables.dealId, dealId));
			return row;
		};
		expect(await owed()).toBeUndefined();
		const shard = connect({
			origin: app.origin,
			documentName: dealsDocName(pipelineId, nam.id),
			cookie: cookie.nam
		});
		await shard.synced;
		try {
			setStatus(shard.doc, { dealId, status: 'won' }, { kind: 'user', userId: nam.id });
			await acked(shard.provider);
			expect(await until(async () => (await owed())?.total === 40_000_000)).toBe(true);

			const paid = await call('nam', paymentsPath(dealId), { body: pay({ amount: 15_000_000 }) });
			expect((await owed())?.total).toBe(25_000_000);
			const inst = `/o/${org.id}/deals/${dealId}/instalments`;
			await call('nam', inst, { body: { dueOn: '2026-01-15', amount: 20_000_000 } });
			// 15 tr paid covers the instalment's first 15 tr; 5 tr of it and the unscheduled 20 tr
			// are owed.
			expect(await owed()).toMatchObject({ total: 25_000_000, unpaid: [5_000_000, 20_000_000] });
			const id = (paid.body as { payment: { id: string } }).payment.id;
			await call('accountant', `${paymentsPath(dealId)}/${id}/void`, {
				body: { idempotencyKey: uuidv7(), reason: 'Ngân hàng trả lại' }
			});
			expect(await owed()).toMatchObject({ total: 40_000_000, unpaid: [20_000_000, 20_000_000] });

			setStatus(
				shard.doc,
				{ dealId, status: 'lost', lostReason: 'Khách huỷ' },
				{ kind: 'user', userId: nam.id }
			);
			await acked(shard.provider);
			expect(await until(async () => (await owed()) === undefined)).toBe(true);
		} finally {
			shard.destroy();
		}
	});
});

describe('ledger under concurrency', async () => {
	const CLIENTS = 50;
	// CHOT_LEDGER_OPS runs a shorter (or longer) storm by hand; CI runs the 200.
	const OPS = Number(process.env.CHOT_LEDGER_OPS ?? 200);
	const DEALS = 20;
	const VALUE = 2_000_000_000;
	const dealIds: string[] = [];
	for (let i = 0; i < DEALS; i++) {
		dealIds.push(
			await createDealAs(app, {
				userId: i % 2 ? nam.id : ha.id,
				pipelineId,
				title: `Đơn hàng số ${i + 1}`,
				amount: VALUE
			})
		);
	}
	const port = new URL(app.origin).port;

	/** Sends a request and cuts the connection once the body is out, before any answer. */
	function cut(path: string, body: unknown) {
		return new Promise<void>((resolve) => {
			const data = JSON.stringify(body);
			const req = http.request({
				host: '127.0.0.1',
				port,
				path,
				method: 'POST',
				agent: false,
				headers: {
					cookie: cookie.accountant,
					host: `localhost:${port}`,
					origin: app.origin,
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(data)
				}
			});
			req.on('error', () => resolve());
			req.end(data, () => {
				req.destroy();
				resolve();
			});
		});
	}

	it('50 clients × 200 operations with retries and cut connections: no duplicate, totals exact', async () => {
		let seed = 20261129;
		const random = () => {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			return seed / 0x7fffffff;
		};
		// Every payment intent: its key, content, and the payment id the server answered.
		const intents = new Map<
			string,
			{ body: Record<string, unknown>; dealId: string; id?: string }
		>();
		const stats = { recorded: 0, replays: 0, mismatches: 0, cuts: 0, voids: 0 };

		async function client(n: number) {
			const mine: string[] = [];
			for (let op = 0; op < OPS; op++) {
				const roll = random();
				const dealId = dealIds[Math.floor(random() * DEALS)]!;
				if (roll < 0.1) {
					// Cut before the answer, then retry the same request: one payment either way.
					const body = pay({ amount: 1 + Math.floor(random() * 5_000_000) });
					intents.set(body.idempotencyKey as string, { body, dealId });
					stats.cuts += 1;
					await cut(paymentsPath(dealId), body);
					const r = await call('accountant', paymentsPath(dealId), { body });
					expect([200, 201]).toContain(r.status);
					intents.get(body.idempotencyKey as string)!.id = (
						r.body as { payment: { id: string } }
					).payment.id;
					mine.push(body.idempotencyKey as string);
				} else if (roll < 0.2 && mine.length > 0) {
					// Retry an earlier request: the original payment comes back.
					const key = mine[Math.floor(random() * mine.length)]!;
					const intent = intents.get(key)!;
					const r = await call('accountant', paymentsPath(intent.dealId), { body: intent.body });
					expect(r.status).toBe(200);
					expect((r.body as { payment: { id: string } }).payment.id).toBe(intent.id);
					stats.replays += 1;
				} else if (roll < 0.25 && mine.length > 0) {
					// The same key with other content is an error and records nothing.
					const key = mine[Math.floor(random() * mine.length)]!;
					const intent = intents.get(key)!;
					const r = await call('accountant', paymentsPath(intent.dealId), {
						body: { ...intent.body, amount: (intent.body.amount as number) + 1 }
					});
					expect(r.status).toBe(422);
					stats.mismatches += 1;
				} else if (roll < 0.35 && mine.length > 0) {
					const key = mine[Math.floor(random() * mine.length)]!;
					const intent = intents.get(key)!;
					const r = await call('accountant', `${paymentsPath(intent.dealId)}/${intent.id}/void`, {
						body: { idempotencyKey: `void-${key}`, reason: `Sai số tiền (${n})` }
					});
					// Voided now, or by this client's earlier pick of it: the same key, a replay.
					expect(r.status).toBe(200);
					stats.voids += 1;
				} else {
					const body = pay({ amount: 1 + Math.floor(random() * 5_000_000) });
					intents.set(body.idempotencyKey as string, { body, dealId });
					const r = await call('accountant', paymentsPath(dealId), { body });
					expect(r.retried ? [200, 201] : [201]).toContain(r.status);
					intents.get(body.idempotencyKey as string)!.id = (
						r.body as { payment: { id: string } }
					).payment.id;
					mine.push(body.idempotencyKey as string);
					stats.recorded += 1;
				}
			}
		}
		await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

		// One payment per intent, the one the client was answered with.
		const rows = await app.db
			.select({ id: payments.id, key: payments.idempotencyKey })
			.from(payments)
			.where(sql`${payments.dealId} in ${dealIds}`);
		expect(rows).toHaveLength(intents.size);
		const byKey = new Map(rows.map((r) => [r.key, r.id]));
		for (const [key, intent] of intents) expect(byKey.get(key)).toBe(intent.id);

		// Every running total equals a recomputation from the entries, and none exceeds the value.
		const check = await app.db.execute<{ deal_id: string; stored: string; recomputed: string }>(sql`
			select b.deal_id, b.paid::text as stored,
				(select coalesce(sum(p.amount), 0) from payments p where p.deal_id = b.deal_id
					and not exists (select 1 from payment_voids v where v.payment_id = p.id))::text as recomputed
			from ${dealBalances} b where b.deal_id in ${dealIds}`);
		expect(check).toHaveLength(DEALS);
		for (const row of check) {
			expect(row.stored, row.deal_id).toBe(row.recomputed);
			expect(Number(row.stored)).toBeLessThanOrEqual(VALUE);
		}
		expect(stats.cuts).toBeGreaterThan(CLIENTS * OPS * 0.05);
		expect(stats.voids).toBeGreaterThan(CLIENTS * OPS * 0.05);
		console.log('ledger concurrency', { intents: intents.size, ...stats });
	}, 600_000);
});
