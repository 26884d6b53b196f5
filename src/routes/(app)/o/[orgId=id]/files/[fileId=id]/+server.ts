import { error } from '@sveltejs/kit';
import { previewable } from '$lib/files/types';
import { requireMember } from '$lib/server/auth/guards';
import * as filesRepo from '$lib/server/files/files.repo';
import { fileHeaders } from '$lib/server/files/headers';
import { refuse } from '$lib/server/files/present';
import { kindOf } from '$lib/server/files/sniff';
import { contentStream } from '$lib/server/files/storage';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// One file. Anyone who may see its deal downloads it; `?preview` shows an image or a PDF in
// the page's preview frame instead (everything else is always an attachment). Files of deals
// the member may not see, of other organisations, deleted or unknown: 404 alike.

export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const found = await filesRepo.findVisible(db, {
		orgId: org.id,
		userId: user.id,
		role,
		fileId: event.params.fileId
	});
	if (!found) error(404, { message: 'Not found' });
	const { file } = found;
	const preview = event.url.searchParams.has('preview') && previewable(kindOf(file.mime));
	return new Response(contentStream(db, { fileId: file.id, size: file.size }), {
		headers: fileHeaders({ name: file.name, mime: file.mime, size: file.size, preview })
	});
};

/** Soft delete, by the uploader, anyone who may edit the deal, managers and owners. */
export const DELETE: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const found = await filesRepo.findVisible(db, {
		orgId: org.id,
		userId: user.id,
		role,
		fileId: event.params.fileId
	});
	if (!found) error(404, { message: 'Not found' });
	if (!found.canDelete) {
		return refuse(event.locals.locale, {
			status: 403,
			code: 'forbidden',
			key: 'files.error.deleteForbidden'
		});
	}
	const deleted = await filesRepo.softDelete(db, {
		orgId: org.id,
		fileId: found.file.id,
		by: user.id
	});
	if (!deleted) error(404, { message: 'Not found' });
	return new Response(null, { status: 204 });
};
