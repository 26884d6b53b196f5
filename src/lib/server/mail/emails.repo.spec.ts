import { describe, expect, it } from 'vitest';
import { testDb } from '../../../../tests/support/db';
import { addMember, createOrg, createUser } from '../../../../tests/support/factories';
import * as emails from './emails.repo';
import * as mail from './mail';

const { db } = await testDb();
const owner = await createUser(db, { email: 'Chu.Don.Vi@Example.vn' });
const member = await createUser(db);
const stranger = await createUser(db);
const org = await createOrg(db, { ownerId: owner.id });
const otherOrg = await createOrg(db, { ownerId: stranger.id, name: 'Công ty khác' });
await addMember(db, { orgId: org.id, userId: member.id, role: 'sales' });

const url = 'https://chot.example.vn/x?token=1';
function queue(to: string, orgId: string | null) {
	return orgId
		? mail.queue(db, {
				to,
				orgId,
				template: 'invitation',
				locale: 'vi',
				params: { orgName: 'Ánh Dương', inviterName: 'An', role: 'Kinh doanh', url }
			})
		: mail.queue(db, { to, template: 'resetPassword', locale: 'vi', params: { name: 'X', url } });
}

const invite = await queue('moi@example.vn', org.id);
const otherInvite = await queue('moi@example.vn', otherOrg.id);
// Account mail of the owner, addressed in another letter case than the account's email.
const ownerReset = await queue('chu.don.vi@example.VN', null);
const memberReset = await queue(member.email, null);
const strangerReset = await queue(stranger.email, null);

describe('outbox listing', () => {
	it('lists the organisation’s mail and the viewer’s own account mail, newest first', async () => {
		const { emails: rows } = await emails.listOutbox(db, {
			orgId: org.id,
			viewerEmail: owner.email
		});
		expect(rows.map((r) => r.id)).toEqual([ownerReset, invite]);
		expect(rows.map((r) => r.id)).not.toContain(otherInvite);
		expect(rows[0]).toMatchObject({ orgId: null, status: 'queued' });
		expect(rows[0]!.text).toContain(url);
	});

	it('never shows an owner the account mail of other members (their reset links)', async () => {
		const { emails: rows } = await emails.listOutbox(db, {
			orgId: org.id,
			viewerEmail: owner.email
		});
		expect(rows.map((r) => r.id)).not.toContain(memberReset);
		expect(rows.map((r) => r.id)).not.toContain(strangerReset);
		const orgOnly = await emails.listOutbox(db, { orgId: org.id });
		expect(orgOnly.emails.map((r) => r.id)).toEqual([invite]);
	});

	it('pages with the last id seen', async () => {
		const first = await emails.listOutbox(db, {
			orgId: org.id,
			viewerEmail: owner.email,
			limit: 1
		});
		expect(first.emails.map((r) => r.id)).toEqual([ownerReset]);
		expect(first.nextBefore).toBe(ownerReset);
		const second = await emails.listOutbox(db, {
			orgId: org.id,
			viewerEmail: owner.email,
			limit: 1,
			before: first.nextBefore!
		});
		expect(second.emails.map((r) => r.id)).toEqual([invite]);
		expect(second.nextBefore).toBeNull();
	});
});
