import { eq } from 'drizzle-orm';
import type { Tx } from '../db';
import { users } from '../db/schema';
import type { Period } from './statements.repo';

/** `YYYY-MM` (as URLs carry it) or `YYYY-MM-01` → `YYYY-MM-01`; null when it is neither. */
export function monthParam(value: string | null | undefined): string | null {
	const m = /^(\d{4})-(0[1-9]|1[0-2])(-01)?$/u.exec(value ?? '');
	if (!m) return null;
	const year = Number(m[1]);
	if (year < 2000 || year > 2999) return null;
	return `${m[1]}-${m[2]}-01`;
}

export type PeriodView = {
	status: 'open' | 'locked' | 'none';
	computedAt: string | null;
	lockedAt: string | null;
	lockedByName: string | null;
};

export async function periodView(db: Tx, period: Period | null): Promise<PeriodView> {
	if (!period) return { status: 'none', computedAt: null, lockedAt: null, lockedByName: null };
	let lockedByName: string | null = null;
	if (period.lockedBy) {
		const [u] = await db
			.select({ name: users.name })
			.from(users)
			.where(eq(users.id, period.lockedBy));
		lockedByName = u?.name ?? null;
	}
	return {
		status: period.status,
		computedAt: period.computedAt?.toISOString() ?? null,
		lockedAt: period.lockedAt?.toISOString() ?? null,
		lockedByName
	};
}
