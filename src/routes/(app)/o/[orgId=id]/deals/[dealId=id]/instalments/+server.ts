import { instalmentSchema, parseBody } from '$lib/server/money/forms';
import { afterLedgerChange } from '$lib/server/money/card';
import { addInstalment, moneyRights, MoneyRefused } from '$lib/server/money/payments.repo';
import {
	answer,
	cardOf,
	dealContext,
	forbidden,
	invalid,
	jsonBody,
	moneyNow,
	refused
} from '$lib/server/money/respond';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// Adds an instalment to the deal's payment schedule (JSON {dueOn, amount, note?, contractId?}).
export const POST: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	if (!moneyRights(ctx.member.role, ctx.deal).canSchedule) return forbidden(ctx.locale);
	const parsed = parseBody(instalmentSchema, await jsonBody(event.request));
	if (!parsed.ok) return invalid(ctx.locale, parsed.invalid);
	const rt = runtime();
	try {
		await addInstalment(rt.db, { member: ctx.member, dealId: ctx.deal.id, input: parsed.value });
	} catch (err) {
		if (err instanceof MoneyRefused) return refused(ctx.locale, err);
		throw err;
	}
	await afterLedgerChange(rt, cardOf(ctx));
	return answer({ money: await moneyNow(ctx) }, 201);
};
