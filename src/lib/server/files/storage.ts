import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { fileChunks } from '../db/schema';

// Where file content lives: in PostgreSQL (every instance reads the same database), cut into
// pieces so that neither an upload nor a download ever holds a whole file in memory.

/** Size of a stored piece. TOAST keeps it out of the table's pages; 1 MiB per query round trip. */
export const CHUNK_BYTES = 1024 * 1024;

export async function writeChunk(
	db: Tx,
	{ fileId, seq, data }: { fileId: string; seq: number; data: Uint8Array }
) {
	await db.insert(fileChunks).values({ fileId, seq, data });
}

export async function removeContent(db: Tx, { fileId }: { fileId: string }) {
	await db.delete(fileChunks).where(eq(fileChunks.fileId, fileId));
}

/**
 * The content as a stream that reads one piece per pull, so a slow reader holds at most about
 * two pieces in memory. A piece missing before `size` bytes were sent (the file was deleted in
 * the meantime) errors the stream, which cuts the response short rather than sending less than
 * its Content-Length promised.
 */
export function contentStream(
	db: Tx,
	{ fileId, size }: { fileId: string; size: number }
): ReadableStream<Uint8Array> {
	let seq = 0;
	let sent = 0;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (sent >= size) {
				controller.close();
				return;
			}
			const [row] = await db
				.select({ data: fileChunks.data })
				.from(fileChunks)
				.where(and(eq(fileChunks.fileId, fileId), eq(fileChunks.seq, seq)));
			if (!row) {
				controller.error(new Error(`file ${fileId}: piece ${seq} is missing`));
				return;
			}
			seq++;
			sent += row.data.byteLength;
			controller.enqueue(row.data);
		}
	});
}

/** The whole content in memory: for the thumbnail job only, with images up to the upload limit. */
export async function readAll(db: Tx, { fileId }: { fileId: string }): Promise<Buffer> {
	const rows = await db
		.select({ data: fileChunks.data })
		.from(fileChunks)
		.where(eq(fileChunks.fileId, fileId))
		.orderBy(fileChunks.seq);
	return Buffer.concat(rows.map((r) => r.data));
}

/** Bytes stored for a file, for tests and checks. */
export async function storedBytes(db: Tx, { fileId }: { fileId: string }): Promise<number> {
	const [row] = await db
		.select({ n: sql<string>`coalesce(sum(octet_length(${fileChunks.data})), 0)` })
		.from(fileChunks)
		.where(eq(fileChunks.fileId, fileId));
	return Number(row?.n ?? 0);
}
