import type PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';
import type { Locale } from '$lib/i18n';
import type { Tx } from '../db';
import { emails } from '../db/schema';
import { queues, type SendMailJobData } from '../jobs';
import { render, type TemplateName, type Templates } from './templates';

// The one way Chốt sends mail: store the rendered message, then a pg-boss job delivers it
// (Resend, or the outbox when no API key is set). Call `queue` inside the transaction that
// caused the message and `dispatch` after it commits, so a rolled-back action sends nothing.
export async function queue<T extends TemplateName>(
	db: Tx,
	{
		to,
		template,
		locale,
		params,
		orgId = null,
		idempotencyKey = uuidv7()
	}: {
		to: string;
		template: T;
		locale: Locale;
		params: Templates[T];
		orgId?: string | null;
		idempotencyKey?: string;
	}
): Promise<string> {
	const message = render(template, { locale, params });
	const [row] = await db
		.insert(emails)
		.values({ to, template, orgId, idempotencyKey, ...message })
		.onConflictDoNothing({ target: emails.idempotencyKey })
		.returning({ id: emails.id });
	if (row) return row.id;
	// Same idempotency key: the message already exists (a retried action); reuse it.
	const existing = await db.query.emails.findFirst({
		where: (e, { eq }) => eq(e.idempotencyKey, idempotencyKey),
		columns: { id: true }
	});
	return existing!.id;
}

export async function dispatch(boss: PgBoss, emailId: string) {
	const data: SendMailJobData = { emailId };
	// Retry policy (limit, delay, backoff) lives on the queue (server/workers/jobs/send-mail.job.ts)
	// so every sender gets the same. A second dispatch of the same email is harmless: delivery
	// checks the row and sends under the row's idempotency key.
	await boss.send(queues.sendMail, data);
}

/** queue + dispatch for callers outside a transaction. */
export async function send<T extends TemplateName>(
	{ db, boss }: { db: Tx; boss: PgBoss },
	input: Parameters<typeof queue<T>>[1]
) {
	const id = await queue(db, input);
	await dispatch(boss, id);
	return id;
}
