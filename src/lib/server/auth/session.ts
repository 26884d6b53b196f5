import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../db';
import { sessions, users } from '../db/schema';
import { newToken, secretMatches, splitToken } from './tokens';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
// Sliding expiry without a write on every request: refresh at most hourly.
export const SESSION_REFRESH_MS = 60 * 60 * 1000;

export type SessionUser = {
	id: string;
	email: string;
	name: string;
	locale: 'vi' | 'en';
	emailVerified: boolean;
	activeOrgId: string | null;
};
export type Session = { id: string; userId: string; lastVerifiedAt: Date };

export function cookieName({ secure }: { secure: boolean }) {
	return secure ? '__Host-chot_session' : 'chot_session';
}

export function cookieOptions({ secure, expires }: { secure: boolean; expires?: Date }) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure,
		expires: expires ?? new Date(Date.now() + SESSION_TTL_MS)
	};
}

export async function create(
	db: Tx,
	{ userId, userAgent }: { userId: string; userAgent?: string }
) {
	const { id, secretHash, token } = newToken();
	const now = new Date();
	await db.insert(sessions).values({
		id,
		userId,
		secretHash,
		createdAt: now,
		lastVerifiedAt: now,
		userAgent: userAgent?.slice(0, 300)
	});
	return { token, expires: new Date(now.getTime() + SESSION_TTL_MS) };
}

/** Returns the session and its user, or null for an unknown, forged or expired token. */
export async function validate(
	db: Tx,
	{ token, now = new Date() }: { token: string; now?: Date }
): Promise<{ session: Session; user: SessionUser; expires: Date; refreshed: boolean } | null> {
	const parts = splitToken(token);
	if (!parts) return null;
	const [row] = await db
		.select({
			id: sessions.id,
			userId: sessions.userId,
			secretHash: sessions.secretHash,
			lastVerifiedAt: sessions.lastVerifiedAt,
			email: users.email,
			name: users.name,
			locale: users.locale,
			emailVerifiedAt: users.emailVerifiedAt,
			activeOrgId: users.activeOrgId
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, parts.id));
	if (!row || !secretMatches(parts.secret, row.secretHash)) return null;

	if (now.getTime() - row.lastVerifiedAt.getTime() >= SESSION_TTL_MS) {
		await db.delete(sessions).where(eq(sessions.id, row.id));
		return null;
	}
	let lastVerifiedAt = row.lastVerifiedAt;
	const refreshed = now.getTime() - row.lastVerifiedAt.getTime() >= SESSION_REFRESH_MS;
	if (refreshed) {
		lastVerifiedAt = now;
		await db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, row.id));
	}
	return {
		session: { id: row.id, userId: row.userId, lastVerifiedAt },
		user: {
			id: row.userId,
			email: row.email,
			name: row.name,
			locale: row.locale,
			emailVerified: row.emailVerifiedAt !== null,
			activeOrgId: row.activeOrgId
		},
		expires: new Date(lastVerifiedAt.getTime() + SESSION_TTL_MS),
		refreshed
	};
}

export async function invalidate(db: Tx, { sessionId }: { sessionId: string }) {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateAll(
	db: Tx,
	{ userId, exceptSessionId }: { userId: string; exceptSessionId?: string }
) {
	const where = exceptSessionId
		? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
		: eq(sessions.userId, userId);
	const rows = await db.delete(sessions).where(where).returning({ id: sessions.id });
	return rows.length;
}
