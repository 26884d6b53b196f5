import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { ErrorResponse } from 'resend';
import type { Tx } from '../db';
import { fileChunks, files } from '../db/schema';

// Mail with files attached, sent to Resend's `POST /emails` as a stream. The SDK builds the
// whole JSON body as one string: 25 MiB of files would be ~34 MB of base64, held two or three
// times over per send, five sends at a time per worker. Here the body is written while it is
// sent, one stored 1 MiB piece at a time, so a send holds about two pieces whatever the files
// weigh. The body is the same JSON the SDK would send (`attachments[].content` in base64), with
// an exact Content-Length, so Resend sees an ordinary request and the fake server can check it.

export type Attachment = { fileId: string; filename: string; size: number; mime: string };

/**
 * The stored files behind an email's attachments, in the email's order; null when one is gone
 * (deleted since the email was written, or never ready): the email cannot be sent as written.
 */
export async function loadAttachments(
	db: Tx,
	{ list }: { list: { fileId: string; filename: string }[] }
): Promise<{ ok: true; attachments: Attachment[] } | { ok: false; missing: string }> {
	const ids = list.map((a) => a.fileId);
	const rows = ids.length
		? await db
				.select({ id: files.id, size: files.size, mime: files.mime })
				.from(files)
				.where(and(inArray(files.id, ids), eq(files.status, 'ready'), isNull(files.deletedAt)))
		: [];
	const byId = new Map(rows.map((r) => [r.id, r]));
	const attachments: Attachment[] = [];
	for (const a of list) {
		const row = byId.get(a.fileId);
		if (!row) return { ok: false, missing: a.filename };
		attachments.push({ fileId: a.fileId, filename: a.filename, size: row.size, mime: row.mime });
	}
	return { ok: true, attachments };
}

const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

type Part = { kind: 'text'; text: Uint8Array } | { kind: 'file'; attachment: Attachment };

/** The request body as a stream, and its exact length in bytes. */
export function attachmentBody(
	db: Tx,
	{ message, attachments }: { message: Record<string, unknown>; attachments: Attachment[] }
): { stream: ReadableStream<Uint8Array>; length: number } {
	const encoder = new TextEncoder();
	const text = (s: string): Part => ({ kind: 'text', text: encoder.encode(s) });
	// The message's own fields, then `"attachments":[…]` appended inside the same object.
	const head = JSON.stringify(message);
	const parts: Part[] = [text(`${head.slice(0, -1)}${head === '{}' ? '' : ','}"attachments":[`)];
	attachments.forEach((a, i) => {
		parts.push(
			text(
				`${i > 0 ? ',' : ''}{"filename":${JSON.stringify(a.filename)},"content_type":${JSON.stringify(a.mime)},"content":"`
			),
			{ kind: 'file', attachment: a },
			text('"}')
		);
	});
	parts.push(text(']}'));
	const length = parts.reduce(
		(n, p) => n + (p.kind === 'text' ? p.text.byteLength : base64Length(p.attachment.size)),
		0
	);

	let index = 0;
	// Within the current file: the next piece to read, bytes read so far, and the 0–2 bytes left
	// over from the last piece (base64 encodes 3 bytes at a time; a piece is 1 MiB, not a
	// multiple of 3).
	let seq = 0;
	let read = 0;
	let carry = Buffer.alloc(0);
	const stream = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const part = parts[index];
			if (!part) {
				controller.close();
				return;
			}
			if (part.kind === 'text') {
				index++;
				controller.enqueue(part.text);
				return;
			}
			const { fileId, size } = part.attachment;
			if (read >= size) {
				if (read !== size) {
					controller.error(new Error(`file ${fileId}: more bytes stored than its size`));
					return;
				}
				if (carry.byteLength) controller.enqueue(encoder.encode(carry.toString('base64')));
				index++;
				seq = 0;
				read = 0;
				carry = Buffer.alloc(0);
				return;
			}
			const [row] = await db
				.select({ data: fileChunks.data })
				.from(fileChunks)
				.where(and(eq(fileChunks.fileId, fileId), eq(fileChunks.seq, seq)));
			if (!row) {
				// Deleted while being sent: the request is cut short and the send is tried again.
				controller.error(new Error(`file ${fileId}: piece ${seq} is missing`));
				return;
			}
			seq++;
			read += row.data.byteLength;
			const bytes = carry.byteLength
				? Buffer.concat([carry, row.data])
				: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
			const whole = bytes.byteLength - (bytes.byteLength % 3);
			carry = Buffer.from(bytes.subarray(whole));
			controller.enqueue(encoder.encode(bytes.subarray(0, whole).toString('base64')));
		}
	});
	return { stream, length };
}

/**
 * POSTs the message with its attachments to Resend, answering like the SDK does: `data` with the
 * id, or `error` as Resend's `{ name, message, statusCode }`, with `statusCode: null` when no
 * answer came (network, timeout, a file that could not be read).
 */
export async function sendWithAttachments(
	db: Tx,
	{
		apiKey,
		baseUrl = 'https://api.resend.com',
		message,
		attachments,
		idempotencyKey,
		signal
	}: {
		apiKey: string;
		baseUrl?: string;
		message: Record<string, unknown>;
		attachments: Attachment[];
		idempotencyKey: string;
		signal: AbortSignal;
	}
): Promise<{ data: { id: string } | null; error: ErrorResponse | null }> {
	const { stream, length } = attachmentBody(db, { message, attachments });
	let res: Response;
	try {
		res = await fetch(`${baseUrl}/emails`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${apiKey}`,
				'content-type': 'application/json',
				'content-length': String(length),
				'idempotency-key': idempotencyKey,
				'user-agent': 'chot'
			},
			body: stream,
			signal,
			// Required by Node's fetch for a streamed body.
			duplex: 'half'
		} as RequestInit);
	} catch (err) {
		await stream.cancel().catch(() => {});
		return { data: null, error: unanswered(err) };
	}
	const raw = await res.text().catch(() => '');
	const body = parse(raw);
	if (res.ok) {
		const id = body && typeof body === 'object' && 'id' in body ? String(body.id) : '';
		return { data: { id }, error: null };
	}
	if (body && typeof body === 'object' && 'name' in body) {
		const e = body as { name: unknown; message?: unknown };
		return {
			data: null,
			error: {
				name: String(e.name),
				message: String(e.message ?? ''),
				statusCode: res.status
			} as ErrorResponse
		};
	}
	return {
		data: null,
		error: {
			name: 'application_error',
			message: res.statusText || `HTTP ${res.status}`,
			statusCode: res.status
		} as ErrorResponse
	};
}

function unanswered(err: unknown): ErrorResponse {
	const message = err instanceof Error ? err.message : String(err);
	return { name: 'application_error', message, statusCode: null } as ErrorResponse;
}

function parse(raw: string): unknown {
	try {
		return JSON.parse(raw);
	} catch {
		return null;
	}
}
