import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '$lib/phone';
import { customers } from '$lib/server/db/schema';
import * as records from '$lib/server/orgs/records';
import { testDb } from '../../../../tests/support/db';
import { createOrg, createUser } from '../../../../tests/support/factories';
import { resolve } from './inline';

const { db } = await testDb();
const rep = await createUser(db, { name: 'Lê Văn Nam' });
const org = await createOrg(db, { ownerId: rep.id });
const otherOrg = await createOrg(db, { ownerId: rep.id, name: 'Công ty khác' });

const inline = (input: { name?: string | null; phone?: string | null; orgId?: string }) => ({
	orgId: input.orgId ?? org.id,
	dealId: uuidv7(),
	name: input.name ?? null,
	phone: input.phone ?? null,
	ownerId: rep.id,
	createdBy: rep.id
});

async function customersOf(orgId: string) {
	return db.select().from(customers).where(eq(customers.orgId, orgId));
}

describe('inline customers', () => {
	it('creates a customer from a card’s name and phone, counted as a new record', async () => {
		const before = (await records.usage(db, { orgId: org.id })).count;
		const input = inline({ name: 'Chị Hoa', phone: normalisePhone('0912 345 678') });
		const { customerId, created } = await resolve(db, input);
		expect(created).toBe(true);
		const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
		expect(row).toMatchObject({
			orgId: org.id,
			name: 'Chị Hoa',
			phones: ['+84912345678'],
			ownerId: rep.id,
			createdBy: rep.id,
			sourceDealId: input.dealId
		});
		expect((await records.usage(db, { orgId: org.id })).count).toBe(before + 1);
	});

	it('reuses the customer with the same normalised phone, however it was typed, with its name', async () => {
		const first = await resolve(
			db,
			inline({ name: 'Anh Tuấn', phone: normalisePhone('0987654321') })
		);
		expect(first).toMatchObject({ name: 'Anh Tuấn', created: true });
		for (const typed of ['+84 987 654 321', '987654321', '0987.654.321']) {
			const again = await resolve(db, inline({ name: 'Tuấn', phone: normalisePhone(typed) }));
			// The record's name, not the one typed: the card will show it (SPEC B24).
			expect(again).toEqual({ customerId: first.customerId, name: 'Anh Tuấn', created: false });
		}
	});

	it('makes one customer when many cards with one new phone arrive at once', async () => {
		// Several rounds: each starts as many resolutions as the pool has connections, so their
		// lookups overlap and only the lock keeps them from all inserting.
		for (const typed of ['0903 111 222', '0903 111 223', '0903 111 224', '0903 111 225']) {
			const phone = normalisePhone(typed);
			const results = await Promise.all(
				Array.from({ length: 5 }, (_, i) => resolve(db, inline({ name: `Khách ${i}`, phone })))
			);
			expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
			expect(results.filter((r) => r.created)).toHaveLength(1);
			const rows = (await customersOf(org.id)).filter((c) => c.phones.includes(phone!));
			expect(rows).toHaveLength(1);
		}
	});

	it('resolves the same card without a phone to one customer, even run twice at once', async () => {
		const input = inline({ name: 'Cô Lan bán vải' });
		const [a, b] = await Promise.all([resolve(db, input), resolve(db, input)]);
		expect(a.customerId).toBe(b.customerId);
		const named = (await customersOf(org.id)).filter((c) => c.name === 'Cô Lan bán vải');
		expect(named).toHaveLength(1);
		// Another card with the same name is another customer: a name alone identifies nobody.
		const other = await resolve(db, inline({ name: 'Cô Lan bán vải' }));
		expect(other.customerId).not.toBe(a.customerId);
	});

	it('never reuses another organisation’s customer or a deleted one', async () => {
		const phone = normalisePhone('0938 222 333');
		const mine = await resolve(db, inline({ name: 'Bác Ba', phone }));
		const theirs = await resolve(db, inline({ name: 'Bác Ba', phone, orgId: otherOrg.id }));
		expect(theirs.created).toBe(true);
		expect(theirs.customerId).not.toBe(mine.customerId);
		await db
			.update(customers)
			.set({ deletedAt: new Date() })
			.where(eq(customers.id, mine.customerId));
		const fresh = await resolve(db, inline({ name: 'Bác Ba', phone }));
		expect(fresh.created).toBe(true);
	});

	it('names a customer known only by phone after the phone, and tolerates a deleted user', async () => {
		const input = { ...inline({ phone: normalisePhone('0977 000 111') }), createdBy: uuidv7() };
		const { customerId } = await resolve(db, input);
		const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
		expect(row).toMatchObject({ name: '+84977000111', createdBy: null, ownerId: rep.id });
	});
});
