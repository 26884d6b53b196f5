// Refusals of the organisation rules (seats, roles, last owner). Thrown inside a transaction so
// that it rolls back; actions turn them into field messages in the user's language.
export type OrgRule =
	| 'seatLimit'
	| 'lastOwner'
	| 'roleNotAllowed'
	| 'alreadyMember'
	| 'alreadyInvited'
	| 'notFound'
	| 'self'
	| 'inviteInvalid'
	| 'seatsFull';

export class OrgRuleError extends Error {
	readonly rule: OrgRule;
	readonly details: Record<string, string | number>;

	constructor(rule: OrgRule, details: Record<string, string | number> = {}) {
		super(`Organisation rule refused: ${rule}`);
		this.name = 'OrgRuleError';
		this.rule = rule;
		this.details = details;
	}
}

export function isOrgRuleError(err: unknown): err is OrgRuleError {
	return err instanceof OrgRuleError;
}
