import { z } from 'zod';
import { isMessageKey, type MessageKey, type Params } from '$lib/i18n';

// Form validation with field-level errors that the page translates into the user's language.
// A schema's custom messages are message keys; zod's own issues map to common keys.
export type FieldError = { key: MessageKey; params?: Params };
export type FieldErrors = Record<string, FieldError>;

export type FormResult<T> =
	{ ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> };

// Never echoed back into the page.
const SECRET_FIELDS = new Set(['password', 'newPassword', 'currentPassword', 'passwordConfirm']);

export function parseForm<S extends z.ZodType>(schema: S, form: FormData): FormResult<z.output<S>> {
	const raw: Record<string, string> = {};
	for (const [k, v] of form.entries()) if (typeof v === 'string') raw[k] = v;
	const parsed = schema.safeParse(raw);
	if (parsed.success) return { ok: true, data: parsed.data };
	const errors: FieldErrors = {};
	for (const issue of parsed.error.issues) {
		const field = String(issue.path[0] ?? '_form');
		if (!errors[field]) errors[field] = toFieldError(issue);
	}
	const values = Object.fromEntries(Object.entries(raw).filter(([k]) => !SECRET_FIELDS.has(k)));
	return { ok: false, errors, values };
}

function toFieldError(issue: z.core.$ZodIssue): FieldError {
	if (isMessageKey(issue.message)) return { key: issue.message };
	switch (issue.code) {
		case 'too_small':
			return Number(issue.minimum) <= 1
				? { key: 'common.required' }
				: { key: 'form.tooShort', params: { min: Number(issue.minimum) } };
		case 'too_big':
			return { key: 'common.tooLong', params: { max: Number(issue.maximum) } };
		case 'invalid_format':
			return issue.format === 'email' ? { key: 'common.invalidEmail' } : { key: 'form.invalid' };
		case 'invalid_type':
			return { key: 'common.required' };
		default:
			return { key: 'form.invalid' };
	}
}

// Text as typed, trimmed at the ends only: HTML, emoji and RTL marks are kept exactly and
// escaped when shown. Control characters (other than tab/newline) are refused, not stripped.
export const text = ({ max, min = 1 }: { max: number; min?: number }) =>
	z
		.string()
		.trim()
		.min(min)
		.max(max)
		// eslint-disable-next-line no-control-regex -- matching control characters is the point
		.refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'form.controlChars');

export const email = () => z.string().trim().max(254).pipe(z.email());

export const password = () => z.string().min(8, 'form.passwordShort').max(256);
