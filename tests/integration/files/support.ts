import net from 'node:net';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal, setPipelineSettings } from '../../../src/lib/board/ops';
import { deals, pipelineSettings } from '../../../src/lib/server/db/schema';
import type { AppServer } from '../../support/app-server';
import { acked, connect } from '../../support/collab-client';
import { cookieFor } from '../security/http';

// Steps for the file specs: deals made the way the app makes them (a member's collab client,
// then the projection), uploads over HTTP, and a raw socket for watching when the server
// answers an upload it refuses.

export async function until(check: () => Promise<boolean>, ms = 10_000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await check()) return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return false;
}

async function open(app: AppServer, userId: string, documentName: string) {
	const c = connect({ origin: app.origin, documentName, cookie: await cookieFor(app, userId) });
	await c.synced;
	return c;
}

/** Sets a pipeline's visibility and editing as its owner would, and waits for the SQL row. */
export async function setSettings(
	app: AppServer,
	{
		ownerId,
		pipelineId,
		visibility,
		editing
	}: { ownerId: string; pipelineId: string; visibility: 'all' | 'own'; editing: 'all' | 'own' }
) {
	const pipe = await open(app, ownerId, pipelineDocName(pipelineId));
	setPipelineSettings(pipe.doc, { visibility, editing }, { kind: 'user', userId: ownerId });
	await acked(pipe.provider);
	pipe.destroy();
	const done = await until(async () => {
		const [row] = await app.db
			.select()
			.from(pipelineSettings)
			.where(eq(pipelineSettings.pipelineId, pipelineId));
		return row?.visibility === visibility && row.editing === editing;
	});
	if (!done) throw new Error('pipeline settings never reached pipeline_settings');
}

/** A deal created by its owner through collab, once the projection has its row. */
export async function createDealAs(
	app: AppServer,
	{
		userId,
		pipelineId,
		title,
		amount = 12_000_000,
		customer = {}
	}: {
		userId: string;
		pipelineId: string;
		title: string;
		amount?: number;
		/** Typed on the card, as a quick-add does. */
		customer?: { customerName?: string; customerPhone?: string };
	}
) {
	const pipe = await open(app, userId, pipelineDocName(pipelineId));
	const shard = await open(app, userId, dealsDocName(pipelineId, userId));
	const id = uuidv7();
	createDeal(
		{ pipelineDoc: pipe.doc, dealDoc: shard.doc },
		{ id, title, stageId: readStages(pipe.doc)[0]!.id, ownerId: userId, amount, ...customer },
		{ kind: 'user', userId }
	);
	await acked(shard.provider);
	pipe.destroy();
	shard.destroy();
	const projected = await until(async () => {
		const [row] = await app.db.select({ id: deals.id }).from(deals).where(eq(deals.id, id));
		return row !== undefined;
	});
	if (!projected) throw new Error(`deal ${id} never reached the deals table`);
	return id;
}

export type RawResult = {
	/** The status line's code, or null when no answer came. */
	status: number | null;
	response: string;
	/** Body bytes written before the answer arrived. */
	sentBeforeAnswer: number;
	/** The server ended the connection (FIN or reset) after answering. */
	closedByServer: boolean;
};

/**
 * Sends an upload over a raw socket, paced a piece at a time, and stops sending the moment the
 * server answers: what was sent by then shows how much the server read before refusing.
 * `declaredLength` sends a Content-Length (and only `sendBytes` of body); otherwise the body is
 * chunked, as a client that does not say its size sends it.
 */
export function rawUpload(
	app: AppServer,
	{
		path,
		cookie,
		head,
		sendBytes,
		declaredLength,
		readAfterMs
	}: {
		path: string;
		cookie: string;
		head: Uint8Array;
		sendBytes: number;
		declaredLength?: number;
		/** Reads nothing until this long after the last byte is sent (a busy client). */
		readAfterMs?: number;
	}
): Promise<RawResult> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(app.port, '127.0.0.1');
		let response = '';
		let sent = 0;
		let sentBeforeAnswer = -1;
		let closedByServer = false;
		const chunked = declaredLength === undefined;
		const timer = setTimeout(() => finish(), 15_000);
		let finished = false;
		const finish = () => {
			if (finished) return;
			finished = true;
			clearTimeout(timer);
			socket.destroy();
			const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
			resolve({
				status: status ? Number(status[1]) : null,
				response,
				sentBeforeAnswer: sentBeforeAnswer === -1 ? sent : sentBeforeAnswer,
				closedByServer
			});
		};
		socket.on('data', (d) => {
			if (sentBeforeAnswer === -1) sentBeforeAnswer = sent;
			response += d.toString('utf8');
			// A whole answer on a connection kept open: give the server a moment to close it.
			const [head, body = ''] = response.split('\r\n\r\n');
			const length = /\r\ncontent-length: (\d+)/i.exec(head ?? '');
			if (length && Buffer.byteLength(body) >= Number(length[1])) setTimeout(finish, 500);
		});
		socket.on('end', () => {
			closedByServer = true;
			finish();
		});
		socket.on('error', (err: NodeJS.ErrnoException) => {
			if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
				closedByServer = true;
				finish();
			} else reject(err);
		});
		socket.on('connect', async () => {
			if (readAfterMs !== undefined) socket.pause();
			const headers = [
				`POST ${path} HTTP/1.1`,
				`Host: localhost:${app.port}`,
				`Origin: ${app.origin}`,
				`Cookie: ${cookie}`,
				'Content-Type: application/octet-stream',
				'Accept: application/json',
				chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${declaredLength}`
			];
			socket.write(headers.join('\r\n') + '\r\n\r\n');
			// Two buffers, never changed once written: a socket keeps a reference to what it has
			// not sent yet.
			const filler = Buffer.alloc(64 * 1024, 0x41);
			const first = Buffer.from(filler);
			Buffer.from(head).copy(first);
			while (sent < sendBytes && sentBeforeAnswer === -1 && !socket.destroyed) {
				const n = Math.min(filler.length, sendBytes - sent);
				const data = (sent === 0 ? first : filler).subarray(0, n);
				// Every part of a chunk is written whatever the first write says: `a && b && c` skipped
				// the data when the size line filled the buffer, and the server then read a malformed
				// body (HPE_STRICT "Expected LF after chunk data", answered 400 instead of 413).
				const ok = chunked
					? [`${n.toString(16)}\r\n`, data, '\r\n'].map((part) => socket.write(part)).every(Boolean)
					: socket.write(data);
				sent += n;
				// Paced: give the server time to read and answer between pieces.
				await new Promise((r) => (ok ? setTimeout(r, 2) : socket.once('drain', r)));
			}
			if (chunked && sentBeforeAnswer === -1 && !socket.destroyed) socket.write('0\r\n\r\n');
			if (readAfterMs !== undefined) setTimeout(() => socket.resume(), readAfterMs);
		});
	});
}
