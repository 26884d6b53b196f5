import { requireMember } from '$lib/server/auth/guards';
import * as records from '$lib/server/orgs/records';
import * as seats from '$lib/server/orgs/seats';
import { runtime } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

const DAY_MS = 24 * 60 * 60 * 1000;

// Settings › Plan: read-only for everyone; plans are changed by an operator (`npm run admin`).
export const load: PageServerLoad = async (event) => {
	const { org } = await requireMember(event);
	const { db } = runtime();
	const now = new Date();
	const [seatUsage, recordUsage] = [
		await seats.usage(db, { orgId: org.id, now }),
		await records.usage(db, { orgId: org.id, at: now })
	];
	const trialEndsAt = org.trialEndsAt;
	return {
		plan: org.plan,
		trial: trialEndsAt
			? {
					endsAt: trialEndsAt.toISOString(),
					daysLeft: Math.max(0, Math.ceil((trialEndsAt.getTime() - now.getTime()) / DAY_MS))
				}
			: null,
		seats: { ...seatUsage, max: org.maxSeats },
		records: { count: recordUsage.count, max: recordUsage.limit, month: recordUsage.month },
		maxUnits: org.maxUnits
	};
};
