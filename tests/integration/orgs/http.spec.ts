import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { emails, memberships, organisations, users } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { addMember, createUser } from '../../support/factories';
import { cookieFor, get, location, postForm } from '../security/http';

// Organisations, invitations and members through the production build: pages, form actions,
// guards, the mail row, the socket-closing notification and the operator command.
// Needs `npx vite build && node scripts/build-server.js` first.
const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Lê Hoàng Nam', email: 'nam@anhduong.vn' });
const ownerCookie = await cookieFor(app, owner.id);
let orgId = '';

function admin(args: string[]) {
	return spawnSync(process.execPath, [path.resolve('build/server/admin.js'), ...args], {
		env: { ...process.env, DATABASE_URL: app.databaseUrl },
		encoding: 'utf8'
	});
}

async function lastEmailTo(to: string) {
	const [row] = await app.db
		.select()
		.from(emails)
		.where(eq(emails.to, to))
		.orderBy(desc(emails.createdAt))
		.limit(1);
	return row!;
}

function inviteLink(text: string) {
	const m = /https?:\/\/[^\s]+(\/invite\/[a-z0-9]+\.[a-z0-9]+)/.exec(text);
	if (!m) throw new Error(`no invitation link in:\n${text}`);
	return m[1]!;
}

async function isMember(userId: string) {
	const [row] = await app.db
		.select()
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return Boolean(row);
}

describe('creating an organisation', () => {
	it('sends a logged-out visitor to the login page and back', async () => {
		const res = await get(app, '/orgs/new');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?next=%2Forgs%2Fnew');
	});

	it('refuses a bad time zone in Vietnamese and keeps what was typed', async () => {
		const res = await postForm(
			app,
			'/orgs/new',
			{ name: '<b>Ánh Dương</b> 🌞', timeZone: 'Mars/Olympus', currency: 'VND', locale: 'vi' },
			{ cookie: ownerCookie }
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Múi giờ không hợp lệ.');
		expect(html).toContain('value="&lt;b>Ánh Dương&lt;/b> 🌞"');
		expect(html).not.toContain('<b>Ánh Dương</b>');
	});

	it('creates it with the creator as owner and opens its boards', async () => {
		const res = await postForm(
			app,
			'/orgs/new',
			{
				name: 'Công ty TNHH <Ánh Dương>',
				timeZone: 'Asia/Ho_Chi_Minh',
				currency: 'VND',
				locale: 'vi'
			},
			{ cookie: ownerCookie }
		);
		expect(res.status).toBe(303);
		const to = location(res)!;
		expect(to).toMatch(/^\/o\/[0-9a-f-]{36}\/boards$/);
		orgId = to.split('/')[2]!;
		const [org] = await app.db.select().from(organisations).where(eq(organisations.id, orgId));
		expect(org).toMatchObject({ name: 'Công ty TNHH <Ánh Dương>', plan: 'goi3' });
		expect((await get(app, to, { cookie: ownerCookie })).status).toBe(200);
		for (const page of ['settings', 'settings/members', 'settings/plan']) {
			const r = await get(app, `/o/${orgId}/${page}`, { cookie: ownerCookie });
			expect(r.status, page).toBe(200);
			expect(await r.text()).toContain('Công ty TNHH &lt;Ánh Dương>');
		}
	});

	it('remembers the organisation last opened, for the front door', async () => {
		const second = await postForm(
			app,
			'/orgs/new',
			{ name: 'Chi nhánh Cần Thơ', timeZone: 'Asia/Ho_Chi_Minh', currency: 'VND', locale: 'vi' },
			{ cookie: ownerCookie }
		);
		const secondId = location(second)!.split('/')[2]!;
		expect(location(await get(app, '/', { cookie: ownerCookie }))).toBe(`/o/${secondId}/boards`);
		await get(app, `/o/${orgId}/boards`, { cookie: ownerCookie });
		expect(location(await get(app, '/', { cookie: ownerCookie }))).toBe(`/o/${orgId}/boards`);
		const [u] = await app.db.select().from(users).where(eq(users.id, owner.id));
		expect(u!.activeOrgId).toBe(orgId);
	});
});

describe('inviting, accepting and removing', () => {
	let invitee: Awaited<ReturnType<typeof createUser>>;
	let inviteeCookie = '';
	let link = '';

	it('invites by email and stores the mail with the link', async () => {
		const res = await postForm(
			app,
			`/o/${orgId}/settings/members?/invite`,
			{ email: 'Thu.Pham@Example.vn', role: 'sales' },
			{ cookie: ownerCookie }
		);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Đã gửi lời mời đến Thu.Pham@Example.vn.');
		const mail = await lastEmailTo('Thu.Pham@Example.vn');
		expect(mail.template).toBe('invitation');
		link = inviteLink(mail.text);
		const members = await get(app, `/o/${orgId}/settings/members`, { cookie: ownerCookie });
		const html = await members.text();
		expect(html).toContain('Lời mời đang chờ');
		expect(html).toContain('Thu.Pham@Example.vn');
	});

	it('shows the organisation and role to a logged-out visitor, with login and sign-up links', async () => {
		const res = await get(app, link);
		expect(res.status).toBe(200);
		expect(res.headers.get('referrer-policy')).toBe('no-referrer');
		expect(res.headers.get('cache-control')).toBe('no-store');
		const html = await res.text();
		expect(html).toContain('Bạn được mời tham gia Công ty TNHH &lt;Ánh Dương>');
		expect(html).toContain('Nhân viên kinh doanh');
		const next = encodeURIComponent(link);
		expect(html).toContain(`href="/login?next=${next}"`);
		expect(html).toContain(`href="/signup?next=${next}"`);

		const post = await postForm(app, link, {});
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toBe(`/login?next=${next}`);
	});

	it('adds the member when they accept, once', async () => {
		invitee = await createUser(app.db, {
			name: 'Phạm Thu',
			email: 'thu.pham@example.vn',
			verified: false
		});
		inviteeCookie = await cookieFor(app, invitee.id);
		const res = await postForm(app, link, {}, { cookie: inviteeCookie });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/o/${orgId}/boards`);
		expect(await isMember(invitee.id)).toBe(true);
		expect((await get(app, `/o/${orgId}/boards`, { cookie: inviteeCookie })).status).toBe(200);

		const again = await get(app, link, { cookie: inviteeCookie });
		expect(await again.text()).toContain('Lời mời không còn hiệu lực');
	});

	it('lets a sales member read the member list but not invite or change settings', async () => {
		const list = await get(app, `/o/${orgId}/settings/members`, { cookie: inviteeCookie });
		expect(list.status).toBe(200);
		const html = await list.text();
		expect(html).toContain('Lê Hoàng Nam');
		expect(html).not.toContain('Gửi lời mời');
		const invite = await postForm(
			app,
			`/o/${orgId}/settings/members?/invite`,
			{ email: 'x@example.vn', role: 'sales' },
			{ cookie: inviteeCookie }
		);
		expect(invite.status).toBe(403);
		const settings = await postForm(
			app,
			`/o/${orgId}/settings`,
			{ name: 'Tên mới', timeZone: 'UTC', currency: 'USD', locale: 'en' },
			{ cookie: inviteeCookie }
		);
		expect(settings.status).toBe(403);
	});

	it('answers 404 to someone outside the organisation, and one message for a bad link', async () => {
		const stranger = await createUser(app.db);
		const cookie = await cookieFor(app, stranger.id);
		for (const page of ['settings', 'settings/members', 'settings/plan']) {
			expect((await get(app, `/o/${orgId}/${page}`, { cookie })).status).toBe(404);
		}
		const bad = await get(app, '/invite/nothing.here');
		expect(await bad.text()).toContain('Lời mời không còn hiệu lực');
	});

	it('removes a member at once: their sockets are told to close and their next request is 404', async () => {
		const listener = postgres(app.databaseUrl, { max: 1, onnotice: () => {} });
		const notes: unknown[] = [];
		await listener.listen('chot_disconnect_user', (p) => notes.push(JSON.parse(p)));
		try {
			const res = await postForm(
				app,
				`/o/${orgId}/settings/members?/remove`,
				{ userId: invitee.id },
				{ cookie: ownerCookie }
			);
			expect(res.status).toBe(200);
			expect(await res.text()).toContain('Đã xoá Phạm Thu khỏi đơn vị.');
			expect(await isMember(invitee.id)).toBe(false);
			expect((await get(app, `/o/${orgId}/boards`, { cookie: inviteeCookie })).status).toBe(404);
			await expect.poll(() => notes).toContainEqual({ userId: invitee.id, reason: 'removed' });
		} finally {
			await listener.end();
		}
	});

	it('protects the last owner from leaving', async () => {
		const res = await postForm(
			app,
			`/o/${orgId}/settings/members?/leave`,
			{},
			{ cookie: ownerCookie }
		);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Đơn vị cần ít nhất một chủ sở hữu.');
		expect(await isMember(owner.id)).toBe(true);
	});
});

describe('plans and the operator command', () => {
	it('moves the organisation to Gói 1, after which the 11th seat is refused in Vietnamese', async () => {
		const moved = admin(['plan', orgId, 'goi1']);
		expect(moved.status, moved.stderr).toBe(0);
		expect(moved.stdout).toContain('plan goi1, seats 10');
		for (let i = 0; i < 9; i++) {
			const u = await createUser(app.db);
			await addMember(app.db, { orgId, userId: u.id, role: 'sales' });
		}
		const res = await postForm(
			app,
			`/o/${orgId}/settings/members?/invite`,
			{ email: 'nguoi-thu-11@example.vn', role: 'accountant' },
			{ cookie: ownerCookie }
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain(
			'Gói 1 cho phép tối đa 10 tài khoản. Hãy nâng cấp gói hoặc xoá bớt thành viên.'
		);
		expect(html).toContain('value="nguoi-thu-11@example.vn"');

		const plan = await get(app, `/o/${orgId}/settings/plan`, { cookie: ownerCookie });
		expect(await plan.text()).toContain('10/10 tài khoản');
	});

	it('lists organisations and exits 2 on wrong usage, 1 on an unknown organisation', () => {
		const list = admin(['orgs']);
		expect(list.status).toBe(0);
		expect(list.stdout).toContain(orgId);
		expect(list.stdout).toMatch(/goi1\s+10\/10/);

		const wrong = admin(['frobnicate']);
		expect(wrong.status).toBe(2);
		expect(wrong.stderr).toContain('Unknown command "frobnicate".');
		expect(wrong.stderr).toContain('Usage: npm run admin');

		const unknown = admin(['trial', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', '--days', '3']);
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toContain('No organisation with id');
	});
});
