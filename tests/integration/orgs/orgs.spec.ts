import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../../src/lib/forms/validate';
import { memberships, users } from '../../../src/lib/server/db/schema';
import * as orgs from '../../../src/lib/server/orgs/orgs.repo';
import { plans, TRIAL_DAYS } from '../../../src/lib/server/orgs/plans';
import { settingsSchema, timeZoneOptions } from '../../../src/lib/server/orgs/settings';
import { testDb } from '../../support/db';
import { createUser } from '../../support/factories';

const { db } = await testDb();

function form(fields: Record<string, string>) {
	const f = new FormData();
	const all = {
		name: 'Công ty Cổ phần Sao Mai',
		timeZone: 'Asia/Ho_Chi_Minh',
		currency: 'VND',
		locale: 'vi',
		...fields
	};
	for (const [k, v] of Object.entries(all)) f.set(k, v);
	return f;
}

function errorsOf(fields: Record<string, string>) {
	const result = parseForm(settingsSchema, form(fields));
	if (result.ok) throw new Error('expected the form to be refused');
	return result;
}

describe('creating an organisation', () => {
	it('makes the creator its owner on a 10-day trial with Gói 3’s limits', async () => {
		const creator = await createUser(db);
		const now = new Date('2026-02-10T09:30:00Z');
		const org = await orgs.create(db, {
			ownerId: creator.id,
			settings: { name: 'Sao Mai', timeZone: 'Asia/Bangkok', currency: 'USD', locale: 'en' },
			now
		});
		expect(org).toMatchObject({
			name: 'Sao Mai',
			timeZone: 'Asia/Bangkok',
			currency: 'USD',
			locale: 'en',
			plan: 'goi3',
			maxSeats: plans.goi3.maxSeats,
			maxRecordsPerMonth: null
		});
		expect(org.trialEndsAt!.getTime() - now.getTime()).toBe(TRIAL_DAYS * 24 * 3600_000);
		const [m] = await db.select().from(memberships).where(eq(memberships.orgId, org.id));
		expect(m).toMatchObject({ userId: creator.id, role: 'owner' });
		const [u] = await db.select().from(users).where(eq(users.id, creator.id));
		expect(u!.activeOrgId).toBe(org.id);
	});

	it('lets one person belong to several organisations', async () => {
		const creator = await createUser(db);
		await orgs.create(db, { ownerId: creator.id, settings: { name: 'Chi nhánh Hà Nội' } });
		await orgs.create(db, { ownerId: creator.id, settings: { name: 'Chi nhánh Đà Nẵng' } });
		const mine = await orgs.listForUser(db, { userId: creator.id });
		expect(mine.map((o) => o.name).sort()).toEqual(
			['Chi nhánh Hà Nội', 'Chi nhánh Đà Nẵng'].sort()
		);
	});
});

describe('the settings form', () => {
	it('fills in Vietnam’s defaults and accepts the listed choices', () => {
		const result = parseForm(settingsSchema, form({ timeZone: 'asia/bangkok' }));
		expect(result).toEqual({
			ok: true,
			data: {
				name: 'Công ty Cổ phần Sao Mai',
				timeZone: 'Asia/Bangkok',
				currency: 'VND',
				locale: 'vi'
			}
		});
	});

	it('refuses an unknown time zone or a bare offset with a message, keeping what was typed', () => {
		for (const timeZone of [
			'Mars/Olympus',
			'+07:00',
			'GMT+7 Hà Nội',
			'',
			'Asia/'.padEnd(80, 'x')
		]) {
			const { errors, values } = errorsOf({ timeZone });
			expect(errors.timeZone).toEqual({ key: 'orgs.error.timeZone' });
			expect(values.timeZone).toBe(timeZone);
		}
	});

	it('accepts a zone Intl knows beyond the list', () => {
		const result = parseForm(settingsSchema, form({ timeZone: 'America/Sao_Paulo' }));
		expect(result.ok && result.data.timeZone).toBe('America/Sao_Paulo');
	});

	it('refuses an empty, blank or overlong name', () => {
		expect(errorsOf({ name: '' }).errors.name).toEqual({ key: 'common.required' });
		expect(errorsOf({ name: '   ' }).errors.name).toEqual({ key: 'common.required' });
		const long = 'Đ'.repeat(121);
		const refused = errorsOf({ name: long });
		expect(refused.errors.name).toEqual({ key: 'common.tooLong', params: { max: 120 } });
		expect(refused.values.name).toBe(long);
	});

	it('refuses a currency or language it does not offer', () => {
		expect(errorsOf({ currency: 'EUR' }).errors.currency).toEqual({ key: 'orgs.error.currency' });
		expect(errorsOf({ locale: 'fr' }).errors.locale).toEqual({ key: 'form.invalid' });
	});

	it('stores hostile names exactly as typed', async () => {
		const owner = await createUser(db);
		const org = await orgs.create(db, { ownerId: owner.id, settings: { name: 'Tạm' } });
		for (const name of [
			'<script>alert("x")</script> & Co',
			"Robert'); DROP TABLE organisations;--",
			'Cửa hàng 🐉🔥 Rồng Lửa',
			'\u202Eأهلا Shop\u202C',
			'  spaces inside  kept '.trim()
		]) {
			const parsed = parseForm(settingsSchema, form({ name }));
			expect(parsed.ok).toBe(true);
			if (!parsed.ok) continue;
			await orgs.updateSettings(db, { orgId: org.id, settings: parsed.data });
			expect((await orgs.get(db, { orgId: org.id }))!.name).toBe(name);
		}
	});

	it('offers the current zone even when it is not in the list, with UTC offsets', () => {
		const options = timeZoneOptions({
			current: 'America/Sao_Paulo',
			now: new Date('2026-01-15T00:00:00Z')
		});
		expect(options[0]).toEqual({
			value: 'America/Sao_Paulo',
			label: 'UTC-03:00 · America/Sao_Paulo'
		});
		expect(options).toContainEqual({
			value: 'Asia/Ho_Chi_Minh',
			label: 'UTC+07:00 · Asia/Ho_Chi_Minh'
		});
		expect(options).toContainEqual({ value: 'UTC', label: 'UTC' });
		expect(options).toContainEqual({ value: 'Europe/London', label: 'UTC+00:00 · Europe/London' });
	});
});
