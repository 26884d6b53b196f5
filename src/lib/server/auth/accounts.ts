import type { Locale } from '$lib/i18n';
import type { Tx } from '../db';
import * as mail from '../mail/mail';
import * as users from '../users/users.repo';
import * as emailTokens from './email-tokens';
import { hashPassword, verifyPassword } from './password';
import * as sessions from './session';
import * as throttle from './throttle';

// The account flows behind the (auth) pages and /account. Routes parse forms, set cookies and
// redirect; everything that touches accounts, tokens, sessions and throttles happens here.
// Flows that send mail return the queued email's id: the caller dispatches it after the
// transaction commits (mail.ts), so a rolled-back flow sends nothing.

// Verified against when the email has no account, so that an unknown email costs the same
// Argon2id work (same parameters as password.ts) as a wrong password: timing reveals nothing.
const DUMMY_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$zMJznlb56FDDsWVb/Tkmcg$3+fs9v+21okFiuHbBM8t+klmexJWIw4AISvswtXni1k';

type Throttled = { ok: false; reason: 'throttled'; retryAfterSeconds: number };
const refused = ({ retryAfterSeconds }: { retryAfterSeconds: number }): Throttled => ({
	ok: false,
	reason: 'throttled',
	retryAfterSeconds
});

export async function logIn(
	db: Tx,
	{
		email,
		password,
		ip,
		userAgent
	}: { email: string; password: string; ip: string; userAgent?: string }
): Promise<
	| { ok: true; userId: string; token: string; expires: Date }
	| Throttled
	| { ok: false; reason: 'invalid' }
> {
	// Before any hash: the address first, so a spray from one host does not drain the accounts
	// it targets; then the account, which bounds guesses however many addresses an attacker has.
	const limited = await throttle.takeAll(db, [
		{ key: throttle.keys.loginIp(ip), bucket: throttle.buckets.loginIp },
		{ key: throttle.keys.loginAccount(email), bucket: throttle.buckets.loginAccount }
	]);
	if (!limited.ok) return refused(limited);

	const user = await users.findByEmail(db, { email });
	const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
	if (!user || !valid) return { ok: false, reason: 'invalid' };

	// The owner proved the password: their account's bucket starts full again.
	await throttle.reset(db, { key: throttle.keys.loginAccount(email) });
	const { token, expires } = await sessions.create(db, { userId: user.id, userAgent });
	return { ok: true, userId: user.id, token, expires };
}

export async function signUp(
	db: Tx,
	{
		email,
		name,
		password,
		locale,
		ip,
		origin,
		userAgent
	}: {
		email: string;
		name: string;
		password: string;
		locale: Locale;
		ip: string;
		origin: string;
		userAgent?: string;
	}
): Promise<
	| { ok: true; userId: string; token: string; expires: Date; emailId: string }
	| Throttled
	| { ok: false; reason: 'emailTaken' }
> {
	// Per address, before the lookup and the hash: bounds both account creation and how fast
	// sign-up can be used to learn which emails have accounts.
	const limited = await throttle.take(db, {
		key: throttle.keys.signupIp(ip),
		bucket: throttle.buckets.signupIp
	});
	if (!limited.ok) return refused(limited);
	if (await users.findByEmail(db, { email })) return { ok: false, reason: 'emailTaken' };

	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const user = await users.create(tx, { email, name, passwordHash, locale });
		if (!user) return { ok: false as const, reason: 'emailTaken' as const };
		const emailId = await queueVerification(tx, { user, origin });
		const session = await sessions.create(tx, { userId: user.id, userAgent });
		return { ok: true as const, userId: user.id, emailId, ...session };
	});
}

/** Issues a verification link and queues its email; returns the email's id to dispatch. */
export async function queueVerification(
	db: Tx,
	{
		user,
		origin
	}: { user: { id: string; email: string; name: string; locale: Locale }; origin: string }
) {
	const token = await emailTokens.issue(db, { userId: user.id, kind: 'verify_email' });
	return mail.queue(db, {
		to: user.email,
		template: 'verifyEmail',
		locale: user.locale,
		params: { name: user.name, url: `${origin}/verify-email?token=${encodeURIComponent(token)}` }
	});
}

export async function resendVerification(
	db: Tx,
	{ userId, origin }: { userId: string; origin: string }
): Promise<{ ok: true; emailId: string | null } | Throttled> {
	const user = await users.get(db, { id: userId });
	if (!user || user.emailVerifiedAt) return { ok: true, emailId: null };
	const limited = await throttle.take(db, {
		key: throttle.keys.verifyResend(userId),
		bucket: throttle.buckets.verifyResend
	});
	if (!limited.ok) return refused(limited);
	return db.transaction(async (tx) => ({
		ok: true as const,
		emailId: await queueVerification(tx, { user, origin })
	}));
}

export type VerifyOutcome = 'verified' | 'alreadyVerified' | 'expired' | 'invalid';

export async function verifyEmail(db: Tx, { token }: { token: string }): Promise<VerifyOutcome> {
	return db.transaction(async (tx) => {
		const userId = await emailTokens.consume(tx, { token, kind: 'verify_email' });
		if (userId) {
			await users.markVerified(tx, { userId });
			return 'verified';
		}
		// A mail scanner may have followed the link first: the address is verified all the same.
		const state = await emailTokens.inspect(tx, { token, kind: 'verify_email' });
		if (state.status === 'used') {
			const user = await users.get(tx, { id: state.userId });
			if (user?.emailVerifiedAt) return 'alreadyVerified';
		}
		return state.status === 'expired' ? 'expired' : 'invalid';
	});
}

/**
 * Sends a reset link if the email has an account, and answers the same either way. The buckets
 * are keyed by what was typed, so a refusal says nothing about whether an account exists.
 */
export async function requestReset(
	db: Tx,
	{ email, ip, origin }: { email: string; ip: string; origin: string }
): Promise<{ ok: true; emailId: string | null } | Throttled> {
	const limited = await throttle.takeAll(db, [
		{ key: throttle.keys.resetIp(ip), bucket: throttle.buckets.resetIp },
		{ key: throttle.keys.resetEmail(email), bucket: throttle.buckets.resetEmail }
	]);
	if (!limited.ok) return refused(limited);
	const user = await users.findByEmail(db, { email });
	if (!user) return { ok: true, emailId: null };
	return db.transaction(async (tx) => {
		const token = await emailTokens.issue(tx, { userId: user.id, kind: 'reset_password' });
		const emailId = await mail.queue(tx, {
			to: user.email,
			template: 'resetPassword',
			locale: user.locale,
			params: {
				name: user.name,
				url: `${origin}/reset-password?token=${encodeURIComponent(token)}`
			}
		});
		return { ok: true as const, emailId };
	});
}

/**
 * Sets a new password from a reset link, ends every session of the user (whoever had the old
 * password is out) and opens a fresh one. The link also proves the mailbox: the email counts as
 * verified.
 */
export async function resetPassword(
	db: Tx,
	{ token, password, userAgent }: { token: string; password: string; userAgent?: string }
): Promise<
	| { ok: true; userId: string; token: string; expires: Date }
	| { ok: false; reason: 'expired' | 'invalid' }
> {
	// Checked first so a bad link costs no hash.
	const state = await emailTokens.inspect(db, { token, kind: 'reset_password' });
	if (state.status !== 'valid') {
		return { ok: false, reason: state.status === 'expired' ? 'expired' : 'invalid' };
	}
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const userId = await emailTokens.consume(tx, { token, kind: 'reset_password' });
		if (!userId) return { ok: false as const, reason: 'invalid' as const };
		await users.setPasswordHash(tx, { userId, passwordHash });
		await users.markVerified(tx, { userId });
		await sessions.invalidateAll(tx, { userId });
		const session = await sessions.create(tx, { userId, userAgent });
		return { ok: true as const, userId, ...session };
	});
}

/** Changes the password of a signed-in user and ends their other sessions. */
export async function changePassword(
	db: Tx,
	{
		userId,
		email,
		sessionId,
		currentPassword,
		newPassword
	}: {
		userId: string;
		email: string;
		sessionId: string;
		currentPassword: string;
		newPassword: string;
	}
): Promise<{ ok: true } | Throttled | { ok: false; reason: 'wrongPassword' }> {
	// The same bucket as logging in: a stolen session must not become a password oracle.
	const limited = await throttle.take(db, {
		key: throttle.keys.loginAccount(email),
		bucket: throttle.buckets.loginAccount
	});
	if (!limited.ok) return refused(limited);
	const user = await users.get(db, { id: userId });
	if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
		return { ok: false, reason: 'wrongPassword' };
	}
	await throttle.reset(db, { key: throttle.keys.loginAccount(email) });
	const passwordHash = await hashPassword(newPassword);
	await db.transaction(async (tx) => {
		await users.setPasswordHash(tx, { userId, passwordHash });
		await sessions.invalidateAll(tx, { userId, exceptSessionId: sessionId });
	});
	return { ok: true };
}
