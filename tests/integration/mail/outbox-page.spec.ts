import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as session from '../../../src/lib/server/auth/session';
import * as mail from '../../../src/lib/server/mail/mail';
import { startApp, type AppServer } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';

// The outbox page in the production build, without RESEND_API_KEY (the only case it exists).
// Needs `npx vite build && node scripts/build-server.js` first.
let app: AppServer;
beforeAll(async () => {
	app = await startApp();
});
afterAll(() => app?.stop());

const COOKIE = '__Host-chot_session'; // production: secure cookies
async function cookieFor(a: AppServer, userId: string) {
	const { token } = await session.create(a.db, { userId });
	return { cookie: `${COOKIE}=${token}` };
}

describe('outbox page', () => {
	it('shows the owner the organisation’s mail and their own account mail, never members’, as escaped text with links', async () => {
		const owner = await createUser(app.db);
		const member = await createUser(app.db);
		const org = await createOrg(app.db, { ownerId: owner.id });
		await addMember(app.db, { orgId: org.id, userId: member.id, role: 'sales' });
		const url = `${app.origin}/reset?token=abc.def`;
		await mail.queue(app.db, {
			to: owner.email,
			template: 'resetPassword',
			locale: 'vi',
			params: { name: 'Chủ', url }
		});
		await mail.queue(app.db, {
			to: member.email,
			template: 'resetPassword',
			locale: 'vi',
			params: { name: 'Minh', url: `${app.origin}/reset?token=member.secret` }
		});
		await mail.queue(app.db, {
			to: 'khach@example.vn',
			orgId: org.id,
			template: 'invitation',
			locale: 'vi',
			params: {
				orgName: org.name,
				inviterName: '<img src=x onerror=alert(1)>',
				role: 'Kinh doanh',
				url: `${app.origin}/invite?token=t`
			}
		});
		await mail.queue(app.db, {
			to: 'nguoi-la@example.vn',
			template: 'resetPassword',
			locale: 'vi',
			params: { name: 'Người lạ', url }
		});

		const res = await app.fetch(`/o/${org.id}/outbox`, { headers: await cookieFor(app, owner.id) });
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('Hộp thư đi');
		expect(html).toContain(owner.email);
		expect(html).not.toContain(member.email);
		expect(html).not.toContain('member.secret');
		expect(html).toContain('khach@example.vn');
		expect(html).not.toContain('nguoi-la@example.vn');
		expect(html).toContain(`href="${url}"`);
		expect(html).not.toContain('<img src=x');
		expect(html).toContain('&lt;img src=x onerror=alert(1)>');
		// Newest first: the invitation was queued after the reset mail.
		// (The owner's address also stands in the sidebar, so compare the subjects.)
		expect(html.indexOf('mời bạn tham gia')).toBeLessThan(html.indexOf('Đặt lại mật khẩu Chốt'));
	});

	it('says what will appear there when there is no mail yet', async () => {
		const owner = await createUser(app.db);
		const org = await createOrg(app.db, { ownerId: owner.id });
		const res = await app.fetch(`/o/${org.id}/outbox`, { headers: await cookieFor(app, owner.id) });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Chưa có email nào');
	});

	it('refuses members who are not owners (403) and non-members (404)', async () => {
		const owner = await createUser(app.db);
		const sales = await createUser(app.db);
		const outsider = await createUser(app.db);
		const org = await createOrg(app.db, { ownerId: owner.id });
		await addMember(app.db, { orgId: org.id, userId: sales.id, role: 'sales' });
		const asSales = await app.fetch(`/o/${org.id}/outbox`, {
			headers: await cookieFor(app, sales.id)
		});
		expect(asSales.status).toBe(403);
		const asOutsider = await app.fetch(`/o/${org.id}/outbox`, {
			headers: await cookieFor(app, outsider.id)
		});
		expect(asOutsider.status).toBe(404);
		const anonymous = await app.fetch(`/o/${org.id}/outbox`);
		expect(anonymous.status).toBe(303);
	});
});

describe('outbox page with Resend configured', () => {
	it('does not exist (404), even for the owner', async () => {
		const withResend = await startApp({ env: { RESEND_API_KEY: 're_live_key' } });
		try {
			const owner = await createUser(withResend.db);
			const org = await createOrg(withResend.db, { ownerId: owner.id });
			const res = await withResend.fetch(`/o/${org.id}/outbox`, {
				headers: await cookieFor(withResend, owner.id)
			});
			expect(res.status).toBe(404);
		} finally {
			await withResend.stop();
		}
	});
});
