import type { FieldError } from '$lib/forms/validate';
import { translate, type Locale } from '$lib/i18n';
import type { PlanCode } from '../db/schema';
import type { OrgRuleError } from './errors';

/** A refused rule as a field message in the user's language. */
export function ruleMessage(err: OrgRuleError, locale: Locale): FieldError {
	switch (err.rule) {
		case 'seatLimit':
		case 'seatsFull':
			return {
				key: 'orgs.error.seatLimit',
				params: {
					plan: translate(locale, `orgs.plan.${err.details.plan as PlanCode}`),
					max: err.details.max ?? 0
				}
			};
		case 'inviteInvalid':
			return { key: 'orgs.accept.invalidBody' };
		default:
			return { key: `orgs.error.${err.rule}` };
	}
}
