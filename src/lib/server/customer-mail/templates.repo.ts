import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Locale } from '$lib/i18n';
import type { Tx } from '../db';
import { emailTemplates } from '../db/schema';
import { defaultTemplates } from './defaults';

// An organisation's email templates (issue 6). Writes are for owners and managers; the routes
// check the role, these verbs check the organisation.

const shown = {
	id: emailTemplates.id,
	name: emailTemplates.name,
	subject: emailTemplates.subject,
	body: emailTemplates.body,
	updatedAt: emailTemplates.updatedAt,
	archivedAt: emailTemplates.archivedAt
};

export type TemplateRow = Awaited<ReturnType<typeof list>>[number];

/**
 * Gives an organisation that has never had a template the default ones, once: under a lock per
 * organisation, so two first readers at the same moment do not both add them. An organisation
 * that archived every template keeps none.
 */
export async function ensureDefaults(db: Tx, { orgId, locale }: { orgId: string; locale: Locale }) {
	const any = async (tx: Tx) =>
		(
			await tx
				.select({ id: emailTemplates.id })
				.from(emailTemplates)
				.where(eq(emailTemplates.orgId, orgId))
				.limit(1)
		).length > 0;
	if (await any(db)) return;
	await db.transaction(async (tx) => {
		await tx.execute(
			sql`select pg_advisory_xact_lock(hashtextextended(${`email-templates:${orgId}`}, 0))`
		);
		if (await any(tx)) return;
		await tx.insert(emailTemplates).values(defaultTemplates[locale].map((t) => ({ ...t, orgId })));
	});
}

/** Active templates by name; with `archived`, the archived ones too, after them. */
export async function list(
	db: Tx,
	{ orgId, archived = false }: { orgId: string; archived?: boolean }
) {
	const rows = await db
		.select(shown)
		.from(emailTemplates)
		.where(
			and(eq(emailTemplates.orgId, orgId), archived ? undefined : isNull(emailTemplates.archivedAt))
		)
		.orderBy(asc(emailTemplates.id));
	// Sorted the Vietnamese way here: the database may have no collation for it ("Đ" after "Z").
	return rows.sort(
		(a, b) =>
			Number(a.archivedAt !== null) - Number(b.archivedAt !== null) ||
			collator.compare(a.name, b.name)
	);
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export async function find(db: Tx, { orgId, id }: { orgId: string; id: string }) {
	const [row] = await db
		.select(shown)
		.from(emailTemplates)
		.where(and(eq(emailTemplates.orgId, orgId), eq(emailTemplates.id, id)));
	return row ?? null;
}

export type TemplateInput = { name: string; subject: string; body: string };

export async function create(
	db: Tx,
	{ orgId, by, input }: { orgId: string; by: string; input: TemplateInput }
) {
	const [row] = await db
		.insert(emailTemplates)
		.values({ ...input, orgId, createdBy: by, updatedBy: by })
		.returning({ id: emailTemplates.id });
	return row!.id;
}

/** False when the template is not the organisation's. */
export async function update(
	db: Tx,
	{ orgId, id, by, input }: { orgId: string; id: string; by: string; input: TemplateInput }
) {
	const rows = await db
		.update(emailTemplates)
		.set({ ...input, updatedBy: by, updatedAt: new Date() })
		.where(and(eq(emailTemplates.orgId, orgId), eq(emailTemplates.id, id)))
		.returning({ id: emailTemplates.id });
	return rows.length > 0;
}

export async function setArchived(
	db: Tx,
	{ orgId, id, by, archived }: { orgId: string; id: string; by: string; archived: boolean }
) {
	const rows = await db
		.update(emailTemplates)
		.set({ archivedAt: archived ? new Date() : null, updatedBy: by, updatedAt: new Date() })
		.where(
			and(
				eq(emailTemplates.orgId, orgId),
				eq(emailTemplates.id, id),
				archived ? isNull(emailTemplates.archivedAt) : isNotNull(emailTemplates.archivedAt)
			)
		)
		.returning({ id: emailTemplates.id });
	return rows.length > 0;
}
