import { paymentSchema, parseBody } from '$lib/server/money/forms';
import { afterLedgerChange } from '$lib/server/money/card';
import { recordPayment, MoneyRefused } from '$lib/server/money/payments.repo';
import {
	answer,
	cardOf,
	dealContext,
	invalid,
	jsonBody,
	moneyNow,
	refused
} from '$lib/server/money/respond';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// A deal's payments: GET the money section (value, paid, remaining, overdue, payments with their
// voids, instalments), POST records one payment (JSON, with the client's idempotency key).

export const GET: RequestHandler = async (event) =>
	answer(await moneyNow(await dealContext(event)));

export const POST: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	const parsed = parseBody(paymentSchema, await jsonBody(event.request));
	if (!parsed.ok) return invalid(ctx.locale, parsed.invalid);
	const rt = runtime();
	try {
		const { payment, replayed } = await recordPayment(rt.db, {
			member: ctx.member,
			deal: ctx.deal,
			input: parsed.value
		});
		if (!replayed) await afterLedgerChange(rt, { ...cardOf(ctx), paidOn: payment.paidOn });
		const money = await moneyNow(ctx);
		const view = money.payments.find((p) => p.id === payment.id);
		return answer({ payment: view, money }, replayed ? 200 : 201);
	} catch (err) {
		if (err instanceof MoneyRefused) return refused(ctx.locale, err);
		throw err;
	}
};
