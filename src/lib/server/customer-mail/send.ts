import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { contactsMap, dealDocName } from '$lib/deal/doc';
import { addContact, dealLimits } from '$lib/deal/ops';
import { customerMailLimits } from '$lib/customer-mail/limits';
import type { DealEmail } from '$lib/customer-mail/types';
import { fillVariables, type VariableValues } from '$lib/customer-mail/variables';
import { formatVnd } from '$lib/format/money';
import type { Locale } from '$lib/i18n';
import type { Tx } from '../db';
import { customers, deals, emails, files, users } from '../db/schema';
import * as mail from '../mail/mail';
import type { Runtime } from '../runtime';
import type { SendInput } from './forms';

// Email to a customer from a deal (issue 6): the variables filled from the deal, the message
// stored and delivered through the mail module, and an entry in the deal's contact log whose id
// is the email's, so the deal page shows the email's state beside it.

export type RefusalCode = 'keyReused' | 'fileGone' | 'tooLarge' | 'tooMany';

export class MailRefused extends Error {
	constructor(
		readonly code: RefusalCode,
		readonly params: Record<string, string | number> = {},
		readonly field?: string
	) {
		super(code);
	}
}

export type Sender = { id: string; name: string; email: string; signature: string | null };

export async function senderOf(db: Tx, { userId }: { userId: string }): Promise<Sender> {
	const [row] = await db
		.select({ id: users.id, name: users.name, email: users.email, signature: users.signature })
		.from(users)
		.where(eq(users.id, userId));
	if (!row) throw new Error(`user ${userId} is gone`);
	return row;
}

/** The deal's figures for the template variables, and its customer's address. */
export async function variablesFor(
	db: Tx,
	{ orgId, dealId, sender }: { orgId: string; dealId: string; sender: Sender }
): Promise<{ values: VariableValues; customerEmail: string }> {
	const [row] = await db
		.select({
			title: deals.title,
			amount: deals.amount,
			customerName: deals.customerName,
			recordName: customers.name,
			email: customers.email
		})
		.from(deals)
		.leftJoin(
			customers,
			and(
				eq(customers.id, deals.customerId),
				eq(customers.orgId, orgId),
				isNull(customers.deletedAt)
			)
		)
		.where(and(eq(deals.id, dealId), eq(deals.orgId, orgId)));
	return {
		values: {
			// The name the card shows, as the rep knows the customer.
			ten_khach_hang: row?.customerName ?? row?.recordName ?? '',
			ten_co_hoi: row?.title ?? '',
			gia_tri: row ? formatVnd(row.amount) : '',
			// Without a signature the sender's name closes the letter rather than nothing.
			chu_ky: sender.signature?.trim() ? sender.signature : sender.name
		},
		customerEmail: row?.email?.trim() ?? ''
	};
}

const listed = {
	id: emails.id,
	to: emails.to,
	subject: emails.subject,
	status: emails.status,
	error: emails.error,
	attempts: emails.attempts,
	createdAt: emails.createdAt,
	sentAt: emails.sentAt,
	attachments: emails.attachments,
	senderId: emails.sentBy,
	senderName: users.name
};
type ListedRow = Awaited<ReturnType<typeof listForDeal>>[number];

/** A deal's emails, newest first (call only after checking the member sees the deal). */
export async function listForDeal(db: Tx, { orgId, dealId }: { orgId: string; dealId: string }) {
	return db
		.select(listed)
		.from(emails)
		.leftJoin(users, eq(users.id, emails.sentBy))
		.where(and(eq(emails.orgId, orgId), eq(emails.dealId, dealId)))
		.orderBy(desc(emails.id))
		.limit(200);
}

export function toClient(row: ListedRow): DealEmail {
	return {
		id: row.id,
		to: row.to,
		subject: row.subject,
		status: row.status,
		error: row.error,
		attempts: row.attempts,
		createdAt: row.createdAt.toISOString(),
		sentAt: row.sentAt?.toISOString() ?? null,
		sender: row.senderId ? { id: row.senderId, name: row.senderName ?? '' } : null,
		attachments: row.attachments ?? []
	};
}

async function listedById(db: Tx, { id }: { id: string }) {
	const [row] = await db
		.select({
			...listed,
			orgId: emails.orgId,
			dealId: emails.dealId,
			requestHash: emails.requestHash
		})
		.from(emails)
		.leftJoin(users, eq(users.id, emails.sentBy))
		.where(eq(emails.id, id));
	return row ?? null;
}

function requestHash(input: SendInput & { dealId: string }) {
	const canonical = JSON.stringify([
		input.dealId,
		input.to,
		input.subject,
		input.body,
		[...new Set(input.fileIds)].sort()
	]);
	return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Sends `input` from the deal as `sender`: checks the attachments, fills the variables, stores
 * the message with the browser's idempotency key and delivers it after commit, then writes the
 * contact-log entry. The same key with the same request returns the first email (and mends
 * whatever the first request did not get to: delivery, the log entry); with another request it
 * is refused. The caller has checked that the sender may edit the deal.
 */
export async function sendDealEmail(
	rt: Pick<Runtime, 'db' | 'boss' | 'changeDoc' | 'log'>,
	{
		orgId,
		orgName,
		locale,
		dealId,
		sender,
		input
	}: {
		orgId: string;
		orgName: string;
		locale: Locale;
		dealId: string;
		sender: Sender;
		input: SendInput;
	}
): Promise<{ email: DealEmail; replayed: boolean }> {
	const { db } = rt;
	const hash = requestHash({ ...input, dealId });
	const sameRequest = (row: NonNullable<Awaited<ReturnType<typeof listedById>>>) =>
		row.orgId === orgId &&
		row.dealId === dealId &&
		row.senderId === sender.id &&
		row.requestHash === hash;

	const earlier = await db.query.emails.findFirst({
		where: (e, { eq: is }) => is(e.idempotencyKey, input.idempotencyKey),
		columns: { id: true }
	});
	if (earlier) {
		const row = await listedById(db, { id: earlier.id });
		if (!row || !sameRequest(row)) throw new MailRefused('keyReused');
		await afterCommit(rt, { row, dealId, sender });
		return { email: toClient(row), replayed: true };
	}

	const fileIds = [...new Set(input.fileIds)];
	if (fileIds.length > customerMailLimits.attachments) {
		throw new MailRefused('tooMany', { max: customerMailLimits.attachments }, 'fileIds');
	}
	const found = fileIds.length
		? await db
				.select({ id: files.id, name: files.name, size: files.size })
				.from(files)
				.where(
					and(
						eq(files.orgId, orgId),
						eq(files.dealId, dealId),
						inArray(files.id, fileIds),
						eq(files.status, 'ready'),
						isNull(files.deletedAt)
					)
				)
		: [];
	if (found.length !== fileIds.length) throw new MailRefused('fileGone', {}, 'fileIds');
	const total = found.reduce((n, f) => n + f.size, 0);
	if (total > customerMailLimits.attachmentBytes) {
		throw new MailRefused(
			'tooLarge',
			{ size: total, max: customerMailLimits.attachmentBytes },
			'fileIds'
		);
	}
	const byId = new Map(found.map((f) => [f.id, f]));
	const attachments = fileIds.map((id) => ({ fileId: id, filename: byId.get(id)!.name }));

	const { values } = await variablesFor(db, { orgId, dealId, sender });
	const subject = fillVariables(input.subject, values).text;
	const body = fillVariables(input.body, values).text;

	const id = await db.transaction((tx) =>
		mail.queue(tx, {
			to: input.to,
			template: 'customerEmail',
			locale,
			params: { subject, body },
			orgId,
			idempotencyKey: input.idempotencyKey,
			extra: {
				dealId,
				sentBy: sender.id,
				replyTo: sender.email,
				fromName: `${sender.name} (${orgName})`,
				attachments,
				requestHash: hash
			}
		})
	);
	// Two requests with one key at the same moment: the second found the first's row.
	const row = await listedById(db, { id });
	if (!row || !sameRequest(row)) throw new MailRefused('keyReused');
	await afterCommit(rt, { row, dealId, sender });
	return { email: toClient(row), replayed: false };
}

async function afterCommit(
	rt: Pick<Runtime, 'boss' | 'changeDoc' | 'log'>,
	{ row, dealId, sender }: { row: ListedRow; dealId: string; sender: Pick<Sender, 'id'> }
) {
	// Again on a replay while still queued: the first request may have died between its commit
	// and this line. A second job for one email is harmless (deliver.ts checks the row).
	if (row.status === 'queued') await mail.dispatch(rt.boss, row.id);
	try {
		await logContact(rt, {
			dealId,
			emailId: row.id,
			subject: row.subject,
			sentBy: sender.id,
			at: row.createdAt.getTime()
		});
	} catch (err) {
		// The email goes anyway; the entry is written again when the browser repeats the request.
		rt.log.warn({ err, emailId: row.id, dealId }, 'could not log an email in the contact log');
	}
}

/**
 * The email as an entry of the deal's contact log (kind `email`, its subject as the summary),
 * keyed by the email's id: written once, however often this runs.
 */
export async function logContact(
	rt: Pick<Runtime, 'changeDoc'>,
	{
		dealId,
		emailId,
		subject,
		sentBy,
		at
	}: { dealId: string; emailId: string; subject: string; sentBy: string; at: number }
) {
	return rt.changeDoc(dealDocName(dealId), (doc) => {
		if (contactsMap(doc).has(emailId)) return false;
		addContact(
			doc,
			{
				id: emailId,
				kind: 'email',
				at,
				summary: [...subject].slice(0, dealLimits.summary).join('') || '—',
				createdBy: sentBy,
				createdAt: at
			},
			{ kind: 'user', userId: sentBy }
		);
		return true;
	});
}
