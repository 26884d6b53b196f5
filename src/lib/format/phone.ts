import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** A stored E.164 number as Vietnamese people write it: `+84912345678` → `0912 345 678`. */
export function nationalPhone(e164: string | null): string | null {
	if (!e164) return null;
	return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}
