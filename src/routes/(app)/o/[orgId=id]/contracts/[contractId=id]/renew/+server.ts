import { error, json } from '@sveltejs/kit';
import type { RenewResponse } from '$lib/contracts/types';
import { requireMember } from '$lib/server/auth/guards';
import * as contracts from '$lib/server/contracts/contracts.repo';
import { parseBody, renewSchema } from '$lib/server/contracts/forms';
import { invalid, readJson, refused } from '$lib/server/contracts/present';
import { localDay } from '$lib/server/deals/export';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// Renews a contract: the next contract, and a renewal deal on a board if asked. Submitting the
// same renewal twice answers with the first (201 the first time, 200 after).

export const POST: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const locale = event.locals.locale;
	const member = { orgId: org.id, userId: user.id, role };
	const rt = runtime();
	const parsed = parseBody(renewSchema, await readJson(event.request));
	if (!parsed.ok) {
		// Only someone who may see the contract learns what was wrong with the form.
		const seen = await contracts.contractAccess(rt.db, {
			...member,
			contractId: event.params.contractId
		});
		if (!seen) error(404, { message: 'Not found' });
		return invalid(locale, parsed.errors);
	}
	try {
		const done = await contracts.renew(rt, {
			...member,
			contractId: event.params.contractId,
			input: parsed.data,
			locale
		});
		const contract = await contracts.get(rt.db, {
			...member,
			contractId: done.contractId,
			today: localDay(org.timeZone)
		});
		const body: RenewResponse = {
			contract: contract!,
			created: done.created,
			renewalDeal:
				done.renewalDealId && parsed.data.deal
					? { id: done.renewalDealId, pipelineId: parsed.data.deal.pipelineId }
					: null,
			dealFailed: done.dealFailed
		};
		return json(body, { status: done.created ? 201 : 200 });
	} catch (err) {
		if (err instanceof contracts.ContractRefused) {
			if (err.code === 'not_found') error(404, { message: 'Not found' });
			return refused(locale, err);
		}
		throw err;
	}
};
