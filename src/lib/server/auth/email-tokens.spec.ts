import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../../../tests/support/factories';
import { testDb } from '../../../../tests/support/db';
import { authTokens } from '../db/schema';
import * as emailTokens from './email-tokens';

const { db } = await testDb();
const user = await createUser(db);
const HOUR = 3600_000;

describe('email tokens', () => {
	it('stores only the hash of the secret', async () => {
		const token = await emailTokens.issue(db, { userId: user.id, kind: 'verify_email' });
		const [id, secret] = token.split('.');
		const [row] = await db.select().from(authTokens).where(eq(authTokens.id, id!));
		expect(row!.secretHash).toHaveLength(32);
		expect(Buffer.from(row!.secretHash).toString('hex')).not.toContain(secret);
	});

	it('works once: the second use of a link returns nothing', async () => {
		const token = await emailTokens.issue(db, { userId: user.id, kind: 'verify_email' });
		expect(await emailTokens.consume(db, { token, kind: 'verify_email' })).toBe(user.id);
		expect(await emailTokens.consume(db, { token, kind: 'verify_email' })).toBeNull();
		expect(await emailTokens.inspect(db, { token, kind: 'verify_email' })).toEqual({
			status: 'used',
			userId: user.id
		});
	});

	it('has exactly one winner when a link is used twice at once', async () => {
		const token = await emailTokens.issue(db, { userId: user.id, kind: 'verify_email' });
		const results = await Promise.all(
			Array.from({ length: 5 }, () => emailTokens.consume(db, { token, kind: 'verify_email' }))
		);
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('expires after 48 hours for verification and 1 hour for a reset', async () => {
		const now = new Date();
		const verify = await emailTokens.issue(db, { userId: user.id, kind: 'verify_email', now });
		const reset = await emailTokens.issue(db, { userId: user.id, kind: 'reset_password', now });
		const later = (ms: number) => new Date(now.getTime() + ms);

		expect(
			(
				await emailTokens.inspect(db, {
					token: reset,
					kind: 'reset_password',
					now: later(HOUR - 1000)
				})
			).status
		).toBe('valid');
		expect(
			await emailTokens.consume(db, { token: reset, kind: 'reset_password', now: later(HOUR) })
		).toBeNull();
		expect(
			(await emailTokens.inspect(db, { token: reset, kind: 'reset_password', now: later(HOUR) }))
				.status
		).toBe('expired');

		expect(
			await emailTokens.consume(db, { token: verify, kind: 'verify_email', now: later(48 * HOUR) })
		).toBeNull();
		expect(
			await emailTokens.consume(db, {
				token: verify,
				kind: 'verify_email',
				now: later(48 * HOUR - 1000)
			})
		).toBe(user.id);
	});

	it('refuses a forged secret, a token of another kind and garbage', async () => {
		const token = await emailTokens.issue(db, { userId: user.id, kind: 'reset_password' });
		const [id] = token.split('.');
		expect(
			await emailTokens.consume(db, { token: `${id}.${'a'.repeat(52)}`, kind: 'reset_password' })
		).toBeNull();
		expect(await emailTokens.consume(db, { token, kind: 'verify_email' })).toBeNull();
		expect(
			await emailTokens.consume(db, { token: 'not-a-token', kind: 'reset_password' })
		).toBeNull();
		// None of these used it up.
		expect(await emailTokens.consume(db, { token, kind: 'reset_password' })).toBe(user.id);
	});

	it('keeps only the newest reset link working', async () => {
		const first = await emailTokens.issue(db, { userId: user.id, kind: 'reset_password' });
		const second = await emailTokens.issue(db, { userId: user.id, kind: 'reset_password' });
		expect(await emailTokens.consume(db, { token: first, kind: 'reset_password' })).toBeNull();
		expect(await emailTokens.consume(db, { token: second, kind: 'reset_password' })).toBe(user.id);
	});
});
