import { parseBody, voidSchema } from '$lib/server/money/forms';
import { afterLedgerChange } from '$lib/server/money/card';
import { MoneyRefused, voidPayment } from '$lib/server/money/payments.repo';
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

// Voids a payment with a reason (JSON {idempotencyKey, reason}); it stays in the history.
export const POST: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	const parsed = parseBody(voidSchema, await jsonBody(event.request));
	if (!parsed.ok) return invalid(ctx.locale, parsed.invalid);
	const rt = runtime();
	try {
		const { replayed, paidOn } = await voidPayment(rt.db, {
			member: ctx.member,
			deal: ctx.deal,
			paymentId: event.params.paymentId,
			input: parsed.value
		});
		if (!replayed) await afterLedgerChange(rt, { ...cardOf(ctx), paidOn });
		return answer({ money: await moneyNow(ctx) });
	} catch (err) {
		if (err instanceof MoneyRefused) return refused(ctx.locale, err);
		throw err;
	}
};
