/** A refusal the UI explains; `code` maps to a message key `commissions.error.<code>`. */
export type CommissionErrorCode =
	'not_found' | 'closed' | 'locked' | 'not_computed' | 'earlier_open' | 'not_ended';

export class CommissionError extends Error {
	constructor(readonly code: CommissionErrorCode) {
		super(`commissions: ${code}`);
		this.name = 'CommissionError';
	}
}
