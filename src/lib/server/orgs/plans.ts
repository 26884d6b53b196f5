import type { PlanCode } from '../db/schema';

// The plans of the product Chốt replaces. null = unlimited. Gói 4's limits are set per
// organisation by an operator (`npm run admin -- plan …`).
export const plans: Record<
	PlanCode,
	{ maxSeats: number | null; maxRecordsPerMonth: number | null; maxUnits: number | null }
> = {
	goi1: { maxSeats: 10, maxRecordsPerMonth: 999, maxUnits: 1 },
	goi3: { maxSeats: 100, maxRecordsPerMonth: null, maxUnits: 1 },
	goi4: { maxSeats: null, maxRecordsPerMonth: null, maxUnits: null }
};

const GiB = 1024 ** 3;
// Storage for files attached to deals (issue 4), in bytes per organisation; null = unlimited.
export const storageQuotaBytes: Record<PlanCode, number | null> = {
	goi1: 1 * GiB,
	goi3: 20 * GiB,
	goi4: null
};

export const TRIAL_DAYS = 10;
// A new organisation tries Gói 3's limits for 10 days.
export const TRIAL_PLAN: PlanCode = 'goi3';
