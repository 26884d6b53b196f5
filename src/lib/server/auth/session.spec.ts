import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../../../tests/support/factories';
import { testDb } from '../../../../tests/support/db';
import { sessions } from '../db/schema';
import * as session from './session';

const { db } = await testDb();
const user = await createUser(db);

describe('sessions', () => {
	it('stores only the SHA-256 of the secret, never the token', async () => {
		const { token } = await session.create(db, { userId: user.id });
		const [id, secret] = token.split('.');
		const [row] = await db.select().from(sessions).where(eq(sessions.id, id!));
		expect(row!.secretHash).toHaveLength(32);
		expect(Buffer.from(row!.secretHash).toString('hex')).not.toContain(secret);
		expect(secret!.length).toBeGreaterThanOrEqual(52); // 256 bits in base32
	});

	it('accepts its token and refuses a forged secret for the same id', async () => {
		const { token } = await session.create(db, { userId: user.id });
		expect((await session.validate(db, { token }))?.user.id).toBe(user.id);
		const [id] = token.split('.');
		expect(await session.validate(db, { token: `${id}.${'a'.repeat(52)}` })).toBeNull();
		expect(await session.validate(db, { token: 'garbage' })).toBeNull();
	});

	it('slides: refreshes at most hourly and expires after 30 idle days', async () => {
		const { token } = await session.create(db, { userId: user.id });
		const t0 = Date.now();
		const soon = await session.validate(db, { token, now: new Date(t0 + 30 * 60_000) });
		expect(soon?.refreshed).toBe(false);
		const later = await session.validate(db, { token, now: new Date(t0 + 2 * 3600_000) });
		expect(later?.refreshed).toBe(true);
		// 30 days after the refresh it is still alive only if used in between
		const expired = await session.validate(db, {
			token,
			now: new Date(t0 + 2 * 3600_000 + session.SESSION_TTL_MS + 1000)
		});
		expect(expired).toBeNull();
		expect(await session.validate(db, { token })).toBeNull(); // deleted, not just refused
	});

	it('logs out everywhere except the current session when asked', async () => {
		const a = await session.create(db, { userId: user.id });
		const b = await session.create(db, { userId: user.id });
		const keep = (await session.validate(db, { token: a.token }))!.session.id;
		await session.invalidateAll(db, { userId: user.id, exceptSessionId: keep });
		expect(await session.validate(db, { token: a.token })).not.toBeNull();
		expect(await session.validate(db, { token: b.token })).toBeNull();
	});
});
