import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

// Phones are normalised to E.164 with Vietnam as the default region: `0912 345 678`,
// `+84 912345678` and `912345678` all become `+84912345678`. Shared by browser and server so an
// offline quick-add stores the same form the server would.
export function normalisePhone(input: string, region: 'VN' = 'VN'): string | null {
	const trimmed = input.trim();
	if (!trimmed) return null;
	let parsed = parsePhoneNumberFromString(trimmed, region);
	// A national number typed without its leading 0 (912345678) is still a Vietnamese number.
	if ((!parsed || !parsed.isValid()) && /^[1-9]\d{8}$/.test(trimmed.replace(/[\s.-]/g, ''))) {
		parsed = parsePhoneNumberFromString('0' + trimmed.replace(/[\s.-]/g, ''), region);
	}
	return parsed?.isValid() ? parsed.number : null;
}
