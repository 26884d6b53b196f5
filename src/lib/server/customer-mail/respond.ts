import { json } from '@sveltejs/kit';
import { formatSize } from '$lib/files/names';
import type { CustomerMailError } from '$lib/customer-mail/types';
import { translate, type Locale, type MessageKey } from '$lib/i18n';
import type { Invalid } from './forms';
import type { MailRefused } from './send';

// Refusals of the deal email endpoint as JSON in the user's language.

const noStore = { 'cache-control': 'private, no-store' };

export function answer(body: unknown, status = 200) {
	return json(body, { status, headers: noStore });
}

function error(status: number, body: CustomerMailError) {
	return json(body, { status, headers: noStore });
}

export function invalid(locale: Locale, { field, key, params }: Invalid) {
	return error(400, { code: 'invalid', field, message: translate(locale, key, params) });
}

export function forbidden(locale: Locale) {
	return error(403, {
		code: 'forbidden',
		message: translate(locale, 'customerMail.error.forbidden')
	});
}

const statusOf: Record<MailRefused['code'], number> = {
	keyReused: 409,
	fileGone: 400,
	tooMany: 400,
	tooLarge: 413
};

export function refused(locale: Locale, err: MailRefused) {
	// Sizes read as sizes; the raw numbers stay in the code's params for programs.
	const shown = Object.fromEntries(
		Object.entries(err.params).map(([k, v]) =>
			(k === 'size' || k === 'max') && err.code === 'tooLarge' && typeof v === 'number'
				? [k, formatSize(v, locale)]
				: [k, v]
		)
	);
	return error(statusOf[err.code], {
		code: err.code,
		message: translate(locale, `customerMail.error.${err.code}` as MessageKey, shown),
		...(err.field && { field: err.field })
	});
}
