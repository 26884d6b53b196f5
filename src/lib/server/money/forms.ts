import { z } from 'zod';
import { paymentMethods } from '$lib/money/methods';
import type { MessageKey } from '$lib/i18n';

// The JSON bodies of the payment and schedule endpoints. Each message is a key of
// messages/ledger.ts; the endpoint translates it and names the field.

/** 10^15 đồng, as for deal amounts (src/lib/board/validate.ts). */
export const MAX_AMOUNT = 1_000_000_000_000_000;
export const ledgerLimits = { reference: 100, note: 1000, reason: 500, key: 100 } as const;

const amount = z
	.number({ error: 'ledger.error.amount' })
	.int('ledger.error.amount')
	.positive('ledger.error.amount')
	.max(MAX_AMOUNT, 'ledger.error.amountMax');

const day = z
	.string({ error: 'ledger.error.date' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'ledger.error.date')
	.refine((s) => {
		const d = new Date(`${s}T00:00:00Z`);
		return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= '2000-01-01';
	}, 'ledger.error.date');

const text = (max: number, key: MessageKey) =>
	z
		.string()
		.trim()
		.max(max, key)
		.refine((s) => !s.includes('\u0000'), key)
		.default('');

const idempotencyKey = z
	.string({ error: 'ledger.error.key' })
	.min(8, 'ledger.error.key')
	.max(ledgerLimits.key, 'ledger.error.key')
	.regex(/^[\w-]+$/, 'ledger.error.key');

export const paymentSchema = z.object({
	idempotencyKey,
	amount,
	paidOn: day,
	method: z.enum(paymentMethods, { error: 'ledger.error.method' }),
	reference: text(ledgerLimits.reference, 'ledger.error.reference'),
	note: text(ledgerLimits.note, 'ledger.error.note'),
	overpayment: z.boolean({ error: 'ledger.error.invalid' }).default(false),
	contractId: z.uuid('ledger.error.contract').nullish()
});
export type PaymentInput = z.infer<typeof paymentSchema>;

export const voidSchema = z.object({
	idempotencyKey,
	reason: z
		.string({ error: 'ledger.error.reason' })
		.trim()
		.min(1, 'ledger.error.reason')
		.max(ledgerLimits.reason, 'ledger.error.reasonMax')
});
export type VoidInput = z.infer<typeof voidSchema>;

export const instalmentSchema = z.object({
	dueOn: day,
	amount,
	note: text(ledgerLimits.note, 'ledger.error.note'),
	contractId: z.uuid('ledger.error.contract').nullish()
});
export type InstalmentInput = z.infer<typeof instalmentSchema>;
export const instalmentPatchSchema = instalmentSchema.omit({ contractId: true }).partial();

export type Invalid = { field: string; key: MessageKey; params?: Record<string, number> };

/** The body parsed, or the first problem with the field it concerns. */
export function parseBody<T extends z.ZodType>(
	schema: T,
	body: unknown
): { ok: true; value: z.infer<T> } | { ok: false; invalid: Invalid } {
	const r = schema.safeParse(body);
	if (r.success) return { ok: true, value: r.data };
	const issue = r.error.issues[0]!;
	const field = issue.path.map(String).join('.') || 'body';
	const key = (
		issue.message.startsWith('ledger.') ? issue.message : 'ledger.error.invalid'
	) as MessageKey;
	const params: Record<string, number> = {
		max: field === 'amount' ? MAX_AMOUNT : ((ledgerLimits as Record<string, number>)[field] ?? 0)
	};
	return { ok: false, invalid: { field, key, params } };
}
