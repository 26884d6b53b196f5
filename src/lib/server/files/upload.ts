import { createHash } from 'node:crypto';
import type { Tx } from '../db';
import type { PlanCode } from '../db/schema';
import { storageQuotaBytes } from '../orgs/plans';
import * as filesRepo from './files.repo';
import { sniff, type FileType, type SniffRefusal } from './sniff';
import { CHUNK_BYTES, writeChunk } from './storage';

export type UploadRefusal = SniffRefusal | 'tooLarge' | 'quota' | 'aborted';

export class UploadRefused extends Error {
	/**
	 * The whole request body was read: the connection can carry the next request. Otherwise the
	 * answer closes it (reading megabytes only to throw them away is what the limit prevents).
	 */
	bodyRead = false;

	constructor(
		readonly code: UploadRefusal,
		/** For `mismatch`: what the content really is. */
		readonly type?: FileType
	) {
		super(code);
	}
}

/** The HTTP status of each refusal. */
export const refusalStatus: Record<UploadRefusal, number> = {
	tooLarge: 413,
	quota: 413,
	empty: 400,
	aborted: 400,
	html: 415,
	executable: 415,
	script: 415,
	macro: 415,
	unsupported: 415,
	mismatch: 415
};

/**
 * Checks an upload against the limits before its body is read: the size it declares (HTTP
 * Content-Length) against the per-file limit and the organisation's remaining storage.
 */
export async function precheck(
	db: Tx,
	{
		orgId,
		plan,
		declaredBytes,
		maxBytes
	}: { orgId: string; plan: PlanCode; declaredBytes: number | null; maxBytes: number }
) {
	if (declaredBytes === null) return;
	if (declaredBytes > maxBytes) throw new UploadRefused('tooLarge');
	const quota = storageQuotaBytes[plan];
	if (quota !== null && (await filesRepo.usage(db, { orgId })) + declaredBytes > quota) {
		throw new UploadRefused('quota');
	}
}

/**
 * Receives one file from a request body stream, piece by piece: the first MiB decides the type
 * (magic bytes) before anything is stored; bytes are counted as they arrive and the upload stops
 * the moment they pass `maxBytes` (a missing or false Content-Length changes nothing). Only a
 * complete, accepted file becomes visible and counts against the quota; anything else leaves
 * no trace. A refused type is read to its end (within `maxBytes`, nothing stored) before the
 * answer: browsers still sending when the server closes report a reset connection, not the
 * message. Over the size limit it stops at once. It never cancels the body stream itself:
 * cancelling destroys the socket before the refusal can be sent.
 */
export async function receive(
	db: Tx,
	{
		orgId,
		dealId,
		plan,
		userId,
		name,
		note,
		body,
		maxBytes
	}: {
		orgId: string;
		dealId: string;
		plan: PlanCode;
		userId: string;
		name: string;
		note: string;
		body: ReadableStream<Uint8Array> | null;
		maxBytes: number;
	}
): Promise<{ id: string; size: number; type: FileType; sha256: string }> {
	if (!body) throw new UploadRefused('empty');
	await filesRepo.purgeStale(db, { orgId });
	const reader = body.getReader();
	const hash = createHash('sha256');
	let buffer = new Uint8Array(CHUNK_BYTES);
	let filled = 0;
	let size = 0;
	let seq = 0;
	// Set by the first flush (closures defeat narrowing of plain `let`s).
	const stored: { fileId: string | null; type: FileType | null } = { fileId: null, type: null };

	// Reads what is left and throws it away; true when the body ended within the limit.
	const drain = async () => {
		for (;;) {
			const next = await reader.read().catch(() => null);
			if (!next) return false;
			if (next.done) return true;
			size += next.value.byteLength;
			if (size > maxBytes) return false;
		}
	};

	const flush = async (last: boolean) => {
		const data = buffer.subarray(0, filled);
		if (!stored.type) {
			const found = sniff({ head: data, name, complete: last });
			if (!found.ok) {
				const refused = new UploadRefused(found.reason, found.type);
				refused.bodyRead = last || (await drain());
				throw refused;
			}
			stored.type = found.type;
			stored.fileId = await filesRepo.begin(db, {
				orgId,
				dealId,
				name,
				note,
				mime: found.type.mime,
				uploadedBy: userId
			});
		}
		if (filled === 0) return;
		await writeChunk(db, { fileId: stored.fileId!, seq: seq++, data });
		buffer = new Uint8Array(CHUNK_BYTES);
		filled = 0;
	};

	try {
		for (;;) {
			let next: Awaited<ReturnType<typeof reader.read>>;
			try {
				next = await reader.read();
			} catch (err) {
				// adapter-node's own body limit (BODY_SIZE_LIMIT) errors the stream with a 413.
				const status = (err as { status?: unknown } | null)?.status;
				throw new UploadRefused(status === 413 ? 'tooLarge' : 'aborted');
			}
			if (next.done) break;
			let piece = next.value;
			size += piece.byteLength;
			if (size > maxBytes) throw new UploadRefused('tooLarge');
			hash.update(piece);
			while (piece.byteLength > 0) {
				const n = Math.min(piece.byteLength, CHUNK_BYTES - filled);
				buffer.set(piece.subarray(0, n), filled);
				filled += n;
				piece = piece.subarray(n);
				if (filled === CHUNK_BYTES) await flush(false);
			}
		}
		if (size === 0) throw Object.assign(new UploadRefused('empty'), { bodyRead: true });
		await flush(true);
		const digest = hash.digest();
		const fileId = stored.fileId!;
		const counted = await filesRepo.complete(db, {
			orgId,
			fileId,
			size,
			sha256: digest,
			quotaBytes: storageQuotaBytes[plan]
		});
		if (!counted) throw Object.assign(new UploadRefused('quota'), { bodyRead: true });
		return { id: fileId, size, type: stored.type!, sha256: digest.toString('hex') };
	} catch (err) {
		reader.releaseLock();
		if (stored.fileId) await filesRepo.abandon(db, { fileId: stored.fileId });
		throw err;
	}
}
