import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import * as session from '../../../src/lib/server/auth/session';
import { startApp } from '../../support/app-server';
import { connect, upgradeStatus } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
const otherOrg = await createOrg(app.db, { ownerId: outsider.id, name: 'Công ty khác' });
const accountant = await createUser(app.db, { name: 'Kế Toán' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });

async function cookieFor(userId: string) {
	const { token } = await session.create(app.db, { userId });
	return `__Host-chot_session=${token}`;
}
const wsUrl = app.origin.replace('http', 'ws') + '/collab';

describe('collab upgrade', () => {
	it('refuses a foreign Origin before Hocuspocus sees the socket', async () => {
		const cookie = await cookieFor(owner.id);
		expect(
			await upgradeStatus({ url: wsUrl, headers: { cookie, origin: 'https://evil.example' } })
		).toBe(403);
		expect(await upgradeStatus({ url: wsUrl, headers: { cookie } })).toBe(403);
	});

	it('refuses a missing or unknown session', async () => {
		expect(await upgradeStatus({ url: wsUrl, headers: { origin: app.origin } })).toBe(401);
		expect(
			await upgradeStatus({
				url: wsUrl,
				headers: { origin: app.origin, cookie: '__Host-chot_session=abc.def' }
			})
		).toBe(401);
	});

	it('accepts a member with a valid session', async () => {
		expect(
			await upgradeStatus({
				url: wsUrl,
				headers: { origin: app.origin, cookie: await cookieFor(owner.id) }
			})
		).toBe(101);
	});
});

describe('collab documents', () => {
	it("syncs a member's organisation document and keeps edits across clients", async () => {
		const cookie = await cookieFor(owner.id);
		const a = connect({ origin: app.origin, documentName: `org:${org.id}`, cookie });
		const b = connect({ origin: app.origin, documentName: `org:${org.id}`, cookie });
		await Promise.all([a.synced, b.synced]);
		const seen = new Promise<string>((resolve) =>
			b.doc
				.getMap('settings')
				.observe(() => resolve(String(b.doc.getMap('settings').get('greeting'))))
		);
		a.doc.getMap('settings').set('greeting', 'Xin chào 👋');
		expect(await seen).toBe('Xin chào 👋');
		a.destroy();
		b.destroy();
	});

	it("refuses another organisation's document and unknown document names alike", async () => {
		const cookie = await cookieFor(owner.id);
		for (const documentName of [`org:${otherOrg.id}`, 'org:not-a-uuid', `secret:${org.id}`]) {
			const c = connect({ origin: app.origin, documentName, cookie });
			await expect(c.synced).rejects.toThrow(/authentication failed/);
			c.destroy();
		}
	});

	it('ignores writes from a read-only (accountant) connection', async () => {
		const a = connect({
			origin: app.origin,
			documentName: `org:${org.id}`,
			cookie: await cookieFor(accountant.id)
		});
		await a.synced;
		a.doc.getMap('settings').set('hacked', true);
		await new Promise((r) => setTimeout(r, 500));
		const o = connect({
			origin: app.origin,
			documentName: `org:${org.id}`,
			cookie: await cookieFor(owner.id)
		});
		await o.synced;
		expect(o.doc.getMap('settings').get('hacked')).toBeUndefined();
		a.destroy();
		o.destroy();
	});

	it("closes a user's sockets within 5 s when their access changes", async () => {
		const member = await createUser(app.db, { name: 'Sắp Rời Đi' });
		await addMember(app.db, { orgId: org.id, userId: member.id, role: 'sales' });
		const c = connect({
			origin: app.origin,
			documentName: `org:${org.id}`,
			cookie: await cookieFor(member.id)
		});
		await c.synced;
		const started = Date.now();
		// What removing a member does after its transaction commits (runtime.disconnectUser).
		await app.db.execute(
			sql`select pg_notify('chot_disconnect_user', ${JSON.stringify({ userId: member.id, reason: 'removed' })})`
		);
		const { code } = await c.closed;
		expect(code).toBe(4401);
		expect(Date.now() - started).toBeLessThan(5000);
		c.destroy();
	});
});

describe('collab durability', () => {
	it('keeps every acknowledged edit across a SIGTERM restart', async () => {
		const cookie = await cookieFor(owner.id);
		const a = connect({ origin: app.origin, documentName: `org:${org.id}`, cookie });
		await a.synced;
		const notes = a.doc.getArray<string>('notes');
		for (let i = 0; i < 50; i++) notes.push([`ghi chú ${i}`]);
		// unsyncedChanges reaches 0 when the server has acknowledged every update.
		await expect.poll(() => a.provider.unsyncedChanges, { timeout: 5000 }).toBe(0);
		a.destroy();
		await app.restart();
		const b = connect({ origin: app.origin, documentName: `org:${org.id}`, cookie });
		await b.synced;
		expect(b.doc.getArray<string>('notes').toArray()).toEqual(
			Array.from({ length: 50 }, (_, i) => `ghi chú ${i}`)
		);
		b.destroy();
	});
});
