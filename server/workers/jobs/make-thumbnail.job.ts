import type PgBoss from 'pg-boss';
import * as filesRepo from '$lib/server/files/files.repo';
import { readAll } from '$lib/server/files/storage';
import { makeThumbnail } from '$lib/server/files/thumbnail';
import type { MakeThumbnailJobData } from '$lib/server/jobs';
import { queues } from '$lib/server/jobs';
import type { Runtime } from '$lib/server/runtime';

export const name = queues.makeThumbnail;
export type { MakeThumbnailJobData };

// An image is decoded whole (up to the upload limit) in memory; expiry covers a slow decode of
// the largest one on a busy machine. Only database errors are retried: an image that does not
// decode never will.
export const queueOptions = {
	policy: 'standard',
	retryLimit: 3,
	retryDelay: 5,
	retryBackoff: true,
	expireInSeconds: 120
} satisfies Omit<PgBoss.Queue, 'name'>;

// Safe to run twice: a file that already has its thumbnail, or is gone, is left alone, and the
// thumbnail is stored only where there is none yet.
export async function handler({
	rt,
	data
}: {
	rt: Runtime;
	data: MakeThumbnailJobData;
	id: string;
}) {
	const file = await filesRepo.forThumbnail(rt.db, { fileId: data.fileId });
	if (!file || file.status !== 'ready' || file.deletedAt || file.hasThumbnail) return;
	if (!file.mime.startsWith('image/')) return;
	const thumbnail = await makeThumbnail(await readAll(rt.db, { fileId: data.fileId }));
	if (!thumbnail) {
		rt.log.info({ fileId: data.fileId }, 'image could not be decoded; no thumbnail');
		return;
	}
	await filesRepo.setThumbnail(rt.db, { fileId: data.fileId, data: thumbnail });
}
