import { error, json } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as contracts from '$lib/server/contracts/contracts.repo';
import { contractSchema, parseBody } from '$lib/server/contracts/forms';
import { forbidden, invalid, readJson, refused } from '$lib/server/contracts/present';
import { localDay } from '$lib/server/deals/export';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// One contract: GET reads it, PATCH changes its terms, DELETE cancels it (the row stays, with
// the status "cancelled"). A contract of a deal the member may not see is 404.

async function reach(event: Parameters<RequestHandler>[0]) {
	const { user, org, role } = await requireMember(event);
	const member = { orgId: org.id, userId: user.id, role };
	const found = await contracts.contractAccess(runtime().db, {
		...member,
		contractId: event.params.contractId
	});
	if (!found) error(404, { message: 'Not found' });
	return { member, org, found, today: localDay(org.timeZone) };
}

export const GET: RequestHandler = async (event) => {
	const { member, today } = await reach(event);
	const contract = await contracts.get(runtime().db, {
		...member,
		contractId: event.params.contractId,
		today
	});
	return json({ contract }, { headers: { 'cache-control': 'private, no-store' } });
};

export const PATCH: RequestHandler = async (event) => {
	const { member, found, today } = await reach(event);
	const locale = event.locals.locale;
	if (!found.canEdit) return forbidden(locale);
	const parsed = parseBody(contractSchema, await readJson(event.request));
	if (!parsed.ok) return invalid(locale, parsed.errors);
	const { db } = runtime();
	try {
		await contracts.update(db, {
			orgId: member.orgId,
			contract: found.contract,
			input: parsed.data
		});
	} catch (err) {
		if (err instanceof contracts.ContractRefused) return refused(locale, err);
		throw err;
	}
	const contract = await contracts.get(db, { ...member, contractId: found.contract.id, today });
	return json({ contract });
};

export const DELETE: RequestHandler = async (event) => {
	const { member, found, today } = await reach(event);
	const locale = event.locals.locale;
	if (!found.canEdit) return forbidden(locale);
	const { db } = runtime();
	try {
		await contracts.cancel(db, { orgId: member.orgId, contractId: found.contract.id });
	} catch (err) {
		if (err instanceof contracts.ContractRefused) return refused(locale, err);
		throw err;
	}
	const contract = await contracts.get(db, { ...member, contractId: found.contract.id, today });
	return json({ contract });
};
