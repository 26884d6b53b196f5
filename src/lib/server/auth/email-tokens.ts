import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db';
import { authTokens, type AuthTokenKind } from '../db/schema';
import { newToken, secretMatches, splitToken } from './tokens';

// Single-use links sent by email (verify an address, reset a password). Only the SHA-256 of the
// secret is stored; a link works once and until it expires.
export const TOKEN_TTL_MS: Record<AuthTokenKind, number> = {
	verify_email: 48 * 60 * 60 * 1000,
	reset_password: 60 * 60 * 1000
};

export async function issue(
	db: Tx,
	{ userId, kind, now = new Date() }: { userId: string; kind: AuthTokenKind; now?: Date }
): Promise<string> {
	// Only the newest reset link works: an older one lying in a mailbox is one more way in.
	if (kind === 'reset_password') {
		await db
			.delete(authTokens)
			.where(
				and(eq(authTokens.userId, userId), eq(authTokens.kind, kind), isNull(authTokens.usedAt))
			);
	}
	const { id, secretHash, token } = newToken();
	await db.insert(authTokens).values({
		id,
		userId,
		kind,
		secretHash,
		createdAt: now,
		expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[kind])
	});
	return token;
}

export type TokenState =
	| { status: 'valid'; userId: string }
	| { status: 'used'; userId: string }
	| { status: 'expired' | 'invalid' };

/** Reads a token without using it (a page shows "link expired" before the user types). */
export async function inspect(
	db: Tx,
	{ token, kind, now = new Date() }: { token: string; kind: AuthTokenKind; now?: Date }
): Promise<TokenState> {
	const parts = splitToken(token);
	if (!parts) return { status: 'invalid' };
	const [row] = await db.select().from(authTokens).where(eq(authTokens.id, parts.id));
	if (!row || row.kind !== kind || !secretMatches(parts.secret, row.secretHash)) {
		return { status: 'invalid' };
	}
	if (row.usedAt) return { status: 'used', userId: row.userId };
	if (row.expiresAt.getTime() <= now.getTime()) return { status: 'expired' };
	return { status: 'valid', userId: row.userId };
}

/** Uses a token: returns its user once, then null (also for expired, forged or unknown tokens). */
export async function consume(
	db: Tx,
	{ token, kind, now = new Date() }: { token: string; kind: AuthTokenKind; now?: Date }
): Promise<string | null> {
	const state = await inspect(db, { token, kind, now });
	if (state.status !== 'valid') return null;
	// The conditional update makes two concurrent uses of one link end with exactly one winner.
	const [used] = await db
		.update(authTokens)
		.set({ usedAt: now })
		.where(and(eq(authTokens.id, splitToken(token)!.id), isNull(authTokens.usedAt)))
		.returning({ userId: authTokens.userId });
	return used?.userId ?? null;
}
