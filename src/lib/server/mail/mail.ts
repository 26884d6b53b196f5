import type PgBoss from 'pg-boss';
import type { Sql } from 'postgres';
import { v7 as uuidv7 } from 'uuid';
import type { Locale } from '$lib/i18n';
import type { Tx } from '../db';
import { emails } from '../db/schema';
import { queues, type SendMailJobData } from '../jobs';
import { render, type TemplateName, type Templates } from './templates';

export type EmailExtra = Partial<
	Pick<
		typeof emails.$inferInsert,
		'dealId' | 'sentBy' | 'replyTo' | 'fromName' | 'attachments' | 'requestHash'
	>
>;

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
		idempotencyKey = uuidv7(),
		extra = {}
	}: {
		to: string;
		template: T;
		locale: Locale;
		params: Templates[T];
		orgId?: string | null;
		idempotencyKey?: string;
		/** Email to a customer: its deal, sender, Reply-To, sender name, attachments, request hash. */
		extra?: EmailExtra;
	}
): Promise<string> {
	const message = render(template, { locale, params });
	const [row] = await db
		.insert(emails)
		.values({ to, template, orgId, idempotencyKey, ...extra, ...message })
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

/**
 * `dispatch` inside the transaction that stored the message: the job row commits with it, so a
 * process killed just after the commit cannot leave a message that nothing will send (found by
 * the worker crash spec). pg-boss runs its insert on the transaction's connection (its `db`
 * option); drizzle keeps that connection as the transaction's session client.
 */
export async function dispatchInTx(boss: PgBoss, tx: Tx, emailId: string) {
	const client = (tx as unknown as { session: { client: Sql } }).session.client;
	const data: SendMailJobData = { emailId };
	await boss.send(queues.sendMail, data, {
		db: {
			// pg-boss writes its parameters for node-postgres, which sends undefined as null and
			// an object (the job's data) as JSON; postgres.js does neither by itself.
			executeSql: async (text: string, values: unknown[]) => ({
				rows: await client.unsafe(text, values.map(asNodePostgresWould) as never[])
			})
		}
	});
}

function asNodePostgresWould(value: unknown) {
	if (value === undefined) return null;
	if (
		value !== null &&
		typeof value === 'object' &&
		!(value instanceof Date) &&
		!Array.isArray(value)
	)
		return JSON.stringify(value);
	return value;
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
