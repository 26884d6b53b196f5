import type PgBoss from 'pg-boss';

// Queue names and payloads, shared by the code that sends jobs (SvelteKit actions) and the
// workers in server/workers/jobs. Fixed names on the wire.
export const queues = {
	sendMail: 'send-mail',
	compactDoc: 'compact-doc',
	makeThumbnail: 'make-thumbnail',
	refreshOverdue: 'refresh-overdue',
	computeCommissions: 'compute-commissions',
	scanDue: 'scan-due',
	taskReminder: 'task-reminder',
	standbyReopen: 'standby-reopen',
	contractNotice: 'contract-notice',
	fanOutChanges: 'fan-out-changes',
	digests: 'digests',
	customerCards: 'customer-cards'
} as const;

export type SendMailJobData = { emailId: string };
/** Compact one collab document's update log into its snapshot (server/workers/jobs). */
export type CompactDocJobData = { docName: string };
/** Make the thumbnail of an image attached to a deal (server/workers/jobs/make-thumbnail.job.ts). */
export type MakeThumbnailJobData = { fileId: string };

/**
 * Compute one month (`YYYY-MM-01`) of an organisation's commissions, or, scheduled nightly, every
 * organisation's open months (server/workers/jobs/compute-commissions.job.ts).
 */
export type ComputeCommissionsJobData = { orgId: string; month: string } | { nightly: true };

/**
 * Show a saved customer's name on their deal cards (SPEC B24), when the save could not
 * (server/workers/jobs/customer-cards.job.ts); `userId` made the change.
 */
export type CustomerCardsJobData = { orgId: string; customerId: string; userId: string };

export type Queue = (typeof queues)[keyof typeof queues];

export async function send<T extends object>(
	boss: PgBoss,
	{ queue, data, options }: { queue: Queue; data: T; options?: PgBoss.SendOptions }
) {
	return boss.send(queue, data, options ?? {});
}
