import { error, json, type RequestEvent } from '@sveltejs/kit';
import { formatVnd } from '$lib/format/money';
import { translate, type Locale, type MessageKey } from '$lib/i18n';
import type { MoneyError } from '$lib/money/types';
import { requireMember } from '../auth/guards';
import { localDay } from '../deals/export';
import { runtime } from '../runtime';
import type { Invalid } from './forms';
import { dealFor, dealMoney, MoneyRefused, type Member } from './payments.repo';

// Shared by the payment and schedule endpoints: who is asking, the deal as they may reach it,
// refusals as JSON in their language, and the money section as it stands after a change.

const noStore = { 'cache-control': 'private, no-store' };

export async function dealContext(event: RequestEvent<{ orgId: string; dealId: string }>) {
	const { user, org, role } = await requireMember(event);
	const member: Member = { orgId: org.id, userId: user.id, role };
	const deal = await dealFor(runtime().db, { ...member, dealId: event.params.dealId });
	if (!deal) error(404, { message: 'Not found' });
	return { member, deal, org, locale: event.locals.locale as Locale };
}

/** The body as JSON, or null when it is not JSON at all. */
export async function jsonBody(request: Request): Promise<unknown> {
	try {
		return await request.json();
	} catch {
		return null;
	}
}

export function invalid(locale: Locale, { field, key, params }: Invalid) {
	const body: MoneyError = { code: 'invalid', field, message: translate(locale, key, params) };
	return json(body, { status: 400, headers: noStore });
}

const statusOf: Record<MoneyRefused['code'], number> = {
	not_found: 404,
	forbidden: 403,
	overpayment: 409,
	idempotency_mismatch: 422,
	already_voided: 409,
	contract_not_found: 400
};

export function refused(locale: Locale, err: MoneyRefused) {
	// Amounts in the message read as money; the raw numbers stay in `params` for programs.
	const shown = Object.fromEntries(
		Object.entries(err.params).map(([k, v]) => [k, typeof v === 'number' ? formatVnd(v) : v])
	);
	const body: MoneyError = {
		code: err.code,
		message: translate(locale, `ledger.error.${err.code}` as MessageKey, shown),
		params: err.params,
		...(err.field && { field: err.field })
	};
	return json(body, { status: statusOf[err.code], headers: noStore });
}

export function notFound(locale: Locale, key: MessageKey = 'ledger.error.not_found') {
	const body: MoneyError = { code: 'not_found', message: translate(locale, key) };
	return json(body, { status: 404, headers: noStore });
}

export function forbidden(locale: Locale) {
	return refused(locale, new MoneyRefused('forbidden'));
}

/** What `syncCard` needs, all known to the request already. */
export function cardOf(ctx: Awaited<ReturnType<typeof dealContext>>) {
	return {
		orgId: ctx.member.orgId,
		dealId: ctx.deal.id,
		shard: { pipelineId: ctx.deal.pipelineId, ownerId: ctx.deal.ownerId },
		timeZone: ctx.org.timeZone
	};
}

/** The deal's money section as the member sees it now. */
export async function moneyNow(ctx: Awaited<ReturnType<typeof dealContext>>) {
	return dealMoney(runtime().db, {
		member: ctx.member,
		deal: ctx.deal,
		today: localDay(ctx.org.timeZone)
	});
}

export function answer(body: unknown, status = 200) {
	return json(body, { status, headers: noStore });
}
