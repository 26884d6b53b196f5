import type { vi } from '../ledger';

export const en: Record<keyof typeof vi, string> = {
	'ledger.error.invalid': 'The request was not valid. Please reload the page and try again.',
	'ledger.error.amount': 'Enter an amount above 0, in đồng.',
	'ledger.error.amountMax': 'The amount is too large.',
	'ledger.error.date': 'The date is not valid.',
	'ledger.error.method': 'Choose a payment method.',
	'ledger.error.reference': 'The reference may be at most {max} characters.',
	'ledger.error.note': 'The note may be at most {max} characters.',
	'ledger.error.reason': 'Give a reason for voiding the payment.',
	'ledger.error.reasonMax': 'The reason may be at most {max} characters.',
	'ledger.error.key': 'The request has no duplicate-protection key. Please reload the page.',
	'ledger.error.contract': 'That contract does not belong to this deal.',
	'ledger.error.not_found': 'The deal or payment was not found.',
	'ledger.error.forbidden': 'You may not record payments for this deal.',
	'ledger.error.overpayment':
		'The amount exceeds the deal’s value: value {value}, paid {paid}, only {remaining} remains. If the customer paid more, tick “Record as an overpayment”.',
	'ledger.error.idempotency_mismatch':
		'This request was already sent with different content. Please reload the page and enter it again.',
	'ledger.error.already_voided': 'This payment was already voided.',
	'ledger.error.contract_not_found': 'That contract does not belong to this deal.',
	'ledger.error.instalment_not_found': 'That instalment was not found (it may have been removed).'
};
