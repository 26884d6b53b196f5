import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { computeMonth } from '../../../src/lib/server/commissions/compute';
import * as rules from '../../../src/lib/server/commissions/rules.repo';
import { commissionPeriods, commissionRules, payments } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';
import { cookieFor } from '../security/http';

// Who sees and does what on the commission pages, through the production build (SPEC C13, C9).

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const manager = await createUser(app.db, { name: 'Quản Lý' });
const accountant = await createUser(app.db, { name: 'Kế Toán' });
const rep = await createUser(app.db, { name: 'Lê Văn Nam' });
const otherRep = await createUser(app.db, { name: 'Phạm Thu Hà' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
await createOrg(app.db, { ownerId: outsider.id, name: 'Công ty khác' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
await addMember(app.db, { orgId: org.id, userId: rep.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: otherRep.id, role: 'sales' });

await rules.create(app.db, {
	orgId: org.id,
	createdBy: manager.id,
	input: {
		method: 'revenue',
		pipelineId: null,
		userId: null,
		tiering: 'flat',
		tiers: [{ from: 0, rateBp: 250 }],
		validFrom: '2026-01-01'
	}
});
for (const [ownerId, amount] of [
	[rep.id, 10_000_000],
	[otherRep.id, 20_000_000]
] as const)
	await app.db.insert(payments).values({
		orgId: org.id,
		dealId: uuidv7(),
		ownerId,
		pipelineId: (await app.db.query.pipelines.findFirst({
			where: (p, { eq }) => eq(p.orgId, org.id)
		}))!.id,
		amount,
		paidOn: '2026-01-15',
		method: 'cash',
		idempotencyKey: uuidv7(),
		requestHash: 'h',
		createdAt: new Date('2026-01-15T03:00:00Z')
	});
await computeMonth(app.db, { orgId: org.id, month: '2026-01-01' });

const cookies = {
	owner: await cookieFor(app, owner.id),
	manager: await cookieFor(app, manager.id),
	accountant: await cookieFor(app, accountant.id),
	rep: await cookieFor(app, rep.id),
	outsider: await cookieFor(app, outsider.id)
};
const base = `/o/${org.id}/commissions`;

async function page(path: string, cookie: string) {
	const res = await app.fetch(path, { headers: { accept: 'text/html', cookie } });
	return { status: res.status, html: await res.text() };
}
async function action(name: string, cookie: string, month = '2026-01') {
	const res = await app.fetch(`${base}?/${name}`, {
		method: 'POST',
		body: new URLSearchParams({ month }),
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			cookie
		}
	});
	const body = (await res.json()) as { type: string; status?: number };
	return {
		status: body.type === 'error' ? res.status : (body.status ?? res.status),
		type: body.type
	};
}
const periodStatus = async () =>
	(
		await app.db
			.select({ status: commissionPeriods.status })
			.from(commissionPeriods)
			.where(and(eq(commissionPeriods.orgId, org.id), eq(commissionPeriods.month, '2026-01-01')))
	)[0]?.status;

describe('commission pages', () => {
	it('[C13] a rep sees only their own row and statement; another rep’s is 404', async () => {
		const list = await page(`${base}?m=2026-01`, cookies.rep);
		expect(list.status).toBe(200);
		expect(list.html).toContain('Lê Văn Nam');
		expect(list.html).not.toContain('Phạm Thu Hà');
		expect((await page(`${base}/2026-01/${rep.id}`, cookies.rep)).status).toBe(200);
		expect((await page(`${base}/2026-01/${otherRep.id}`, cookies.rep)).status).toBe(404);
		expect((await page(`/o/${org.id}/settings/commissions`, cookies.rep)).status).toBe(403);
	});

	it('[C13] managers and accountants see everyone; outsiders get 404', async () => {
		for (const cookie of [cookies.manager, cookies.accountant]) {
			const list = await page(`${base}?m=2026-01`, cookie);
			expect(list.html).toContain('Phạm Thu Hà');
			const statement = await page(`${base}/2026-01/${otherRep.id}`, cookie);
			expect(statement.status).toBe(200);
			// 20.000.000 × 2,5 % = 500.000
			expect(statement.html).toContain('500.000');
		}
		expect((await page(`${base}?m=2026-01`, cookies.outsider)).status).toBe(404);
		expect((await page(`${base}/2026-01/${rep.id}`, cookies.outsider)).status).toBe(404);
		expect((await page(`${base}/2026-01/${uuidv7()}`, cookies.manager)).status).toBe(404);
	});

	it('[C9][C13] only owners and managers recompute and lock', async () => {
		for (const who of ['rep', 'accountant', 'outsider'] as const) {
			expect((await action('compute', cookies[who])).status).not.toBe(200);
			expect((await action('lock', cookies[who])).status).toBeGreaterThanOrEqual(403);
		}
		expect(await periodStatus()).toBe('open');
		expect(await action('compute', cookies.manager)).toMatchObject({ type: 'success' });
		// Months lock once ended; November 2999 has not.
		expect(await action('lock', cookies.manager, '2999-11')).toMatchObject({ status: 409 });
		expect(await action('lock', cookies.owner)).toMatchObject({ type: 'success' });
		expect(await periodStatus()).toBe('locked');
		expect(await action('compute', cookies.manager)).toMatchObject({ status: 409 });
	});

	it('[C4] the rules form refuses bad input with Vietnamese messages and keeps it', async () => {
		const res = await app.fetch(`/o/${org.id}/settings/commissions?/create`, {
			method: 'POST',
			body: new URLSearchParams([
				['method', 'won'],
				['tiering', 'step'],
				['validFrom', '2026-02'],
				['tierFrom', '0'],
				['tierRate', '2,5'],
				['tierFrom', '100tr'],
				['tierRate', 'nhiều']
			]),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
				cookie: cookies.manager
			}
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Nhập tỷ lệ từ 0 đến 100');
		expect(html).toContain('nhiều');
		const ok = await app.fetch(`/o/${org.id}/settings/commissions?/create`, {
			method: 'POST',
			body: new URLSearchParams([
				['method', 'won'],
				['tiering', 'step'],
				['validFrom', '2026-02'],
				['tierFrom', '0'],
				['tierRate', '2,5'],
				['tierFrom', '100tr'],
				['tierRate', '3.75']
			]),
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				cookie: cookies.manager
			}
		});
		expect(((await ok.json()) as { type: string }).type).toBe('success');
		const saved = await app.db
			.select()
			.from(commissionRules)
			.where(and(eq(commissionRules.orgId, org.id), eq(commissionRules.method, 'won')));
		expect(saved.map((r) => r.tiers)).toEqual([
			[
				{ from: 0, rateBp: 250 },
				{ from: 100_000_000, rateBp: 375 }
			]
		]);
	});
});
