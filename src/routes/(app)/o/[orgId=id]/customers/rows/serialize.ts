import type { CustomerRow } from '$lib/components/customers/row';
import type { ListRow } from '$lib/server/customers/customers.repo';

/** A list row as the table reads it, the same from the page load and from the endpoint. */
export function toRow(r: ListRow): CustomerRow {
	return { ...r, createdAt: r.createdAt.toISOString() };
}
