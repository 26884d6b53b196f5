import { fail } from '@sveltejs/kit';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { requireMember } from '$lib/server/auth/guards';
import { monthOf } from '$lib/server/commissions/calc';
import { parseRuleForm, ruleFormValues } from '$lib/server/commissions/forms';
import { monthParam } from '$lib/server/commissions/present';
import * as rules from '$lib/server/commissions/rules.repo';
import { memberships, pipelines } from '$lib/server/db/schema';
import * as members from '$lib/server/orgs/members.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Settings › Commissions: the rules (SPEC C4). Owners and managers edit; accountants read;
// sales reps do not see other reps' overrides.
export const load: PageServerLoad = async (event) => {
	const { org, role } = await requireMember(event, { roles: ['owner', 'manager', 'accountant'] });
	const { db } = runtime();
	const [list, boards, people] = await Promise.all([
		rules.list(db, { orgId: org.id }),
		db
			.select({ id: pipelines.id, name: pipelines.name })
			.from(pipelines)
			.where(and(eq(pipelines.orgId, org.id), isNull(pipelines.archivedAt)))
			.orderBy(asc(pipelines.position)),
		members.list(db, { orgId: org.id })
	]);
	return {
		rules: list.map((r) => ({
			id: r.id,
			method: r.method,
			pipelineId: r.pipelineId,
			userId: r.userId,
			tiering: r.tiering,
			tiers: r.tiers,
			validFrom: r.validFrom,
			validTo: r.validTo
		})),
		pipelines: boards,
		people: people.map((p) => ({ id: p.userId, name: p.name })),
		currentMonth: monthOf(new Date(), org.timeZone),
		canEdit: role === 'owner' || role === 'manager'
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { org, user } = await requireMember(event, { roles: ['owner', 'manager'] });
		const values = ruleFormValues(await event.request.formData());
		const parsed = parseRuleForm(values);
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });
		const { db } = runtime();
		const { input } = parsed;
		// Both must belong to this organisation: ids from another are refused like unknown ones.
		if (input.pipelineId) {
			const [p] = await db
				.select({ id: pipelines.id })
				.from(pipelines)
				.where(and(eq(pipelines.id, input.pipelineId), eq(pipelines.orgId, org.id)));
			if (!p)
				return fail(400, { values, errors: { pipelineId: 'commissions.error.pipeline' as const } });
		}
		if (input.userId) {
			const [m] = await db
				.select({ id: memberships.userId })
				.from(memberships)
				.where(and(eq(memberships.userId, input.userId), eq(memberships.orgId, org.id)));
			if (!m) return fail(400, { values, errors: { userId: 'commissions.error.user' as const } });
		}
		await rules.create(db, { orgId: org.id, createdBy: user.id, input });
		return { saved: true };
	},
	end: async (event) => {
		const { org } = await requireMember(event, { roles: ['owner', 'manager'] });
		const form = await event.request.formData();
		const ruleId = String(form.get('ruleId') ?? '');
		const month = monthParam(String(form.get('month') ?? ''));
		if (!/^[0-9a-f-]{36}$/iu.test(ruleId) || !month)
			return fail(400, { endError: 'commissions.error.month' as const });
		const ok = await rules.end(runtime().db, { orgId: org.id, ruleId, month });
		if (!ok) return fail(404, { endError: 'commissions.error.not_found' as const });
		return { ended: true };
	}
};
