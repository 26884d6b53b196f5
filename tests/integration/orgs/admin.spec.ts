import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError, parse, run, runningPostmaster, UsageError } from '../../../server/admin';
import * as invites from '../../../src/lib/server/orgs/invitations.repo';
import * as orgs from '../../../src/lib/server/orgs/orgs.repo';
import { testDb } from '../../support/db';
import { addMember, createOrg, createUser } from '../../support/factories';
import { ORIGIN, startBoss } from './support';

// `npm run admin -- …`: parsing, and each command's effect on a real database.
const { db, url } = await testDb();
const boss = await startBoss(url);
const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

function usageError(argv: string[]) {
	try {
		parse(argv);
	} catch (err) {
		expect(err).toBeInstanceOf(UsageError);
		return (err as Error).message;
	}
	throw new Error(`expected ${argv.join(' ')} to be refused`);
}

async function exec(argv: string[], now = new Date('2026-06-01T00:00:00Z')) {
	const lines: string[] = [];
	await run(db, parse(argv), { now, print: (l) => lines.push(l) });
	return lines.join('\n');
}

describe('parsing the command line', () => {
	it('reads each command and its options', () => {
		expect(parse([])).toEqual({ kind: 'help' });
		expect(parse(['orgs'])).toEqual({ kind: 'orgs' });
		expect(parse(['plan', ID, 'goi1'])).toEqual({ kind: 'plan', orgId: ID, plan: 'goi1' });
		expect(parse(['limits', ID, '--seats', '250', '--records=unlimited', '--units', '3'])).toEqual({
			kind: 'limits',
			orgId: ID,
			limits: { maxSeats: 250, maxRecordsPerMonth: null, maxUnits: 3 }
		});
		expect(parse(['limits', ID, '--records', '5000'])).toEqual({
			kind: 'limits',
			orgId: ID,
			limits: { maxRecordsPerMonth: 5000 }
		});
		expect(parse(['trial', ID, '--days', '14'])).toEqual({ kind: 'trial', orgId: ID, days: 14 });
		expect(parse(['trial', ID, '--days=0'])).toEqual({ kind: 'trial', orgId: ID, days: 0 });
	});

	it('refuses wrong usage with a message that says what is wrong', () => {
		expect(usageError(['frobnicate'])).toBe('Unknown command "frobnicate".');
		expect(usageError(['plan', ID, 'goi2'])).toContain('Unknown plan "goi2"');
		expect(usageError(['plan', 'not-an-id', 'goi1'])).toContain('is not an organisation id');
		expect(usageError(['plan', ID])).toContain('Expected: plan <orgId>');
		expect(usageError(['limits', ID])).toContain('at least one of --seats');
		expect(usageError(['limits', ID, '--seats', '0'])).toContain('at least 1');
		expect(usageError(['limits', ID, '--seats', '-5'])).toContain('whole number');
		expect(usageError(['limits', ID, '--seats', '2.5'])).toContain('whole number');
		expect(usageError(['limits', ID, '--seats'])).toBe('--seats needs a value.');
		expect(usageError(['limits', ID, '--colour', 'red'])).toBe('Unknown option --colour.');
		expect(usageError(['limits', ID, '--units', '2', '--units', '3'])).toBe('--units given twice.');
		expect(usageError(['trial', ID])).toBe('trial needs --days N.');
		expect(usageError(['trial', ID, '--days', 'ten'])).toContain('whole number');
		expect(usageError(['orgs', 'extra'])).toBe('orgs takes no arguments.');
	});
});

describe('running the commands', () => {
	it('lists organisations with plan, seats used (members and pending invitations) and trial end', async () => {
		const owner = await createUser(db);
		const org = await orgs.create(db, {
			ownerId: owner.id,
			settings: { name: 'Điện máy Hoàng Gia' },
			now: new Date('2026-05-28T00:00:00Z')
		});
		const u = await createUser(db);
		await addMember(db, { orgId: org.id, userId: u.id, role: 'sales' });
		await invites.create(db, {
			boss,
			origin: ORIGIN,
			orgId: org.id,
			inviterId: owner.id,
			email: 'p@example.vn',
			role: 'sales',
			now: new Date('2026-05-30T00:00:00Z')
		});

		const out = await exec(['orgs']);
		const line = out.split('\n').find((l) => l.startsWith(org.id))!;
		expect(out.split('\n')[0]).toMatch(/^ID\s+NAME\s+PLAN\s+SEATS\s+TRIAL ENDS$/);
		expect(line).toContain('Điện máy Hoàng Gia');
		expect(line).toMatch(/goi3\s+3\/100\s+ends 2026-06-07 00:00 UTC \(6 days left\)/);
	});

	it('moves to a plan with its limits and ends the trial', async () => {
		const owner = await createUser(db);
		const org = await createOrg(db, { ownerId: owner.id });
		const out = await exec(['plan', org.id, 'goi1']);
		expect(out).toContain('plan goi1, seats 10, records/month 999, units 1; no trial.');
		expect(await orgs.get(db, { orgId: org.id })).toMatchObject({
			plan: 'goi1',
			maxSeats: 10,
			maxRecordsPerMonth: 999,
			maxUnits: 1,
			trialEndsAt: null
		});
	});

	it('sets custom limits on Gói 4 only', async () => {
		const owner = await createUser(db);
		const org = await createOrg(db, { ownerId: owner.id });
		await expect(exec(['limits', org.id, '--seats', '300'])).rejects.toThrow(
			/Custom limits are for goi4 only; this organisation is on goi3/
		);
		await exec(['plan', org.id, 'goi4']);
		const out = await exec(['limits', org.id, '--seats', '300', '--records', '20000']);
		expect(out).toContain('seats 300, records/month 20000, units unlimited');
		expect(await orgs.get(db, { orgId: org.id })).toMatchObject({
			plan: 'goi4',
			maxSeats: 300,
			maxRecordsPerMonth: 20000,
			maxUnits: null
		});
		await exec(['limits', org.id, '--seats', 'unlimited']);
		expect((await orgs.get(db, { orgId: org.id }))!.maxSeats).toBeNull();
	});

	it('sets the trial to end some days from now', async () => {
		const owner = await createUser(db);
		const org = await createOrg(db, { ownerId: owner.id });
		const now = new Date('2026-06-01T00:00:00Z');
		expect(await exec(['trial', org.id, '--days', '30'], now)).toContain(
			'trial ends 2026-07-01 00:00 UTC (30 days left)'
		);
		expect((await orgs.get(db, { orgId: org.id }))!.trialEndsAt).toEqual(
			new Date('2026-07-01T00:00:00Z')
		);
		expect(await exec(['trial', org.id, '--days', '0'], now)).toContain('trial ended');
	});

	it('reports an unknown organisation as a failure', async () => {
		await expect(exec(['plan', ID, 'goi1'])).rejects.toBeInstanceOf(CommandError);
		await expect(exec(['trial', ID, '--days', '3'])).rejects.toThrow(
			`No organisation with id ${ID}.`
		);
	});
});

describe('finding the running embedded server', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chot-admin-'));
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
	const pidFile = (pid: number, port: string) =>
		fs.writeFileSync(
			path.join(dir, 'postmaster.pid'),
			`${pid}\n${dir}\n1760000000\n${port}\n/tmp\n`
		);

	it('uses the live server’s port from postmaster.pid', () => {
		expect(runningPostmaster(dir)).toBeNull();
		pidFile(process.pid, '54400');
		expect(runningPostmaster(dir)).toEqual({ pid: process.pid, port: 54400 });
	});

	it('ignores a stale postmaster.pid left by a killed server', () => {
		pidFile(2 ** 22 + 12345, '54400'); // above Linux's pid_max
		expect(runningPostmaster(dir)).toBeNull();
	});
});
