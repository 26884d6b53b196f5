import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../../src/lib/server/auth/tokens';
import { emails, invitations, memberships, users } from '../../../src/lib/server/db/schema';
import { OrgRuleError } from '../../../src/lib/server/orgs/errors';
import * as invites from '../../../src/lib/server/orgs/invitations.repo';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser } from '../../support/factories';
import { ORIGIN, startBoss } from './support';

const { db, url } = await testDb();
const boss = await startBoss(url);
const DAY = 24 * 60 * 60 * 1000;

async function ownerAndOrg(name = 'Công ty TNHH Ánh Dương') {
	const owner = await createUser(db, { name: 'Phạm Thu Hà' });
	const org = await createOrg(db, { ownerId: owner.id, name });
	return { owner, org };
}

function invite(
	input: {
		orgId: string;
		inviterId: string;
		email: string;
		role?: 'manager' | 'sales' | 'accountant' | 'owner';
	},
	now?: Date
) {
	return invites.create(db, { boss, origin: ORIGIN, role: 'sales', now, ...input });
}

async function rejection(p: Promise<unknown>) {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(OrgRuleError);
	return (err as OrgRuleError).rule;
}

async function membershipOf(orgId: string, userId: string) {
	const [row] = await db
		.select()
		.from(memberships)
		.where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
	return row ?? null;
}

describe('creating an invitation', () => {
	it('stores only the hash of the secret and expires after 7 days', async () => {
		const { owner, org } = await ownerAndOrg();
		const now = new Date('2026-03-02T03:00:00Z');
		const sent = await invite(
			{ orgId: org.id, inviterId: owner.id, email: 'Minh.Tran@Example.vn' },
			now
		);

		const [id, secret] = sent.token.split('.');
		const [row] = await db.select().from(invitations).where(eq(invitations.id, id!));
		expect(row).toMatchObject({ orgId: org.id, email: 'Minh.Tran@Example.vn', role: 'sales' });
		expect(Buffer.from(row!.secretHash)).toEqual(Buffer.from(hashSecret(secret!)));
		expect(JSON.stringify(row)).not.toContain(secret);
		expect(row!.expiresAt.getTime() - now.getTime()).toBe(7 * DAY);
	});

	it('queues the invitation mail with the link, and a delivery job for it', async () => {
		const { owner, org } = await ownerAndOrg('Nhà sách <b>Phương Nam</b>');
		const sent = await invite({ orgId: org.id, inviterId: owner.id, email: 'lan@example.vn' });

		const [mail] = await db.select().from(emails).where(eq(emails.id, sent.emailId));
		expect(mail).toMatchObject({ to: 'lan@example.vn', template: 'invitation', orgId: org.id });
		expect(sent.url).toBe(`${ORIGIN}/invite/${sent.token}`);
		expect(mail!.text).toContain(sent.url);
		expect(mail!.text).toContain('Phạm Thu Hà mời bạn tham gia đơn vị Nhà sách <b>Phương Nam</b>');
		expect(mail!.text).toContain('Nhân viên kinh doanh');
		// The organisation's name is escaped in the HTML part.
		expect(mail!.html).toContain('Nhà sách &lt;b&gt;Phương Nam&lt;/b&gt;');

		const jobs = await db.execute<{ data: { emailId: string } }>(
			`select data from pgboss.job where name = 'send-mail'`
		);
		expect(jobs.map((j) => j.data.emailId)).toContain(sent.emailId);
	});

	it('writes to someone with an account in their own language, with the role translated', async () => {
		const { owner, org } = await ownerAndOrg();
		const english = await createUser(db, { email: 'john@example.com', locale: 'en' });
		const sent = await invite({
			orgId: org.id,
			inviterId: owner.id,
			email: 'JOHN@example.com',
			role: 'accountant'
		});
		const [mail] = await db.select().from(emails).where(eq(emails.id, sent.emailId));
		expect(english.locale).toBe('en');
		expect(mail!.subject).toContain('invites you to');
		expect(mail!.text).toContain('as Accountant');
	});

	it('refuses an email that already has a pending invitation or belongs to a member', async () => {
		const { owner, org } = await ownerAndOrg();
		await invite({ orgId: org.id, inviterId: owner.id, email: 'tuan@example.vn' });
		expect(
			await rejection(
				invite({ orgId: org.id, inviterId: owner.id, email: ' TUAN@example.vn'.trim() })
			)
		).toBe('alreadyInvited');

		const member = await createUser(db, { email: 'Hoa@Example.vn' });
		await addMember(db, { orgId: org.id, userId: member.id, role: 'sales' });
		expect(
			await rejection(invite({ orgId: org.id, inviterId: owner.id, email: 'hoa@example.vn' }))
		).toBe('alreadyMember');
	});
});

describe('accepting an invitation', () => {
	it('adds the membership with the invited role, sets the active organisation and works once', async () => {
		const { owner, org } = await ownerAndOrg();
		const sent = await invite({
			orgId: org.id,
			inviterId: owner.id,
			email: 'quan@example.vn',
			role: 'manager'
		});
		const quan = await createUser(db, { email: 'quan@example.vn' });

		const joined = await invites.accept(db, { token: sent.token, userId: quan.id });
		expect(joined).toMatchObject({ orgId: org.id, role: 'manager', alreadyMember: false });
		expect(await membershipOf(org.id, quan.id)).toMatchObject({ role: 'manager' });
		const [u] = await db.select().from(users).where(eq(users.id, quan.id));
		expect(u!.activeOrgId).toBe(org.id);
		const [row] = await db.select().from(invitations).where(eq(invitations.id, sent.id));
		expect(row).toMatchObject({ acceptedBy: quan.id });

		// Single use, even for someone else holding the same link.
		const other = await createUser(db);
		expect(await rejection(invites.accept(db, { token: sent.token, userId: other.id }))).toBe(
			'inviteInvalid'
		);
		expect(await membershipOf(org.id, other.id)).toBeNull();
		expect(await invites.preview(db, { token: sent.token })).toBeNull();
	});

	it('works until 7 days have passed and not a moment after', async () => {
		const { owner, org } = await ownerAndOrg();
		const now = new Date('2026-05-01T08:00:00Z');
		const early = await invite({ orgId: org.id, inviterId: owner.id, email: 'a@example.vn' }, now);
		const late = await invite({ orgId: org.id, inviterId: owner.id, email: 'b@example.vn' }, now);
		const a = await createUser(db);
		const b = await createUser(db);

		const justBefore = new Date(now.getTime() + 7 * DAY - 60_000);
		const justAfter = new Date(now.getTime() + 7 * DAY + 1);
		expect(await invites.preview(db, { token: early.token, now: justBefore })).not.toBeNull();
		await invites.accept(db, { token: early.token, userId: a.id, now: justBefore });
		expect(await membershipOf(org.id, a.id)).not.toBeNull();

		expect(await invites.preview(db, { token: late.token, now: justAfter })).toBeNull();
		expect(
			await rejection(invites.accept(db, { token: late.token, userId: b.id, now: justAfter }))
		).toBe('inviteInvalid');
		expect(await membershipOf(org.id, b.id)).toBeNull();
	});

	it('refuses a revoked invitation', async () => {
		const { owner, org } = await ownerAndOrg();
		const sent = await invite({ orgId: org.id, inviterId: owner.id, email: 'c@example.vn' });
		await invites.revoke(db, { orgId: org.id, actorId: owner.id, invitationId: sent.id });
		const c = await createUser(db);
		expect(await invites.preview(db, { token: sent.token })).toBeNull();
		expect(await rejection(invites.accept(db, { token: sent.token, userId: c.id }))).toBe(
			'inviteInvalid'
		);
	});

	it('gives one answer for unknown, forged and malformed tokens', async () => {
		const { owner, org } = await ownerAndOrg();
		const sent = await invite({ orgId: org.id, inviterId: owner.id, email: 'd@example.vn' });
		const d = await createUser(db);
		const [id] = sent.token.split('.');
		for (const token of [
			`${id}.${'a'.repeat(52)}`,
			`unknownid.${'b'.repeat(52)}`,
			'not-a-token',
			'',
			`${id}.`,
			`${sent.token}.extra`
		]) {
			expect(await invites.preview(db, { token })).toBeNull();
			expect(await rejection(invites.accept(db, { token, userId: d.id }))).toBe('inviteInvalid');
		}
		expect(await membershipOf(org.id, d.id)).toBeNull();
	});

	it('verifies the email when the invited address is the account’s, in any case', async () => {
		const { owner, org } = await ownerAndOrg();
		const same = await createUser(db, { email: 'Vy.Le@Example.vn', verified: false });
		const other = await createUser(db, { email: 'vy.personal@example.vn', verified: false });
		const s1 = await invite({ orgId: org.id, inviterId: owner.id, email: 'vy.le@example.VN' });
		const s2 = await invite({ orgId: org.id, inviterId: owner.id, email: 'vy.work@example.vn' });

		await invites.accept(db, { token: s1.token, userId: same.id });
		await invites.accept(db, { token: s2.token, userId: other.id });
		const [a] = await db.select().from(users).where(eq(users.id, same.id));
		const [b] = await db.select().from(users).where(eq(users.id, other.id));
		expect(a!.emailVerifiedAt).not.toBeNull();
		expect(b!.emailVerifiedAt).toBeNull();
	});

	it('uses up the invitation of someone who is already a member without changing their role', async () => {
		const { owner, org } = await ownerAndOrg();
		const member = await createUser(db, { email: 'e@example.vn' });
		const sent = await invite({ orgId: org.id, inviterId: owner.id, email: 'e-other@example.vn' });
		await addMember(db, { orgId: org.id, userId: member.id, role: 'accountant' });

		const joined = await invites.accept(db, { token: sent.token, userId: member.id });
		expect(joined).toMatchObject({ orgId: org.id, alreadyMember: true, role: 'accountant' });
		expect(await membershipOf(org.id, member.id)).toMatchObject({ role: 'accountant' });
		expect(await invites.preview(db, { token: sent.token })).toBeNull();
	});
});

describe('resending an invitation', () => {
	it('sends a new link and kills the old one', async () => {
		const { owner, org } = await ownerAndOrg();
		const first = await invite({ orgId: org.id, inviterId: owner.id, email: 'f@example.vn' });
		const second = await invites.resend(db, {
			boss,
			origin: ORIGIN,
			orgId: org.id,
			actorId: owner.id,
			invitationId: first.id
		});
		expect(second.token).not.toBe(first.token);
		expect(second.emailId).not.toBe(first.emailId);
		const [mail] = await db.select().from(emails).where(eq(emails.id, second.emailId));
		expect(mail!.text).toContain(second.url);

		const f = await createUser(db);
		expect(await rejection(invites.accept(db, { token: first.token, userId: f.id }))).toBe(
			'inviteInvalid'
		);
		await invites.accept(db, { token: second.token, userId: f.id });
		expect(await membershipOf(org.id, f.id)).toMatchObject({ role: 'sales' });
		const open = await invites.listOpen(db, { orgId: org.id });
		expect(open.map((i) => i.email)).not.toContain('f@example.vn');
	});

	it('renews an expired invitation for another 7 days', async () => {
		const { owner, org } = await ownerAndOrg();
		const then = new Date('2026-01-01T00:00:00Z');
		const old = await invite({ orgId: org.id, inviterId: owner.id, email: 'g@example.vn' }, then);
		const now = new Date(then.getTime() + 30 * DAY);
		const renewed = await invites.resend(db, {
			boss,
			origin: ORIGIN,
			orgId: org.id,
			actorId: owner.id,
			invitationId: old.id,
			now
		});
		expect(renewed.expiresAt.getTime()).toBe(now.getTime() + 7 * DAY);
		expect(await invites.preview(db, { token: renewed.token, now })).toMatchObject({
			orgName: org.name,
			role: 'sales',
			inviterName: 'Phạm Thu Hà'
		});
	});
});
