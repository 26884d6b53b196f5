import { isBoardOpError } from '$lib/board/errors';
import type { FieldErrors } from '$lib/forms/validate';
import type { MessageKey } from '$lib/i18n';

/**
 * A refused board op as field-level form errors (`pipelines.error.<code>` under the op's field),
 * or undefined when `err` is not a BoardOpError (the caller rethrows it). Fields a form does not
 * show (`stageId`, `id`) are reported for the whole form.
 */
export function opErrors(err: unknown, { fields }: { fields: readonly string[] }) {
	if (!isBoardOpError(err)) return undefined;
	const field = err.field && fields.includes(err.field) ? err.field : '_form';
	// Typed without a cast: a code missing from the dictionary fails the typecheck.
	const key: MessageKey = `pipelines.error.${err.code}`;
	const errors: FieldErrors = { [field]: { key, params: err.params } };
	return errors;
}
