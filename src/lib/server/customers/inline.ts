import { and, arrayContains, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { customers, users } from '../db/schema';
import * as records from '../orgs/records';

// A quick-add card carries its customer inline (name and phone typed on the card, offline
// included); once the card reaches the server, the customer becomes a record (issue 3, item 4).
// An existing customer of the organisation with the same normalised phone is reused; otherwise
// one is created. Safe to run any number of times, on any number of instances at once.

export type InlineCustomer = {
	orgId: string;
	dealId: string;
	/** As typed on the card, or null. */
	name: string | null;
	/** E.164 (normalised like every phone), or null. */
	phone: string | null;
	/** The owner of the deal's shard: the customer's owner too. */
	ownerId: string;
	/** The user who typed it, when known. */
	createdBy: string | null;
};

/**
 * The customer the inline name and phone stand for, created when there is none, with the name
 * its record has (an existing customer's may differ from the one typed on the card).
 */
export async function resolve(
	db: Db,
	input: InlineCustomer
): Promise<{ customerId: string; name: string; created: boolean }> {
	const { orgId, dealId, name, phone } = input;
	if (!name && !phone) throw new Error('an inline customer needs a name or a phone');
	return db.transaction(async (tx) => {
		// Two cards with one new phone, synced at once (two reps offline, or two instances),
		// must make one customer: lookups and the insert for one phone run one at a time. Without
		// a phone, the same card resolved twice must make one customer: lock on the deal instead.
		const key = phone ? `customer-phone:${orgId}:${phone}` : `customer-deal:${orgId}:${dealId}`;
		await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
		const [existing] = await tx
			.select({ id: customers.id, name: customers.name })
			.from(customers)
			.where(
				and(
					eq(customers.orgId, orgId),
					isNull(customers.deletedAt),
					phone
						? arrayContains(customers.phones, [phone])
						: and(eq(customers.sourceDealId, dealId), eq(customers.name, name!))
				)
			)
			.orderBy(asc(customers.createdAt), asc(customers.id))
			.limit(1);
		if (existing) return { customerId: existing.id, name: existing.name, created: false };

		const [created] = await tx
			.insert(customers)
			.values({
				orgId,
				name: name ?? phone!,
				phones: phone ? [phone] : [],
				// Users referenced by a document may have been deleted since: null rather than fail.
				ownerId: sql`(select ${users.id} from ${users} where ${users.id} = ${input.ownerId})`,
				createdBy: input.createdBy
					? sql`(select ${users.id} from ${users} where ${users.id} = ${input.createdBy})`
					: null,
				sourceDealId: dealId
			})
			.returning({ id: customers.id, name: customers.name });
		// A new customer is a new record for the plan's monthly limit. Counting never refuses: the
		// card was made (maybe offline) already.
		await records.reserve(tx, { orgId });
		return { customerId: created!.id, name: created!.name, created: true };
	});
}
