import { error } from '@sveltejs/kit';
import { requireMember } from '$lib/server/auth/guards';
import * as filesRepo from '$lib/server/files/files.repo';
import { runtime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

// The small WebP of an image (made by the `make-thumbnail` job), for whoever may see the deal;
// 404 until it exists. A thumbnail never changes, so the browser may keep it a day.
export const GET: RequestHandler = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db } = runtime();
	const found = await filesRepo.findVisible(db, {
		orgId: org.id,
		userId: user.id,
		role,
		fileId: event.params.fileId
	});
	if (!found?.file.hasThumbnail) error(404, { message: 'Not found' });
	const data = await filesRepo.thumbnail(db, { fileId: found.file.id });
	if (!data) error(404, { message: 'Not found' });
	return new Response(new Uint8Array(data), {
		headers: {
			'content-type': 'image/webp',
			'content-length': String(data.byteLength),
			'cache-control': 'private, max-age=86400',
			'x-content-type-options': 'nosniff',
			'cross-origin-resource-policy': 'same-origin',
			'content-security-policy': "default-src 'none'; sandbox"
		}
	});
};
