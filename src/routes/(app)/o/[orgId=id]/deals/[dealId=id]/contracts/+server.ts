import { error, json } from '@sveltejs/kit';
import type { DealContractsResponse } from '$lib/contracts/types';
import { requireMember } from '$lib/server/auth/guards';
import * as contracts from '$lib/server/contracts/contracts.repo';
import { contractSchema, parseBody } from '$lib/server/contracts/forms';
import { forbidden, invalid, readJson, refused } from '$lib/server/contracts/present';
import { localDay } from '$lib/server/deals/export';
import * as pipelines from '$lib/server/pipelines/pipelines.repo';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// A deal's contracts: GET lists them (with where a renewal deal may go), POST adds one. Deals the
// member may not see are 404, as if they did not exist.

export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const member = { orgId: org.id, userId: user.id, role };
	const access = await contracts.dealAccess(db, { ...member, dealId: event.params.dealId });
	if (!access) error(404, { message: 'Not found' });
	const today = localDay(org.timeZone);
	const [rows, targets] = await Promise.all([
		contracts.listForDeal(db, { orgId: org.id, dealId: access.deal.id, today }),
		access.canEdit ? pipelines.listWithStages(db, { orgId: org.id }) : Promise.resolve([])
	]);
	const body: DealContractsResponse = {
		contracts: rows,
		canEdit: access.canEdit,
		today,
		deal: { title: access.deal.title, pipelineId: access.deal.pipelineId },
		pipelines: targets.map((p) => ({
			id: p.id,
			name: p.name,
			stages: p.stages.map((s) => ({ id: s.id, name: s.name }))
		}))
	};
	return json(body, { headers: { 'cache-control': 'private, no-store' } });
};

export const POST: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const locale = event.locals.locale;
	const member = { orgId: org.id, userId: user.id, role };
	const access = await contracts.dealAccess(db, { ...member, dealId: event.params.dealId });
	if (!access) error(404, { message: 'Not found' });
	if (!access.canEdit) return forbidden(locale);
	const parsed = parseBody(contractSchema, await readJson(event.request));
	if (!parsed.ok) return invalid(locale, parsed.errors);
	try {
		const id = await contracts.create(db, {
			orgId: org.id,
			deal: access.deal,
			input: parsed.data,
			by: user.id
		});
		const contract = await contracts.get(db, {
			...member,
			contractId: id,
			today: localDay(org.timeZone)
		});
		return json({ contract }, { status: 201 });
	} catch (err) {
		if (err instanceof contracts.ContractRefused) return refused(locale, err);
		throw err;
	}
};
