// Every refusal of a board operation carries a stable code, so the UI can translate it
// (`board.error.<code>`) and point at the field; the English message is only for logs.
export const boardErrorCodes = [
	'invalid_id',
	'required',
	'too_long',
	'invalid_amount',
	'invalid_phone',
	'invalid_color',
	'invalid_probability',
	'invalid_rot_days',
	'invalid_date',
	'invalid_time',
	'invalid_status',
	'invalid_setting',
	'reason_required',
	'date_required',
	'amount_required',
	'stage_not_found',
	'stage_exists',
	'last_stage',
	'stage_not_empty',
	'invalid_target',
	'deal_not_found',
	'deal_exists',
	'neighbour_not_found',
	'invalid_position',
	'forbidden'
] as const;

export type BoardErrorCode = (typeof boardErrorCodes)[number];

export class BoardOpError extends Error {
	readonly code: BoardErrorCode;
	/** The input field at fault, when there is one (`title`, `amount`, `moveDealsTo` …). */
	readonly field: string | undefined;
	/** Values for the translated message, e.g. `{ max: 200 }` for `too_long`. */
	readonly params: Record<string, string | number>;

	constructor(
		code: BoardErrorCode,
		{ field, params = {} }: { field?: string; params?: Record<string, string | number> } = {}
	) {
		super(field ? `${code} (${field})` : code);
		this.name = 'BoardOpError';
		this.code = code;
		this.field = field;
		this.params = params;
	}
}

export function isBoardOpError(value: unknown): value is BoardOpError {
	return value instanceof BoardOpError;
}
