import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Resend's `POST /emails`, the one allowed fake: a real HTTP server on a free
 * loopback port that the real `resend` SDK talks to (`RESEND_BASE_URL`). It follows Resend's
 * documented protocol (resend.com/docs/api-reference/errors, …/dashboard/emails/idempotency-keys):
 * - `Authorization: Bearer <key>` is required: none → 401 `missing_api_key`, another key → 401
 *   `validation_error` ("API key is invalid", what the sending endpoints answer);
 * - the JSON body needs `from`, `to` and `subject` → 422 `validation_error` otherwise;
 * - `Idempotency-Key` (1–256 chars, else 400 `invalid_idempotency_key`): the same key with the
 *   same body returns the first id without a second delivery; with another body → 409
 *   `invalid_idempotent_request`; while the first is still in flight → 409
 *   `concurrent_idempotent_requests`;
 * - errors are `{ statusCode, name, message }`; success is `{ id }`.
 * Every request is recorded (headers and body); a delivery keeps Reply-To and attachments (decoded). `failNext` makes the next requests fail with a
 * 5xx, a 429, a 422, or a dropped connection, before any of the above happens.
 */
export type FakeResend = Awaited<ReturnType<typeof startFakeResend>>;

export type RecordedRequest = {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	status: number | 'dropped';
};

export type Delivery = {
	id: string;
	idempotencyKey: string | null;
	from: string;
	to: string[];
	subject: string;
	html?: string;
	text?: string;
	replyTo?: string[];
	/** Decoded from the base64 `content` the API takes, so a test can compare the bytes. */
	attachments?: DeliveredAttachment[];
};

export type DeliveredAttachment = { filename: string; contentType?: string; content: Buffer };

export type Failure = 500 | 502 | 503 | 429 | 422 | 'drop';

type KeyEntry = { bodyHash: string; id: string | null };

export async function startFakeResend({
	apiKey = 're_test',
	latencyMs = 0
}: { apiKey?: string; latencyMs?: number } = {}) {
	const requests: RecordedRequest[] = [];
	const deliveries: Delivery[] = [];
	const keys = new Map<string, KeyEntry>();
	const failures: Failure[] = [];
	let latency = latencyMs;

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const record: RecordedRequest = {
				method: req.method ?? '',
				path: (req.url ?? '').split('?')[0]!,
				headers: req.headers,
				body: parseJson(raw) ?? raw,
				status: 0
			};
			requests.push(record);
			void handle(record, raw, res).catch(() => {
				if (!res.headersSent) reply(res, record, 500, error(500, 'internal_server_error'));
			});
		});
	});

	async function handle(record: RecordedRequest, raw: string, res: http.ServerResponse) {
		const injected = failures.shift();
		if (injected === 'drop') {
			record.status = 'dropped';
			res.socket?.destroy();
			return;
		}
		if (injected === 429) {
			res.setHeader('retry-after', '1');
			return reply(
				res,
				record,
				429,
				error(
					429,
					'rate_limit_exceeded',
					'Too many requests. You can only make 2 requests per second.'
				)
			);
		}
		if (injected === 422) {
			return reply(res, record, 422, error(422, 'validation_error', 'Invalid `to` field.'));
		}
		if (injected) {
			return reply(res, record, injected, error(injected, 'internal_server_error'));
		}

		if (record.path !== '/emails')
			return reply(
				res,
				record,
				404,
				error(404, 'not_found', 'The requested endpoint does not exist.')
			);
		if (record.method !== 'POST')
			return reply(
				res,
				record,
				405,
				error(405, 'method_not_allowed', 'Method is not allowed for the requested path.')
			);

		const auth = record.headers.authorization ?? '';
		if (!auth.startsWith('Bearer ') || auth.length === 'Bearer '.length)
			return reply(
				res,
				record,
				401,
				error(401, 'missing_api_key', 'Missing API key in the authorization header.')
			);
		if (auth.slice('Bearer '.length) !== apiKey)
			return reply(res, record, 401, error(401, 'validation_error', 'API key is invalid'));

		const body = parseJson(raw);
		if (!body || typeof body !== 'object' || Array.isArray(body))
			return reply(
				res,
				record,
				422,
				error(422, 'validation_error', 'The request body must be a JSON object.')
			);
		const b = body as Record<string, unknown>;
		for (const field of ['from', 'to', 'subject'] as const) {
			const v = b[field];
			const empty =
				v === undefined ||
				v === null ||
				v === '' ||
				(Array.isArray(v) && v.length === 0) ||
				(typeof v !== 'string' && !Array.isArray(v));
			if (empty)
				return reply(
					res,
					record,
					422,
					error(422, 'validation_error', `Missing \`${field}\` field.`)
				);
		}

		const key = header(record.headers['idempotency-key']);
		if (key !== null && (key.length < 1 || key.length > 256))
			return reply(
				res,
				record,
				400,
				error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.')
			);
		const bodyHash = createHash('sha256').update(canonical(body)).digest('hex');
		if (key !== null) {
			const seen = keys.get(key);
			if (seen && seen.bodyHash !== bodyHash)
				return reply(
					res,
					record,
					409,
					error(
						409,
						'invalid_idempotent_request',
						'Same idempotency key used with a different request payload.'
					)
				);
			if (seen && seen.id === null)
				return reply(
					res,
					record,
					409,
					error(
						409,
						'concurrent_idempotent_requests',
						'Same idempotency key used while original request is still in progress.'
					)
				);
			if (seen) return reply(res, record, 200, { id: seen.id });
			keys.set(key, { bodyHash, id: null });
		}

		if (latency > 0) await new Promise((r) => setTimeout(r, latency));
		const id = randomUUID();
		deliveries.push({
			id,
			idempotencyKey: key,
			from: String(b.from),
			to: Array.isArray(b.to) ? b.to.map(String) : [String(b.to)],
			subject: String(b.subject),
			html: typeof b.html === 'string' ? b.html : undefined,
			text: typeof b.text === 'string' ? b.text : undefined,
			...(b.reply_to !== undefined && {
				replyTo: Array.isArray(b.reply_to) ? b.reply_to.map(String) : [String(b.reply_to)]
			}),
			...(Array.isArray(b.attachments) && { attachments: b.attachments.map(attachment) })
		});
		if (key !== null) keys.set(key, { bodyHash, id });
		reply(res, record, 200, { id });
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		apiKey,
		/** Every request received, in order, including refused and dropped ones. */
		requests,
		/** Messages accepted for delivery; an idempotent replay adds none. */
		deliveries,
		/** The next `count` requests fail this way, whatever they carry. */
		failNext(count: number, failure: Failure) {
			for (let i = 0; i < count; i++) failures.push(failure);
		},
		/** Delay before accepting a message (keeps its key "in progress" meanwhile). */
		setLatency(ms: number) {
			latency = ms;
		},
		reset() {
			requests.length = 0;
			deliveries.length = 0;
			failures.length = 0;
			keys.clear();
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

function attachment(value: unknown): DeliveredAttachment {
	const a = (value ?? {}) as Record<string, unknown>;
	return {
		filename: String(a.filename ?? ''),
		...(typeof a.content_type === 'string' && { contentType: a.content_type }),
		content: Buffer.from(typeof a.content === 'string' ? a.content : '', 'base64')
	};
}

function reply(res: http.ServerResponse, record: RecordedRequest, status: number, body: object) {
	record.status = status;
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

function error(statusCode: number, name: string, message?: string) {
	return {
		statusCode,
		name,
		message: message ?? 'We are unable to process your request right now, please try again later.'
	};
}

function header(value: string | string[] | undefined): string | null {
	if (value === undefined) return null;
	return Array.isArray(value) ? value.join(',') : value;
}

function parseJson(raw: string): unknown {
	try {
		return JSON.parse(raw);
	} catch {
		return undefined;
	}
}

// Same body, same hash, whatever order the client serialised its keys in.
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}
