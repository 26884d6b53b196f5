import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { emails } from '../db/schema';

export type OutboxEmail = Awaited<ReturnType<typeof listOutbox>>['emails'][number];

/**
 * The outbox of an organisation, newest first: its own mail (invitations…) and the viewer's own
 * account mail (verification, password reset: mail with no organisation) when `viewerEmail` is
 * given. Keyset-paged on the UUIDv7 id (time-ordered): pass the last id seen as `before`.
 *
 * Never other members' account mail: an owner of one organisation must not read the reset link
 * of someone who also belongs to another. In outbox mode those messages are printed on the
 * server's console for the operator instead (deliver.ts).
 */
export async function listOutbox(
	db: Tx,
	{
		orgId,
		viewerEmail,
		before,
		limit = 50
	}: { orgId: string; viewerEmail?: string; before?: string; limit?: number }
) {
	const scope = viewerEmail
		? or(
				eq(emails.orgId, orgId),
				and(isNull(emails.orgId), eq(sql`lower(${emails.to})`, viewerEmail.toLowerCase()))
			)
		: eq(emails.orgId, orgId);

	const rows = await db
		.select({
			id: emails.id,
			orgId: emails.orgId,
			to: emails.to,
			subject: emails.subject,
			text: emails.text,
			template: emails.template,
			status: emails.status,
			error: emails.error,
			attempts: emails.attempts,
			createdAt: emails.createdAt,
			sentAt: emails.sentAt
		})
		.from(emails)
		.where(and(scope, before ? lt(emails.id, before) : undefined))
		.orderBy(desc(emails.id))
		.limit(limit + 1);

	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	return { emails: page, nextBefore: more ? page[page.length - 1]!.id : null };
}
