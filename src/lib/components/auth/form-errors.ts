import type { FieldError } from '$lib/forms/validate';
import type { I18n } from '$lib/i18n/context';

// Reads what a failed action returned ({ values, errors, formError }) for the auth pages.
export type Failure = {
	errors?: Partial<Record<string, FieldError>>;
	formError?: FieldError;
	values?: Partial<Record<string, string>>;
} | null;

export function fieldError(i18n: I18n, form: Failure | undefined, name: string): string | null {
	const e = form?.errors?.[name];
	return e ? i18n.t(e.key, e.params) : null;
}

export function formError(i18n: I18n, form: Failure | undefined): string | null {
	const e = form?.formError;
	return e ? i18n.t(e.key, e.params) : null;
}

export function typed(form: Failure | undefined, name: string): string {
	return form?.values?.[name] ?? '';
}
