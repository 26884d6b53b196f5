import { z } from 'zod';
import { isDay } from '$lib/contracts/dates';
import { text, type FieldError, type FieldErrors } from '$lib/forms/validate';
import { parseVnd } from '$lib/format/money';
import { isMessageKey } from '$lib/i18n';

// The contract forms (new, edit, renew) as JSON bodies: every field checked, each problem a
// message key for its field, so the drawer shows them beside the inputs and keeps what was typed.

export const contractLimits = {
	number: 50,
	title: 200,
	value: 1_000_000_000_000_000,
	noticeDays: 365,
	dealTitle: 200
} as const;

// Amounts arrive as typed ("150.000.000", "1,5 tỷ") or as a number.
const money = z.union([z.number(), z.string()]).transform((v, ctx) => {
	const n = typeof v === 'number' ? v : v.trim() === '' ? null : parseVnd(v);
	if (n === null || !Number.isSafeInteger(n) || n < 0 || n > contractLimits.value) {
		ctx.addIssue({ code: 'custom', message: 'contracts.error.value' });
		return z.NEVER;
	}
	return n;
});

const day = (key: 'contracts.error.date' | 'contracts.error.startsOn') =>
	z.string().trim().refine(isDay, key);
const optionalDay = z
	.string()
	.trim()
	.refine((s) => s === '' || isDay(s), 'contracts.error.date')
	.transform((s) => (s === '' ? null : s))
	.nullable()
	.optional()
	.transform((s) => s ?? null);

const number = z
	.string({ error: 'contracts.error.numberRequired' })
	.trim()
	.min(1, 'contracts.error.numberRequired')
	.max(contractLimits.number, 'contracts.error.numberTooLong')
	.pipe(text({ max: contractLimits.number }));

const fields = {
	number,
	title: z
		.string({ error: 'contracts.error.titleRequired' })
		.trim()
		.min(1, 'contracts.error.titleRequired')
		.pipe(text({ max: contractLimits.title })),
	value: money,
	signedOn: optionalDay,
	startsOn: day('contracts.error.startsOn'),
	endsOn: optionalDay,
	fileId: z
		.uuid('contracts.error.file')
		.nullable()
		.optional()
		.or(z.literal('').transform(() => null))
		.transform((s) => s ?? null),
	autoRenew: z.boolean().optional().default(false),
	noticeDays: z.coerce
		.number({ error: 'contracts.error.noticeDays' })
		.int('contracts.error.noticeDays')
		.min(0, 'contracts.error.noticeDays')
		.max(contractLimits.noticeDays, 'contracts.error.noticeDays')
		.optional()
		.default(30)
};

const endsAfterStart = (c: { startsOn?: unknown; endsOn?: unknown }) =>
	typeof c.startsOn !== 'string' || typeof c.endsOn !== 'string' || c.endsOn >= c.startsOn;

// Checked even when other fields are wrong, so one answer names every problem.
const bothDays = ({ value }: { value: unknown }) => {
	const v = value as { startsOn?: unknown; endsOn?: unknown };
	return (
		typeof v.startsOn === 'string' &&
		isDay(v.startsOn) &&
		typeof v.endsOn === 'string' &&
		isDay(v.endsOn)
	);
};

export const contractSchema = z.object(fields).refine(endsAfterStart, {
	message: 'contracts.error.endsBeforeStart',
	path: ['endsOn'],
	when: bothDays
});
export type ContractInput = z.output<typeof contractSchema>;

export const renewSchema = z
	.object({
		number,
		title: fields.title.optional(),
		value: money.optional(),
		signedOn: optionalDay,
		startsOn: fields.startsOn.optional(),
		endsOn: optionalDay,
		fileId: fields.fileId,
		autoRenew: z.boolean().optional(),
		noticeDays: fields.noticeDays.optional(),
		/** Make a renewal deal too: where, and (optionally) in which stage and under which title. */
		deal: z
			.object({
				pipelineId: z.uuid('contracts.error.pipeline'),
				stageId: z
					.uuid('contracts.error.stage')
					.optional()
					.or(z.literal('').transform(() => undefined)),
				title: z
					.string()
					.trim()
					.max(contractLimits.dealTitle)
					.pipe(text({ max: contractLimits.dealTitle, min: 0 }))
					.optional()
			})
			.nullable()
			.optional()
			.transform((d) => d ?? null)
	})
	.refine(endsAfterStart, {
		message: 'contracts.error.endsBeforeStart',
		path: ['endsOn'],
		when: bothDays
	});
export type RenewInput = z.output<typeof renewSchema>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Checks a JSON body against a schema: the data, or one message per field (the first). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.output<S>> {
	const parsed = schema.safeParse(body ?? {});
	if (parsed.success) return { ok: true, data: parsed.data };
	const errors: FieldErrors = {};
	for (const issue of parsed.error.issues) {
		const field = issue.path.map(String).join('.') || '_form';
		if (!errors[field]) errors[field] = toFieldError(issue);
	}
	return { ok: false, errors };
}

function toFieldError(issue: z.core.$ZodIssue): FieldError {
	if (isMessageKey(issue.message)) return { key: issue.message };
	if (issue.code === 'too_big') {
		return { key: 'common.tooLong', params: { max: Number(issue.maximum) } };
	}
	if (issue.code === 'too_small' || issue.code === 'invalid_type')
		return { key: 'common.required' };
	return { key: 'form.invalid' };
}
