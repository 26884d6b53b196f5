import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { dealsDocName } from '../../../src/lib/board/doc';
import { updateDealFields } from '../../../src/lib/board/ops';
import type {
	CustomerMailError,
	DealEmail,
	DealEmailsResponse
} from '../../../src/lib/customer-mail/types';
import { formatVnd } from '../../../src/lib/format/money';
import { contactsMap, dealDocName, readContacts } from '../../../src/lib/deal/doc';
import {
	customers,
	dealActivities,
	deals,
	emails,
	pipelines
} from '../../../src/lib/server/db/schema';
import * as sendMailJob from '../../../server/workers/jobs/send-mail.job';
import { startApp, type AppServer } from '../../support/app-server';
import { acked, connect } from '../../support/collab-client';
import { startFakeResend } from '../../support/fake-resend';
import { addMember, createOrg, createUser } from '../../support/factories';
import { createDealAs, setSettings, until } from '../files/support';
import { cookieFor } from '../security/http';

// Email to a customer from a deal (issue 6, item 8) against the production build: the endpoint,
// the send-mail job in the app's worker, the streamed attachment, the fake Resend over real HTTP,
// and the entry in the deal's contact log (the document over Hocuspocus, and deal_activities).
// Needs `npm run build` first.

const fake = await startFakeResend();
const app: AppServer = await startApp({
	env: { RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url }
});
const boss = new PgBoss({
	connectionString: app.databaseUrl,
	schema: 'pgboss',
	max: 2,
	supervise: false,
	schedule: false,
	migrate: false
});
await boss.start();
// Retry at once instead of after 10 s+ of backoff; the limit as in production.
await boss.updateQueue(sendMailJob.name, {
	name: sendMailJob.name,
	...sendMailJob.queueOptions,
	retryDelay: 0,
	retryBackoff: false
});
afterAll(async () => {
	await boss.stop({ graceful: false, wait: true });
	await app.stop();
	await fake.close();
});
beforeEach(() => fake.reset());

const owner = await createUser(app.db, { name: 'Nguyễn Thị Lan' });
const org = await createOrg(app.db, { ownerId: owner.id, name: 'Hoà Bình Xanh' });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
await createOrg(app.db, { ownerId: outsider.id, name: 'Đơn vị khác' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const [pipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const pipelineId = pipeline!.id;
// Reps see each other's deals but edit only their own.
await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'all', editing: 'own' });
const dealId = await createDealAs(app, {
	userId: nam.id,
	pipelineId,
	title: 'Máy lạnh Quận 7',
	amount: 45_000_000
});

const cookie = {
	nam: await cookieFor(app, nam.id),
	ha: await cookieFor(app, ha.id),
	accountant: await cookieFor(app, accountant.id),
	outsider: await cookieFor(app, outsider.id)
};

// The deal's customer, linked on the card the way the drawer links one.
const [customer] = await app.db
	.insert(customers)
	.values({ orgId: org.id, name: 'Chị Đặng Thu Thảo', email: 'thao.dang@example.vn' })
	.returning();
{
	const shard = connect({
		origin: app.origin,
		documentName: dealsDocName(pipelineId, nam.id),
		cookie: cookie.nam
	});
	await shard.synced;
	updateDealFields(
		shard.doc,
		{ dealId, customerId: customer!.id, customerName: customer!.name },
		{ kind: 'user', userId: nam.id }
	);
	await acked(shard.provider);
	shard.destroy();
	const linked = await until(async () => {
		const [d] = await app.db.select().from(deals).where(eq(deals.id, dealId));
		return d?.customerId === customer!.id;
	});
	if (!linked) throw new Error('the customer never reached the deals table');
}

function pdf(size: number, seed: string) {
	const body = Buffer.alloc(size, 0x20);
	body.write(`%PDF-1.4\n% ${seed}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n`);
	return body;
}

async function upload(name: string, body: Buffer) {
	const res = await app.fetch(
		`/o/${org.id}/deals/${dealId}/files?${new URLSearchParams({ name })}`,
		{
			method: 'POST',
			headers: {
				cookie: cookie.nam,
				'content-type': 'application/octet-stream',
				accept: 'application/json'
			},
			body: new Uint8Array(body)
		}
	);
	expect(res.status).toBe(201);
	return ((await res.json()) as { file: { id: string } }).file.id;
}

const quote = pdf(1_300_001, 'bao-gia');
const quoteId = await upload('Báo giá máy lạnh.pdf', quote);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const emailsPath = `/o/${org.id}/deals/${dealId}/emails`;

function message(overrides: Record<string, unknown> = {}) {
	return {
		idempotencyKey: uuidv7(),
		to: 'thao.dang@example.vn',
		subject: 'Báo giá {{ten_co_hoi}}',
		body: 'Kính gửi {{ten_khach_hang}},\n\nGửi chị báo giá, tổng {{gia_tri}}.\n\n{{chu_ky}}',
		fileIds: [quoteId],
		...overrides
	};
}

async function post(who: keyof typeof cookie, body: unknown) {
	const res = await app.fetch(emailsPath, {
		method: 'POST',
		headers: {
			cookie: cookie[who],
			'content-type': 'application/json',
			accept: 'application/json'
		},
		body: JSON.stringify(body)
	});
	const json = (await res.json().catch(() => null)) as
		({ email: DealEmail } & Partial<CustomerMailError>) | null;
	return { status: res.status, json };
}

async function row(id: string) {
	const [r] = await app.db.select().from(emails).where(eq(emails.id, id));
	return r!;
}

async function settled(id: string) {
	await until(async () => (await row(id)).status !== 'queued', 20_000);
	return row(id);
}

describe('email to a customer from a deal', () => {
	it('offers the customer’s address, the filled variables, templates and the deal’s files', async () => {
		const res = await app.fetch(emailsPath, {
			headers: { cookie: cookie.nam, accept: 'application/json' }
		});
		expect(res.status).toBe(200);
		const body = (await res.json()) as DealEmailsResponse;
		expect(body.canSend).toBe(true);
		expect(body.compose).toMatchObject({
			to: 'thao.dang@example.vn',
			replyTo: nam.email,
			variables: {
				ten_khach_hang: 'Chị Đặng Thu Thảo',
				ten_co_hoi: 'Máy lạnh Quận 7',
				gia_tri: formatVnd(45_000_000),
				// No signature set: the sender's name signs.
				chu_ky: 'Lê Văn Nam'
			},
			files: [{ id: quoteId, name: 'Báo giá máy lạnh.pdf', size: quote.byteLength }]
		});
		// A new organisation starts with the default Vietnamese templates.
		expect(body.compose!.templates.map((t) => t.name)).toEqual([
			'Cảm ơn khách hàng',
			'Gửi báo giá',
			'Nhắc thanh toán'
		]);
	});

	it('sends once with the attachment’s exact bytes under the row’s key, and logs the contact', async () => {
		const input = message();
		const first = await post('nam', input);
		expect(first.status).toBe(201);
		const id = first.json!.email.id;
		expect(first.json!.email).toMatchObject({ subject: 'Báo giá Máy lạnh Quận 7' });

		const r = await settled(id);
		expect(r).toMatchObject({
			status: 'sent',
			attempts: 1,
			orgId: org.id,
			dealId,
			sentBy: nam.id,
			replyTo: nam.email,
			idempotencyKey: input.idempotencyKey,
			attachments: [{ fileId: quoteId, filename: 'Báo giá máy lạnh.pdf' }]
		});
		expect(fake.deliveries).toHaveLength(1);
		const d = fake.deliveries[0]!;
		expect(fake.requests[0]!.headers['idempotency-key']).toBe(r.idempotencyKey);
		expect(d.idempotencyKey).toBe(input.idempotencyKey);
		expect(d).toMatchObject({
			to: ['thao.dang@example.vn'],
			subject: 'Báo giá Máy lạnh Quận 7',
			replyTo: [nam.email],
			from: '"Lê Văn Nam (Hoà Bình Xanh)" <no-reply@chot.local>'
		});
		expect(d.text).toBe(
			`Kính gửi Chị Đặng Thu Thảo,\n\nGửi chị báo giá, tổng ${formatVnd(45_000_000)}.\n\nLê Văn Nam`
		);
		expect(d.attachments).toHaveLength(1);
		expect(d.attachments![0]!.filename).toBe('Báo giá máy lạnh.pdf');
		expect(sha256(d.attachments![0]!.content)).toBe(sha256(quote));

		// The same request again (a double click, a retry): the same email, nothing sent again.
		const again = await post('nam', input);
		expect(again.status).toBe(200);
		expect(again.json!.email.id).toBe(id);
		const rows = await app.db
			.select({ id: emails.id })
			.from(emails)
			.where(eq(emails.idempotencyKey, input.idempotencyKey));
		expect(rows).toHaveLength(1);
		await new Promise((res) => setTimeout(res, 1200));
		expect(fake.deliveries).toHaveLength(1);

		// The contact log holds it as an email, keyed by the email's id, in the document…
		const doc = connect({
			origin: app.origin,
			documentName: dealDocName(dealId),
			cookie: cookie.nam
		});
		await doc.synced;
		expect(contactsMap(doc.doc).has(id)).toBe(true);
		expect(readContacts(doc.doc).filter((c) => c.id === id)).toEqual([
			expect.objectContaining({
				kind: 'email',
				summary: 'Báo giá Máy lạnh Quận 7',
				createdBy: nam.id
			})
		]);
		doc.destroy();
		// … and in deal_activities.
		const projected = await until(async () => {
			const [a] = await app.db.select().from(dealActivities).where(eq(dealActivities.id, id));
			return a?.kind === 'email' && a.dealId === dealId && a.createdBy === nam.id;
		});
		expect(projected).toBe(true);

		// The list shows it with its state.
		const list = await app.fetch(emailsPath, {
			headers: { cookie: cookie.ha, accept: 'application/json' }
		});
		const listed = (await list.json()) as DealEmailsResponse;
		expect(listed.canSend).toBe(false);
		expect(listed.compose).toBeNull();
		expect(listed.emails.find((e) => e.id === id)).toMatchObject({
			status: 'sent',
			sender: { id: nam.id, name: 'Lê Văn Nam' }
		});
	});

	it('refuses the same key with another request (409, in Vietnamese), sending nothing more', async () => {
		const input = message({ fileIds: [] });
		expect((await post('nam', input)).status).toBe(201);
		const other = await post('nam', { ...input, subject: 'Khác' });
		expect(other.status).toBe(409);
		expect(other.json).toMatchObject({ code: 'keyReused' });
		expect(other.json!.message).toContain('đã được dùng');
		const rows = await app.db
			.select({ subject: emails.subject })
			.from(emails)
			.where(eq(emails.idempotencyKey, input.idempotencyKey));
		expect(rows).toEqual([{ subject: 'Báo giá Máy lạnh Quận 7' }]);
	});

	it('stores one email when the same request arrives twice at the same moment', async () => {
		const input = message({ fileIds: [] });
		const [a, b] = await Promise.all([post('nam', input), post('nam', input)]);
		// Each is answered as the first (201) or as its repeat (200); never refused.
		expect([200, 201]).toContain(a.status);
		expect([200, 201]).toContain(b.status);
		expect(a.json!.email.id).toBe(b.json!.email.id);
		const r = await settled(a.json!.email.id);
		expect(r.status).toBe('sent');
		await new Promise((res) => setTimeout(res, 1200));
		expect(fake.deliveries.filter((d) => d.idempotencyKey === input.idempotencyKey)).toHaveLength(
			1
		);
	});

	it('retries after Resend’s 5xx and sends exactly once', async () => {
		fake.failNext(2, 503);
		const input = message();
		const { json } = await post('nam', input);
		const r = await settled(json!.email.id);
		expect(r).toMatchObject({ status: 'sent', attempts: 3, error: null });
		expect(fake.requests.map((q) => q.status)).toEqual([503, 503, 200]);
		expect(new Set(fake.requests.map((q) => q.headers['idempotency-key']))).toEqual(
			new Set([input.idempotencyKey])
		);
		expect(fake.deliveries).toHaveLength(1);
		expect(sha256(fake.deliveries[0]!.attachments![0]!.content)).toBe(sha256(quote));
	});

	it('records why a message Resend refuses failed, without retrying', async () => {
		fake.failNext(1, 422);
		const { json } = await post('nam', message({ fileIds: [] }));
		const r = await settled(json!.email.id);
		expect(r.status).toBe('failed');
		expect(r.error).toContain('validation_error');
		const list = await app.fetch(emailsPath, {
			headers: { cookie: cookie.nam, accept: 'application/json' }
		});
		const listed = (await list.json()) as DealEmailsResponse;
		expect(listed.emails.find((e) => e.id === r.id)).toMatchObject({
			status: 'failed',
			error: expect.stringContaining('validation_error')
		});
	});

	it('lets only members who may edit the deal send', async () => {
		const before = await app.db.select({ id: emails.id }).from(emails);
		// Hà sees Nam's deal but may not edit it; the accountant only reads.
		const ha = await post('ha', message());
		expect(ha.status).toBe(403);
		expect(ha.json!.message).toBe('Bạn không có quyền gửi email từ giao dịch này.');
		expect((await post('accountant', message())).status).toBe(403);
		// Someone from another organisation learns nothing.
		expect((await post('outsider', message())).status).toBe(404);
		const after = await app.db.select({ id: emails.id }).from(emails);
		expect(after).toHaveLength(before.length);
	});

	it('refuses an invalid address with a message in Vietnamese', async () => {
		const bad = await post('nam', message({ to: 'thao.dang@@example' }));
		expect(bad.status).toBe(400);
		expect(bad.json).toMatchObject({
			code: 'invalid',
			field: 'to',
			message: 'Địa chỉ email người nhận không hợp lệ.'
		});
		const blank = await post('nam', message({ subject: '   ' }));
		expect(blank.json).toMatchObject({ field: 'subject', message: 'Hãy nhập tiêu đề email.' });
	});

	it('refuses files of another deal and attachments over the size limit', async () => {
		const otherDeal = await createDealAs(app, { userId: nam.id, pipelineId, title: 'Kho lạnh' });
		const res = await app.fetch(
			`/o/${org.id}/deals/${otherDeal}/files?${new URLSearchParams({ name: 'khac.pdf' })}`,
			{
				method: 'POST',
				headers: { cookie: cookie.nam, 'content-type': 'application/octet-stream' },
				body: new Uint8Array(pdf(2000, 'khac'))
			}
		);
		const foreign = ((await res.json()) as { file: { id: string } }).file.id;
		const gone = await post('nam', message({ fileIds: [foreign] }));
		expect(gone.status).toBe(400);
		expect(gone.json).toMatchObject({ code: 'fileGone', field: 'fileIds' });

		const big = [await upload('lon-1.pdf', pdf(13 * 1024 * 1024, '1'))];
		big.push(await upload('lon-2.pdf', pdf(13 * 1024 * 1024, '2')));
		const tooLarge = await post('nam', message({ fileIds: big }));
		expect(tooLarge.status).toBe(413);
		expect(tooLarge.json!.message).toBe(
			'Tổng dung lượng tệp đính kèm (26 MB) vượt mức tối đa 25 MB cho một email.'
		);
		const stored = await app.db
			.select({ id: emails.id })
			.from(emails)
			.where(eq(emails.dealId, otherDeal));
		expect(stored).toHaveLength(0);
	});
});

describe('email to a customer without RESEND_API_KEY', () => {
	it('ends in the outbox, and the contact log still has it', async () => {
		const local = await startApp({ env: { RESEND_BASE_URL: fake.url } });
		try {
			const localOwner = await createUser(local.db, { name: 'Chủ' });
			const localOrg = await createOrg(local.db, { ownerId: localOwner.id });
			const [p] = await local.db.select().from(pipelines).where(eq(pipelines.orgId, localOrg.id));
			const id = await createDealAs(local, {
				userId: localOwner.id,
				pipelineId: p!.id,
				title: 'Nội bộ'
			});
			const res = await local.fetch(`/o/${localOrg.id}/deals/${id}/emails`, {
				method: 'POST',
				headers: {
					cookie: await cookieFor(local, localOwner.id),
					'content-type': 'application/json'
				},
				body: JSON.stringify(message({ fileIds: [] }))
			});
			expect(res.status).toBe(201);
			const { email } = (await res.json()) as { email: DealEmail };
			await until(async () => {
				const [r] = await local.db.select().from(emails).where(eq(emails.id, email.id));
				return r?.status === 'outbox';
			}, 20_000);
			const [r] = await local.db.select().from(emails).where(eq(emails.id, email.id));
			expect(r!.status).toBe('outbox');
			const logged = await until(async () => {
				const [a] = await local.db
					.select()
					.from(dealActivities)
					.where(eq(dealActivities.id, email.id));
				return a?.kind === 'email';
			});
			expect(logged).toBe(true);
			expect(fake.requests).toHaveLength(0);
		} finally {
			await local.stop();
		}
	});
});
