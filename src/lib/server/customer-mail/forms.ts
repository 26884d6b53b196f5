import { z } from 'zod';
import { customerMailLimits as limits } from '$lib/customer-mail/limits';
import type { MessageKey } from '$lib/i18n';

// The JSON body of the send endpoint and the template form. Each message is a key of
// messages/customerMail.ts; the endpoint translates it and names the field.

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- a subject is one header line
const LINE_BREAK = /[\r\n\u2028\u2029\u0000-\u001f\u007f]/;

const subject = z
	.string({ error: 'customerMail.error.subject' })
	.trim()
	.min(1, 'customerMail.error.subject')
	.max(limits.subject, 'customerMail.error.subjectMax')
	.refine((s) => !LINE_BREAK.test(s), 'customerMail.error.subjectLine');

// Kept as typed (no trimming): what the writer saw in the box is what the customer reads.
const body = z
	.string({ error: 'customerMail.error.body' })
	.refine((s) => s.trim() !== '', 'customerMail.error.body')
	.refine((s) => [...s].length <= limits.body, 'customerMail.error.bodyMax')
	.refine((s) => !CONTROL.test(s), 'customerMail.error.controlChars');

export const sendSchema = z.object({
	idempotencyKey: z.uuid({ error: 'customerMail.error.key' }),
	to: z
		.string({ error: 'customerMail.error.toRequired' })
		.trim()
		.min(1, 'customerMail.error.toRequired')
		.max(254, 'customerMail.error.to')
		.pipe(z.email({ error: 'customerMail.error.to' })),
	subject,
	body,
	fileIds: z
		.array(z.uuid({ error: 'customerMail.error.files' }), { error: 'customerMail.error.files' })
		.max(limits.attachments, 'customerMail.error.tooMany')
		.default([])
});
export type SendInput = z.infer<typeof sendSchema>;

export const templateSchema = z.object({
	name: z
		.string({ error: 'common.required' })
		.trim()
		.min(1, 'common.required')
		.max(limits.templateName, 'customerMail.error.nameMax')
		.refine((s) => !LINE_BREAK.test(s), 'form.controlChars'),
	subject,
	body
});

export const signatureSchema = z.object({
	signature: z
		.string()
		.transform((s) => s.replace(/\r\n?/g, '\n').replace(/\s+$/, ''))
		.refine((s) => [...s].length <= limits.signature, 'customerMail.error.signatureMax')
		.refine((s) => !CONTROL.test(s), 'form.controlChars')
		.default('')
});

export type Invalid = { field: string; key: MessageKey; params: Record<string, number> };

const maxOf: Record<string, number> = {
	subject: limits.subject,
	body: limits.body,
	fileIds: limits.attachments,
	name: limits.templateName,
	signature: limits.signature
};

/** The body parsed, or its first problem with the field it concerns. */
export function parseBody<T extends z.ZodType>(
	schema: T,
	input: unknown
): { ok: true; value: z.infer<T> } | { ok: false; invalid: Invalid } {
	const r = schema.safeParse(input);
	if (r.success) return { ok: true, value: r.data };
	const issue = r.error.issues[0]!;
	const field = String(issue.path[0] ?? 'body');
	const key = (
		issue.message.startsWith('customerMail.') ? issue.message : 'customerMail.error.invalid'
	) as MessageKey;
	return { ok: false, invalid: { field, key, params: { max: maxOf[field] ?? 0 } } };
}
