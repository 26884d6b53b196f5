import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { users, type Locale } from '../db/schema';

// Emails are stored as typed (trimmed) and matched case-insensitively, like the unique index on
// lower(email).

export async function findByEmail(db: Tx, { email }: { email: string }) {
	const [row] = await db
		.select()
		.from(users)
		.where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
	return row ?? null;
}

export async function get(db: Tx, { id }: { id: string }) {
	const [row] = await db.select().from(users).where(eq(users.id, id));
	return row ?? null;
}

/** Creates a user, or returns null when the email already has an account (race-safe). */
export async function create(
	db: Tx,
	{
		email,
		name,
		passwordHash,
		locale
	}: { email: string; name: string; passwordHash: string; locale: Locale }
) {
	const [row] = await db
		.insert(users)
		.values({ email: email.trim(), name, passwordHash, locale })
		.onConflictDoNothing()
		.returning();
	return row ?? null;
}

export async function rename(db: Tx, { userId, name }: { userId: string; name: string }) {
	await db.update(users).set({ name }).where(eq(users.id, userId));
}

/** The signature put into email to customers (`{{chu_ky}}`); empty clears it. */
export async function setSignature(
	db: Tx,
	{ userId, signature }: { userId: string; signature: string }
) {
	await db
		.update(users)
		.set({ signature: signature === '' ? null : signature })
		.where(eq(users.id, userId));
}

export async function setLocale(db: Tx, { userId, locale }: { userId: string; locale: Locale }) {
	await db.update(users).set({ locale }).where(eq(users.id, userId));
}

export async function setPasswordHash(
	db: Tx,
	{ userId, passwordHash }: { userId: string; passwordHash: string }
) {
	await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

/** Marks the email verified once; a later verification keeps the first date. */
export async function markVerified(
	db: Tx,
	{ userId, now = new Date() }: { userId: string; now?: Date }
) {
	await db
		.update(users)
		.set({
			emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`
		})
		.where(eq(users.id, userId));
}
