import { Resend } from 'resend';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeResend } from '../../support/fake-resend';

// The fake must speak Resend's protocol as the official SDK understands it, or the mail specs
// prove nothing about the real service.
const fake = await startFakeResend();
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const resend = new Resend(fake.apiKey, { baseUrl: fake.url });
const message = {
	from: 'Chốt <no-reply@chot.local>',
	to: ['an@example.vn'],
	subject: 'Chào',
	text: 'Hi'
};

describe('fake Resend', () => {
	it('accepts a message with a bearer key and answers with its id', async () => {
		const { data, error } = await resend.emails.send(message);
		expect(error).toBeNull();
		expect(data?.id).toBe(fake.deliveries[0]!.id);
		expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/emails', status: 200 });
		expect(fake.requests[0]!.body).toMatchObject({ subject: 'Chào', to: ['an@example.vn'] });
	});

	it('answers 401 without a bearer key and with a wrong one', async () => {
		const none = await fetch(`${fake.url}/emails`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(message)
		});
		expect(none.status).toBe(401);
		expect(await none.json()).toMatchObject({ statusCode: 401, name: 'missing_api_key' });

		const wrong = await new Resend('re_other', { baseUrl: fake.url }).emails.send(message);
		expect(wrong.error).toMatchObject({ statusCode: 401, name: 'validation_error' });
		expect(fake.deliveries).toHaveLength(0);
	});

	it('answers 422 validation_error when from, to or subject is missing', async () => {
		for (const field of ['from', 'to', 'subject'] as const) {
			const { error } = await resend.emails.send({ ...message, [field]: undefined } as never);
			expect(error).toMatchObject({ statusCode: 422, name: 'validation_error' });
			expect(error?.message).toContain(field);
		}
		expect(fake.deliveries).toHaveLength(0);
	});

	it('replays the first id for the same key and body without delivering again', async () => {
		const first = await resend.emails.send(message, { idempotencyKey: 'k-1' });
		const again = await resend.emails.send(message, { idempotencyKey: 'k-1' });
		expect(again.data?.id).toBe(first.data?.id);
		expect(fake.deliveries).toHaveLength(1);
		expect(fake.requests).toHaveLength(2);
	});

	it('refuses the same key with another body with 409 invalid_idempotent_request', async () => {
		await resend.emails.send(message, { idempotencyKey: 'k-2' });
		const { error } = await resend.emails.send(
			{ ...message, subject: 'Khác' },
			{ idempotencyKey: 'k-2' }
		);
		expect(error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
		expect(fake.deliveries).toHaveLength(1);
	});

	it('fails the next requests as told, then recovers', async () => {
		fake.failNext(1, 500);
		fake.failNext(1, 429);
		fake.failNext(1, 'drop');
		expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: 500 });
		expect((await resend.emails.send(message)).error).toMatchObject({
			statusCode: 429,
			name: 'rate_limit_exceeded'
		});
		// A dropped connection surfaces in the SDK as an error without a status.
		expect((await resend.emails.send(message)).error).toMatchObject({ statusCode: null });
		expect((await resend.emails.send(message)).error).toBeNull();
		expect(fake.requests.map((r) => r.status)).toEqual([500, 429, 'dropped', 200]);
		expect(fake.deliveries).toHaveLength(1);
	});
});
