import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testDb } from '../../../../tests/support/db';
import { startFakeResend } from '../../../../tests/support/fake-resend';
import { createOrg, createUser } from '../../../../tests/support/factories';
import { readConfig } from '../config';
import { emails, files } from '../db/schema';
import { CHUNK_BYTES, writeChunk } from '../files/storage';
import { createLogger } from '../log';
import { attachmentBody, loadAttachments } from './attachments';
import { deliver } from './deliver';
import * as mail from './mail';

// Mail with files: the body streamed piece by piece must be the JSON Resend takes, byte for
// byte, whatever the pieces' sizes; a file deleted since the email was written fails it for good.
const { db } = await testDb();
const fake = await startFakeResend();
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const owner = await createUser(db);
const org = await createOrg(db, { ownerId: owner.id });
const dealId = uuidv7();

async function storedFile(name: string, content: Buffer, mime = 'application/pdf') {
	const [row] = await db
		.insert(files)
		.values({ orgId: org.id, dealId, name, mime, uploadedBy: owner.id })
		.returning({ id: files.id });
	for (let seq = 0; seq * CHUNK_BYTES < content.byteLength; seq++) {
		const data = content.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES);
		await writeChunk(db, { fileId: row!.id, seq, data });
	}
	await db
		.update(files)
		.set({ status: 'ready', size: content.byteLength })
		.where(eq(files.id, row!.id));
	return row!.id;
}

async function readAll(stream: ReadableStream<Uint8Array>) {
	const parts: Uint8Array[] = [];
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(value);
	}
	return Buffer.concat(parts);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('mail attachments', () => {
	it('streams the JSON body with every file in base64, exactly as long as announced', async () => {
		// 1 MiB + 1 and 2 MiB + 2: pieces that are not multiples of 3, carried across pieces.
		const big = randomBytes(CHUNK_BYTES + 1);
		const bigger = randomBytes(2 * CHUNK_BYTES + 2);
		const tiny = Buffer.from('ab');
		const list = [
			{ fileId: await storedFile('Báo giá "Q1".pdf', big), filename: 'Báo giá "Q1".pdf' },
			{ fileId: await storedFile('ảnh.png', bigger, 'image/png'), filename: 'ảnh.png' },
			{ fileId: await storedFile('a.txt', tiny, 'text/plain'), filename: 'a.txt' }
		];
		const found = await loadAttachments(db, { list });
		if (!found.ok) throw new Error('files missing');
		const message = { from: 'a@b.vn', to: ['c@d.vn'], subject: 'Chào', text: 'x' };
		const { stream, length } = attachmentBody(db, { message, attachments: found.attachments });
		const body = await readAll(stream);
		expect(body.byteLength).toBe(length);
		const parsed = JSON.parse(body.toString('utf8')) as {
			attachments: { filename: string; content_type: string; content: string }[];
		};
		expect(parsed).toMatchObject(message);
		expect(parsed.attachments.map((a) => [a.filename, a.content_type])).toEqual([
			['Báo giá "Q1".pdf', 'application/pdf'],
			['ảnh.png', 'image/png'],
			['a.txt', 'text/plain']
		]);
		expect(parsed.attachments.map((a) => sha(Buffer.from(a.content, 'base64')))).toEqual([
			sha(big),
			sha(bigger),
			sha(tiny)
		]);
	});

	it('delivers through the fake Resend with the bytes, the key and Reply-To', async () => {
		const content = randomBytes(300_001);
		const fileId = await storedFile('hợp đồng.pdf', content);
		const id = await mail.queue(db, {
			to: 'khach@example.vn',
			template: 'customerEmail',
			locale: 'vi',
			params: { subject: 'Hợp đồng', body: 'Gửi anh hợp đồng.' },
			orgId: org.id,
			extra: {
				dealId,
				sentBy: owner.id,
				replyTo: owner.email,
				fromName: 'Lê Văn Nam (Hoà Bình)',
				attachments: [{ fileId, filename: 'hợp đồng.pdf' }]
			}
		});
		const config = readConfig({ RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
		const rt = { db, config, log: createLogger({ level: 'silent' }), counters: new Map() };
		await deliver({ rt, emailId: id });
		const [r] = await db.select().from(emails).where(eq(emails.id, id));
		expect(r).toMatchObject({ status: 'sent', attempts: 1 });
		expect(fake.deliveries).toHaveLength(1);
		const d = fake.deliveries[0]!;
		expect(fake.requests[0]!.headers['idempotency-key']).toBe(r!.idempotencyKey);
		expect(d.from).toBe('"Lê Văn Nam (Hoà Bình)" <no-reply@chot.local>');
		expect(d.replyTo).toEqual([owner.email]);
		expect(d.attachments).toHaveLength(1);
		expect(d.attachments![0]!.filename).toBe('hợp đồng.pdf');
		expect(sha(d.attachments![0]!.content)).toBe(sha(content));

		// Run again (pg-boss delivers at least once): nothing more is sent.
		await deliver({ rt, emailId: id });
		expect(fake.requests).toHaveLength(1);
	});

	it('fails for good, saying which file, when an attached file was deleted', async () => {
		const fileId = await storedFile('cũ.pdf', randomBytes(10));
		await db.update(files).set({ deletedAt: new Date() }).where(eq(files.id, fileId));
		const id = await mail.queue(db, {
			to: 'khach@example.vn',
			template: 'customerEmail',
			locale: 'vi',
			params: { subject: 'Tệp', body: 'x' },
			orgId: org.id,
			extra: { attachments: [{ fileId, filename: 'cũ.pdf' }] }
		});
		const config = readConfig({ RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url });
		const rt = { db, config, log: createLogger({ level: 'silent' }), counters: new Map() };
		await deliver({ rt, emailId: id });
		const [r] = await db.select().from(emails).where(eq(emails.id, id));
		expect(r).toMatchObject({ status: 'failed', error: 'attachment_missing: cũ.pdf' });
		expect(fake.requests).toHaveLength(0);
	});
});
