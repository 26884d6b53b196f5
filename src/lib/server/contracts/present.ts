import { json } from '@sveltejs/kit';
import type { ContractError } from '$lib/contracts/types';
import type { FieldErrors } from '$lib/forms/validate';
import { translate, type Locale, type MessageKey } from '$lib/i18n';
import type { ContractRefusal, ContractRefused } from './contracts.repo';

// Refusals as JSON in the user's language: `{ code, message, field? }`, plus every field's
// message for a form (`errors`), so the drawer shows each beside its input.

const refusals: Record<ContractRefusal, { status: number; key: MessageKey }> = {
	not_found: { status: 404, key: 'contracts.error.notFound' },
	forbidden: { status: 403, key: 'contracts.error.forbidden' },
	number_taken: { status: 409, key: 'contracts.error.numberTaken' },
	file: { status: 400, key: 'contracts.error.file' },
	cancelled: { status: 409, key: 'contracts.error.cancelledEdit' },
	not_active: { status: 409, key: 'contracts.error.notActive' },
	already_renewed: { status: 409, key: 'contracts.error.alreadyRenewed' },
	no_end: { status: 409, key: 'contracts.error.noEnd' },
	ends_before_start: { status: 400, key: 'contracts.error.endsBeforeStart' },
	pipeline: { status: 400, key: 'contracts.error.pipeline' },
	stage: { status: 400, key: 'contracts.error.stage' },
	owner: { status: 409, key: 'contracts.error.owner' }
};

const noStore = { 'cache-control': 'no-store' };

export function refused(locale: Locale, err: ContractRefused) {
	const { status, key } = refusals[err.code];
	const message = translate(locale, key, err.params);
	const body: ContractError = { code: err.code, message };
	if (err.field) {
		body.field = err.field;
		body.errors = { [err.field]: message };
	}
	return json(body, { status, headers: noStore });
}

export function invalid(locale: Locale, errors: FieldErrors) {
	const messages = Object.fromEntries(
		Object.entries(errors).map(([field, e]) => [field, translate(locale, e.key, e.params)])
	);
	const [field, message] = Object.entries(messages)[0] ?? ['_form', ''];
	const body: ContractError = {
		code: 'invalid',
		message: message || translate(locale, 'form.invalid'),
		field,
		errors: messages
	};
	return json(body, { status: 400, headers: noStore });
}

export function forbidden(locale: Locale) {
	return json(
		{ code: 'forbidden', message: translate(locale, 'contracts.error.forbidden') },
		{ status: 403, headers: noStore }
	);
}

/** The body as JSON, or undefined when it is not (the schema then reports what is missing). */
export async function readJson(request: Request): Promise<unknown> {
	try {
		return await request.json();
	} catch {
		return undefined;
	}
}
