import type { FieldError } from '$lib/forms/validate';

// The organisation's list of reasons a deal is lost, typed one per line in Settings › Deals.
export const LOST_REASONS_MAX = 30;
export const LOST_REASON_MAX = 100;

export function parseLostReasons(
	input: string
): { ok: true; reasons: string[] } | { ok: false; error: FieldError } {
	const reasons: string[] = [];
	for (const line of input.split(/\r?\n/)) {
		const reason = line.trim();
		if (!reason) continue;
		// eslint-disable-next-line no-control-regex -- refusing control characters is the point
		if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(reason))
			return { ok: false, error: { key: 'form.controlChars' } };
		if ([...reason].length > LOST_REASON_MAX)
			return {
				ok: false,
				error: {
					key: 'orgs.lostReasons.tooLong',
					params: { max: LOST_REASON_MAX, reason: reason.slice(0, 40) }
				}
			};
		if (reasons.some((r) => r.toLowerCase() === reason.toLowerCase()))
			return { ok: false, error: { key: 'orgs.lostReasons.duplicate', params: { reason } } };
		reasons.push(reason);
	}
	if (reasons.length === 0) return { ok: false, error: { key: 'orgs.lostReasons.empty' } };
	if (reasons.length > LOST_REASONS_MAX)
		return {
			ok: false,
			error: { key: 'orgs.lostReasons.tooMany', params: { max: LOST_REASONS_MAX } }
		};
	return { ok: true, reasons };
}
