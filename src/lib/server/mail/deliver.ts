import { and, eq, ne, sql } from 'drizzle-orm';
import { Resend, type ErrorResponse } from 'resend';
import { emails } from '../db/schema';
import type { Runtime } from '../runtime';
import { loadAttachments, sendWithAttachments } from './attachments';

/** Thrown for failures worth retrying (network, timeout, 429, 5xx); pg-boss retries the job. */
export class TransientMailError extends Error {
	override name = 'TransientMailError';
}

// A hung connection must not hold a worker slot forever; the retry reuses the idempotency key,
// so giving up on a request that Resend did receive cannot send the message twice.
const SEND_TIMEOUT_MS = 20_000;
// Up to ~34 MB of base64 to upload; still inside the job's 120 s expiry (send-mail.job.ts).
const SEND_WITH_FILES_TIMEOUT_MS = 100_000;
const MAX_REASON = 500;

export type DeliverDeps = Pick<Runtime, 'db' | 'config' | 'log' | 'counters'>;

/**
 * Delivers one stored email (the body of the send-mail job). Every outcome is written on the
 * row: `sent` (with Resend's id), `failed` (with the reason), `outbox` (no API key), or still
 * `queued` with the last transient error, in which case it throws so pg-boss retries.
 * `lastAttempt`: pg-boss will not retry this job again, so a transient error is final too.
 */
export async function deliver({
	rt,
	emailId,
	lastAttempt = false
}: {
	rt: DeliverDeps;
	emailId: string;
	lastAttempt?: boolean;
}) {
	const { db, config, log } = rt;

	// Safe to run twice (pg-boss is at-least-once). The conditional update is the row check: only
	// a queued message is tried, so a job rerun after `sent`, `failed` or `outbox` does nothing.
	// Two runs of the same email at the very same moment can both pass it; we do not lock the row
	// across the HTTP call (that would pin a pooled connection per in-flight send and needs a lease
	// to recover from a crash). Instead both send the identical request (built only from the row
	// and the config) under the row's Idempotency-Key, which Resend keeps for 24 hours: one is
	// delivered, the other gets the same id back or 409 concurrent_idempotent_requests (retried
	// later, when the row is `sent`). Our retries span well under 24 hours (see send-mail.job.ts).
	const [email] = await db
		.update(emails)
		.set({ attempts: sql`${emails.attempts} + 1` })
		.where(and(eq(emails.id, emailId), eq(emails.status, 'queued')))
		.returning();
	if (!email) {
		log.debug({ emailId }, 'email already handled (or gone); nothing to deliver');
		return;
	}

	if (!config.resendApiKey) {
		await db
			.update(emails)
			.set({ status: 'outbox', error: null })
			.where(and(eq(emails.id, emailId), eq(emails.status, 'queued')));
		bump(rt, 'mail.outbox');
		log.info({ emailId, to: email.to, template: email.template }, 'email kept in the outbox');
		// Account mail (verification, reset) is not shown to organisation owners, so without a
		// mail provider the operator reads it here, on the console of the machine running Chốt.
		if (!email.orgId) {
			console.log(`\n✉  ${email.to} — ${email.subject}\n${email.text}\n`);
		}
		return;
	}

	const from = email.fromName ? fromWithName(email.fromName, config.mailFrom) : config.mailFrom;
	let sent: { data: { id: string } | null; error: ErrorResponse | null };
	if (email.attachments?.length) {
		// Files deleted since the email was written: it cannot go as written, and never will.
		const found = await loadAttachments(db, { list: email.attachments });
		if (!found.ok) {
			sent = {
				data: null,
				error: {
					name: 'attachment_missing',
					message: found.missing,
					statusCode: 410
				} as unknown as ErrorResponse
			};
		} else {
			sent = await sendWithAttachments(db, {
				apiKey: config.resendApiKey,
				baseUrl: config.resendBaseUrl,
				message: {
					from,
					to: [email.to],
					subject: email.subject,
					html: email.html,
					text: email.text,
					...(email.replyTo ? { reply_to: email.replyTo } : {})
				},
				attachments: found.attachments,
				idempotencyKey: email.idempotencyKey,
				signal: AbortSignal.timeout(SEND_WITH_FILES_TIMEOUT_MS)
			});
		}
	} else {
		const resend = new Resend(config.resendApiKey, { baseUrl: config.resendBaseUrl });
		sent = await resend.emails.send(
			{
				from,
				to: [email.to],
				subject: email.subject,
				html: email.html,
				text: email.text,
				...(email.replyTo ? { replyTo: email.replyTo } : {})
			},
			{ idempotencyKey: email.idempotencyKey, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) }
		);
	}
	const { data, error } = sent;

	if (!error) {
		// Delivered is the truth whatever a concurrent run wrote before us.
		await db
			.update(emails)
			.set({ status: 'sent', providerId: data?.id ?? null, sentAt: new Date(), error: null })
			.where(and(eq(emails.id, emailId), ne(emails.status, 'sent')));
		bump(rt, 'mail.sent');
		log.info({ emailId, providerId: data?.id, attempt: email.attempts }, 'email sent');
		return;
	}

	const reason = `${error.name}: ${error.message}`.slice(0, MAX_REASON);
	const retry = isTransient(error) && !lastAttempt;
	// `status = 'queued'`: never overwrite a `sent` written by a concurrent run.
	await db
		.update(emails)
		.set(retry ? { error: reason } : { status: 'failed', error: reason })
		.where(and(eq(emails.id, emailId), eq(emails.status, 'queued')));
	if (retry) {
		bump(rt, 'mail.retried');
		log.info({ emailId, error, attempt: email.attempts }, 'email not sent yet; will retry');
		throw new TransientMailError(reason);
	}
	bump(rt, 'mail.failed');
	log.error({ emailId, error, attempt: email.attempts }, 'email failed');
}

/**
 * Network errors and timeouts (the SDK reports them with no status), rate limits and quotas (429),
 * Resend's own failures (5xx), and a concurrent request with our key still in flight are worth
 * retrying. Everything else (validation, auth, a key reused with another body) will fail the
 * same way next time.
 */
export function isTransient(error: Pick<ErrorResponse, 'name' | 'statusCode'>) {
	const status = error.statusCode;
	if (status === null || status === undefined) return true;
	if (status === 429 || status >= 500) return true;
	return error.name === 'concurrent_idempotent_requests';
}

/**
 * The configured sender address under the member's name (`"Lê Văn Nam (Hoà Bình)" <no-reply@…>`):
 * the address stays ours (the domain Resend verified); the customer sees who wrote.
 */
export function fromWithName(name: string, mailFrom: string): string {
	const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
	const clean = name
		// eslint-disable-next-line no-control-regex -- a display name must not break the header
		.replace(/[\u0000-\u001f\u007f"\\<>]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return clean ? `"${clean}" <${address}>` : mailFrom;
}

function bump({ counters }: Pick<Runtime, 'counters'>, name: string) {
	counters.set(name, (counters.get(name) ?? 0) + 1);
}
