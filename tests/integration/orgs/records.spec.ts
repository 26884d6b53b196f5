import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { organisations, recordCounters, type PlanCode } from '../../../src/lib/server/db/schema';
import * as planOps from '../../../src/lib/server/orgs/plans.repo';
import * as records from '../../../src/lib/server/orgs/records';
import { testDb } from '../../support/db';
import { createOrg, createUser } from '../../support/factories';

// The monthly record counter behind Gói 1's "fewer than 1,000 records a month".
const { db } = await testDb();
const owner = await createUser(db);

async function org({
	timeZone = 'Asia/Ho_Chi_Minh',
	plan = 'goi1'
}: { timeZone?: string; plan?: PlanCode } = {}) {
	const o = await createOrg(db, { ownerId: owner.id });
	await db.update(organisations).set({ timeZone }).where(eq(organisations.id, o.id));
	await planOps.setPlan(db, { orgId: o.id, plan });
	return o;
}

async function counter(orgId: string, month: string) {
	const [row] = await db
		.select()
		.from(recordCounters)
		.where(and(eq(recordCounters.orgId, orgId), eq(recordCounters.month, month)));
	return row?.count ?? 0;
}

describe('the month of a record', () => {
	it('is the calendar month in the organisation’s time zone', () => {
		// 23:30 on 31 January in Hồ Chí Minh City is 16:30 UTC: still January there.
		expect(records.monthOf(new Date('2026-01-31T16:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe(
			'2026-01-01'
		);
		// 23:30 UTC on 31 January is already 06:30 on 1 February in Vietnam.
		expect(records.monthOf(new Date('2026-01-31T23:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe(
			'2026-02-01'
		);
		expect(records.monthOf(new Date('2026-01-31T23:30:00Z'), 'UTC')).toBe('2026-01-01');
		expect(records.monthOf(new Date('2026-12-31T17:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe(
			'2027-01-01'
		);
	});
});

describe('reserving a record', () => {
	it('counts records per month in the organisation’s zone, across the UTC boundary', async () => {
		const hcm = await org();
		const utc = await org({ timeZone: 'UTC' });
		const lastEvening = new Date('2026-01-31T16:30:00Z'); // 23:30 on 31 Jan in UTC+7
		const utcLateNight = new Date('2026-01-31T23:30:00Z'); // 06:30 on 1 Feb in UTC+7

		expect(await records.reserve(db, { orgId: hcm.id, at: lastEvening })).toMatchObject({
			month: '2026-01-01',
			count: 1
		});
		expect(await records.reserve(db, { orgId: hcm.id, at: utcLateNight })).toMatchObject({
			month: '2026-02-01',
			count: 1
		});
		expect(await records.reserve(db, { orgId: utc.id, at: lastEvening })).toMatchObject({
			month: '2026-01-01',
			count: 1
		});
		expect(await records.reserve(db, { orgId: utc.id, at: utcLateNight })).toMatchObject({
			month: '2026-01-01',
			count: 2
		});
		expect(await counter(hcm.id, '2026-01-01')).toBe(1);
		expect(await counter(hcm.id, '2026-02-01')).toBe(1);
		expect(await counter(utc.id, '2026-01-01')).toBe(2);
	});

	it('reports going over Gói 1’s limit without refusing', async () => {
		const o = await org();
		const at = new Date('2026-03-10T03:00:00Z');
		await db.insert(recordCounters).values({ orgId: o.id, month: '2026-03-01', count: 998 });

		expect(await records.reserve(db, { orgId: o.id, at })).toEqual({
			month: '2026-03-01',
			count: 999,
			limit: 999,
			overLimit: false
		});
		expect(await records.usage(db, { orgId: o.id, at })).toMatchObject({
			count: 999,
			overLimit: false,
			full: true
		});
		expect(await records.reserve(db, { orgId: o.id, at })).toEqual({
			month: '2026-03-01',
			count: 1000,
			limit: 999,
			overLimit: true
		});
		expect(await counter(o.id, '2026-03-01')).toBe(1000);
	});

	it('never reports an unlimited plan over its limit', async () => {
		const o = await org({ plan: 'goi3' });
		const r = await records.reserve(db, { orgId: o.id });
		expect(r).toMatchObject({ count: 1, limit: null, overLimit: false });
	});

	it('loses no count when many records are created at once', async () => {
		const o = await org();
		const at = new Date('2026-04-05T05:00:00Z');
		await Promise.all(
			Array.from({ length: 20 }, () =>
				db.transaction((tx) => records.reserve(tx, { orgId: o.id, at }))
			)
		);
		expect(await counter(o.id, '2026-04-01')).toBe(20);
	});

	it('uncounts a record whose transaction rolls back', async () => {
		const o = await org();
		const at = new Date('2026-05-05T05:00:00Z');
		await db
			.transaction(async (tx) => {
				await records.reserve(tx, { orgId: o.id, at });
				throw new Error('the deal could not be saved');
			})
			.catch(() => {});
		expect(await records.usage(db, { orgId: o.id, at })).toMatchObject({ count: 0, full: false });
	});
});

describe('reserving several records at once', () => {
	it('counts each in its month and flags the last of a month past the limit, in order', async () => {
		const o = await org();
		const march = new Date('2026-03-20T03:00:00Z');
		const lateMarch = new Date('2026-03-31T16:30:00Z'); // 23:30 on 31 March in UTC+7
		const april = new Date('2026-03-31T17:30:00Z'); // 00:30 on 1 April in UTC+7
		await db.insert(recordCounters).values({ orgId: o.id, month: '2026-03-01', count: 997 });

		const over = await records.reserveMany(db, {
			orgId: o.id,
			at: [march, april, lateMarch, march, april]
		});
		// March: 998, 999 (the limit), then 1000; April: 1, 2.
		expect(over.map((r) => [r.month, r.count, r.overLimit])).toEqual([
			['2026-03-01', 998, false],
			['2026-04-01', 1, false],
			['2026-03-01', 999, false],
			['2026-03-01', 1000, true],
			['2026-04-01', 2, false]
		]);
		expect(await counter(o.id, '2026-03-01')).toBe(1000);
		expect(await counter(o.id, '2026-04-01')).toBe(2);
		expect(await records.reserveMany(db, { orgId: o.id, at: [] })).toEqual([]);
	});

	it('counts as many as reserve would, one at a time, under concurrency', async () => {
		const o = await org();
		const at = new Date('2026-06-05T05:00:00Z');
		await Promise.all(
			Array.from({ length: 10 }, () =>
				db.transaction((tx) => records.reserveMany(tx, { orgId: o.id, at: [at, at, at] }))
			)
		);
		expect(await counter(o.id, '2026-06-01')).toBe(30);
	});
});
