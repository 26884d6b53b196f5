import { instalmentPatchSchema, parseBody } from '$lib/server/money/forms';
import { afterLedgerChange } from '$lib/server/money/card';
import { cancelInstalment, moneyRights, updateInstalment } from '$lib/server/money/payments.repo';
import {
	answer,
	cardOf,
	dealContext,
	forbidden,
	invalid,
	jsonBody,
	moneyNow,
	notFound
} from '$lib/server/money/respond';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// One instalment of the deal's schedule: PATCH changes its date, amount or note; DELETE takes it
// off the schedule (the row is kept with when).

export const PATCH: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	if (!moneyRights(ctx.member.role, ctx.deal).canSchedule) return forbidden(ctx.locale);
	const parsed = parseBody(instalmentPatchSchema, await jsonBody(event.request));
	if (!parsed.ok) return invalid(ctx.locale, parsed.invalid);
	const rt = runtime();
	const changed = await updateInstalment(rt.db, {
		member: ctx.member,
		dealId: ctx.deal.id,
		id: event.params.instalmentId,
		input: parsed.value
	});
	if (!changed) return notFound(ctx.locale, 'ledger.error.instalment_not_found');
	await afterLedgerChange(rt, cardOf(ctx));
	return answer({ money: await moneyNow(ctx) });
};

export const DELETE: RequestHandler = async (event) => {
	const ctx = await dealContext(event);
	if (!moneyRights(ctx.member.role, ctx.deal).canSchedule) return forbidden(ctx.locale);
	const rt = runtime();
	const cancelled = await cancelInstalment(rt.db, {
		member: ctx.member,
		dealId: ctx.deal.id,
		id: event.params.instalmentId
	});
	if (!cancelled) return notFound(ctx.locale, 'ledger.error.instalment_not_found');
	await afterLedgerChange(rt, cardOf(ctx));
	return answer({ money: await moneyNow(ctx) });
};
