import { fail } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import { monthOf } from '$lib/server/commissions/calc';
import { computeMonth } from '$lib/server/commissions/compute';
import { CommissionError } from '$lib/server/commissions/errors';
import { monthParam, periodView } from '$lib/server/commissions/present';
import * as statements from '$lib/server/commissions/statements.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// A month of commissions: every rep's totals (a rep sees only their own row, SPEC C13), the
// period's state, and for owners and managers "Tính lại" and "Duyệt & khoá tháng".
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const current = monthOf(new Date(), org.timeZone);
	const month = monthParam(event.url.searchParams.get('m')) ?? current;
	const [rows, period] = await Promise.all([
		statements.totals(db, {
			orgId: org.id,
			month,
			onlyUserId: role === 'sales' ? user.id : undefined
		}),
		statements.period(db, { orgId: org.id, month })
	]);
	return {
		month,
		current,
		rows,
		period: await periodView(db, period),
		canManage: role === 'owner' || role === 'manager',
		canSeeRules: role !== 'sales'
	};
};

async function monthFrom(event: Parameters<Actions[string]>[0]) {
	const raw = (await event.request.formData()).get('month');
	return monthParam(typeof raw === 'string' ? raw : null);
}

export const actions: Actions = {
	compute: async (event) => {
		const { org } = await requireMember(event, { roles: ['owner', 'manager'] });
		const month = await monthFrom(event);
		if (!month) return fail(400, { error: 'commissions.error.not_found' as const });
		try {
			const result = await computeMonth(runtime().db, { orgId: org.id, month });
			if (result.status === 'locked')
				return fail(409, { error: 'commissions.error.locked' as const });
			return { computed: month };
		} catch (err) {
			if (err instanceof CommissionError)
				return fail(409, { error: `commissions.error.${err.code}` as const });
			throw err;
		}
	},
	lock: async (event) => {
		const { org, user } = await requireMember(event, { roles: ['owner', 'manager'] });
		const month = await monthFrom(event);
		if (!month) return fail(400, { error: 'commissions.error.not_found' as const });
		try {
			await statements.lock(runtime().db, { orgId: org.id, month, userId: user.id });
			return { lockedMonth: month };
		} catch (err) {
			if (err instanceof CommissionError)
				return fail(409, { error: `commissions.error.${err.code}` as const });
			throw err;
		}
	}
};
