import { error, json } from '@sveltejs/kit';
import { MAX_NOTE_LENGTH, MAX_NAME_LENGTH, nameProblem } from '$lib/files/names';
import type { DealFilesResponse } from '$lib/files/types';
import { requireMember } from '$lib/server/auth/guards';
import * as filesRepo from '$lib/server/files/files.repo';
import { refuse, refusalMessage, toClient } from '$lib/server/files/present';
import { precheck, receive, refusalStatus, UploadRefused } from '$lib/server/files/upload';
import { queues, send, type MakeThumbnailJobData } from '$lib/server/jobs';
import { storageQuotaBytes } from '$lib/server/orgs/plans';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// A deal's files: GET lists them, POST attaches one. Deals the member may not see are 404, as
// if they did not exist.

export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db, config } = runtime();
	const member = { orgId: org.id, userId: user.id, role };
	const access = await filesRepo.dealAccess(db, { ...member, dealId: event.params.dealId });
	if (!access) error(404, { message: 'Not found' });
	const rows = await filesRepo.list(db, { orgId: org.id, dealId: event.params.dealId });
	const body: DealFilesResponse = {
		files: rows.map((f) => toClient(f, { ...member, canEdit: access.canEdit })),
		canEdit: access.canEdit,
		maxBytes: config.maxUploadBytes,
		storage: {
			usedBytes: await filesRepo.usage(db, { orgId: org.id }),
			quotaBytes: storageQuotaBytes[org.plan]
		}
	};
	return json(body, { headers: { 'cache-control': 'private, no-store' } });
};

// The body is the file itself (any Content-Type but a form's, which SvelteKit would read as
// one); its name and note travel in the query string, UTF-8 percent-encoded. The browser shows
// progress through XMLHttpRequest's upload events. Refused as early as possible: by the
// declared Content-Length before a byte is read, then by counting bytes as they stream in.
export const POST: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db, config, boss, log } = runtime();
	const locale = event.locals.locale;
	const member = { orgId: org.id, userId: user.id, role };
	const access = await filesRepo.dealAccess(db, { ...member, dealId: event.params.dealId });
	if (!access) error(404, { message: 'Not found' });
	if (!access.canEdit) {
		return refuse(locale, { status: 403, code: 'forbidden', key: 'files.error.forbidden' });
	}

	const name = event.url.searchParams.get('name') ?? '';
	const note = (event.url.searchParams.get('note') ?? '').trim();
	const problem = nameProblem(name);
	if (problem) {
		const key = problem === 'tooLong' ? 'files.error.nameTooLong' : 'files.error.name';
		return refuse(locale, { status: 400, code: 'name', key, params: { max: MAX_NAME_LENGTH } });
	}
	if (note.length > MAX_NOTE_LENGTH || note.includes('\u0000')) {
		return refuse(locale, {
			status: 400,
			code: 'note',
			key: 'files.error.noteTooLong',
			params: { max: MAX_NOTE_LENGTH }
		});
	}

	const header = event.request.headers.get('content-length');
	const declaredBytes = header === null ? null : Number(header);
	const maxBytes = config.maxUploadBytes;
	try {
		await precheck(db, { orgId: org.id, plan: org.plan, declaredBytes, maxBytes });
		const stored = await receive(db, {
			orgId: org.id,
			dealId: event.params.dealId,
			plan: org.plan,
			userId: user.id,
			name,
			note,
			body: event.request.body,
			maxBytes
		});
		if (stored.type.kind === 'image') {
			// After commit; a lost job leaves an icon instead of a thumbnail, nothing worse.
			const data: MakeThumbnailJobData = { fileId: stored.id };
			await send(boss, { queue: queues.makeThumbnail, data }).catch((err: unknown) =>
				log.warn({ err, fileId: stored.id }, 'could not enqueue thumbnail')
			);
		}
		const found = await filesRepo.findVisible(db, { ...member, fileId: stored.id });
		return json(
			{
				file: toClient(found!.file, { ...member, canEdit: access.canEdit }),
				sha256: stored.sha256
			},
			{ status: 201 }
		);
	} catch (err) {
		if (!(err instanceof UploadRefused)) throw err;
		const { key, params } = refusalMessage(err, {
			name,
			maxBytes,
			quotaBytes: storageQuotaBytes[org.plan],
			locale
		});
		return refuse(locale, {
			status: refusalStatus[err.code],
			code: err.code,
			key,
			params,
			close: !err.bodyRead
		});
	}
};
