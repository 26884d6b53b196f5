import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

// How customers show wherever they appear (list, customer page, deal cards and the deal drawer).
// Shared by browser and server.

/** An E.164 phone as Vietnamese people write it: `+84912345678` → `0912 345 678`. */
export function formatPhone(e164: string): string {
	const parsed = parsePhoneNumberFromString(e164);
	if (!parsed) return e164;
	return parsed.country === 'VN' ? parsed.formatNational() : parsed.formatInternational();
}

/** What the server knows of the customer a deal names (see customers.repo `lookup`). */
export type CustomerRef = { id: string; name: string; deleted: boolean };

/**
 * What a deal shows for its customer:
 * - `customer`: a live customer record (link to its page);
 * - `gone`: the customer was deleted: show the deal's snapshot name and "Không còn khách hàng"
 *   (`customers.gone`); the deal itself is kept;
 * - `inline`: a name typed on the card that has no record yet (the server creates one soon);
 * - `none`: no customer at all.
 * A deal whose customer was merged names the survivor (merge repoints its card).
 */
export type DealCustomer =
	| { kind: 'customer'; id: string; name: string }
	| { kind: 'gone'; name: string | null }
	| { kind: 'inline'; name: string }
	| { kind: 'none' };

export function dealCustomer(
	deal: { customerId?: string | null; customerName?: string | null },
	customer: CustomerRef | null | undefined
): DealCustomer {
	const snapshot = deal.customerName?.trim() || null;
	if (deal.customerId) {
		if (customer && customer.id === deal.customerId && !customer.deleted) {
			return { kind: 'customer', id: customer.id, name: customer.name };
		}
		// Deleted, or an id this organisation does not have: the card's own snapshot is all
		// that is left.
		return { kind: 'gone', name: snapshot };
	}
	return snapshot ? { kind: 'inline', name: snapshot } : { kind: 'none' };
}
