import { error } from '@sveltejs/kit';
import { and, eq } from 'drizzle-orm';
import { requireMember } from '$lib/server/auth/guards';
import { monthParam, periodView } from '$lib/server/commissions/present';
import * as statements from '$lib/server/commissions/statements.repo';
import { memberships, users } from '$lib/server/db/schema';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

// One rep's statement for a month: every line and the total. A sales rep sees only their own;
// anyone else's is 404 like a page that does not exist (SPEC C13).
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const month = monthParam(event.params.month);
	const { userId } = event.params;
	if (!month) error(404, { message: 'Not found' });
	if (role === 'sales' && userId !== user.id) error(404, { message: 'Not found' });
	const { db } = runtime();
	const [lines, period, [person], [member]] = await Promise.all([
		statements.statement(db, { orgId: org.id, month, userId }),
		statements.period(db, { orgId: org.id, month }),
		db.select({ name: users.name }).from(users).where(eq(users.id, userId)),
		db
			.select({ role: memberships.role })
			.from(memberships)
			.where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)))
	]);
	// Someone who never belonged here and earned nothing here does not exist for this org.
	if (!member && lines.length === 0) error(404, { message: 'Not found' });
	return {
		month,
		userId,
		name: person?.name ?? null,
		lines,
		total: lines.reduce((s, l) => s + l.amount, 0),
		period: await periodView(db, period),
		canSeeAll: role !== 'sales'
	};
};
