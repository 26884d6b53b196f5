import { eq, sql } from 'drizzle-orm';
import { Resend } from 'resend';
import { emails } from '../db/schema';
import type { Runtime } from '../runtime';

/** Thrown for failures worth retrying (network, 429, 5xx); pg-boss retries the job. */
export class TransientMailError extends Error {}

// Sends one stored email. Safe to run twice: a message already sent or in the outbox is left
// alone, and Resend de-duplicates on the Idempotency-Key should two runs race past that check.
export async function deliver({ rt, emailId }: { rt: Runtime; emailId: string }) {
	const { db, config, log } = rt;
	const [email] = await db
		.update(emails)
		.set({ attempts: sql`${emails.attempts} + 1` })
		.where(eq(emails.id, emailId))
		.returning();
	if (!email) return log.warn({ emailId }, 'email to deliver not found');
	if (email.status === 'sent' || email.status === 'outbox') return;

	if (!config.resendApiKey) {
		await db.update(emails).set({ status: 'outbox' }).where(eq(emails.id, emailId));
		log.info({ emailId, to: email.to, template: email.template }, 'email kept in the outbox');
		return;
	}

	const resend = new Resend(config.resendApiKey, { baseUrl: config.resendBaseUrl });
	const { data, error } = await resend.emails.send(
		{
			from: config.mailFrom,
			to: [email.to],
			subject: email.subject,
			html: email.html,
			text: email.text
		},
		{ idempotencyKey: email.idempotencyKey }
	);
	if (error) {
		const permanent = ['validation_error', 'invalid_idempotent_request', 'invalid_from_address'];
		const failed = permanent.includes(error.name);
		await db
			.update(emails)
			.set({ status: failed ? 'failed' : 'queued', error: `${error.name}: ${error.message}` })
			.where(eq(emails.id, emailId));
		if (!failed) throw new TransientMailError(`${error.name}: ${error.message}`);
		log.warn({ emailId, error }, 'email refused by Resend');
		return;
	}
	await db
		.update(emails)
		.set({ status: 'sent', providerId: data?.id ?? null, sentAt: new Date(), error: null })
		.where(eq(emails.id, emailId));
}
