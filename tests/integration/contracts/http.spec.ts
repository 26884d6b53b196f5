import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContractView, RenewResponse } from '../../../src/lib/contracts/types';
import { contracts, deals, pipelines } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';
import { createDealAs, setSettings, until } from '../files/support';
import { cookieFor } from '../security/http';

// The contract endpoints against the production build: JSON refusals in Vietnamese, 404 for
// deals a rep may not see, accountants allowed, and renewal making a real card on the board
// through the collab server, once however often it is submitted.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const [pipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const pipelineId = pipeline!.id;
await setSettings(app, { ownerId: owner.id, pipelineId, visibility: 'own', editing: 'own' });
const namsDeal = await createDealAs(app, { userId: nam.id, pipelineId, title: 'Máy lạnh Quận 7' });
const hasDeal = await createDealAs(app, {
	userId: ha.id,
	pipelineId,
	title: 'Kho lạnh Bình Dương'
});

const cookie = {
	nam: await cookieFor(app, nam.id),
	ha: await cookieFor(app, ha.id),
	accountant: await cookieFor(app, accountant.id)
};

function send(method: string, path: string, who: string, body?: unknown) {
	return app.fetch(path, {
		method,
		headers: {
			cookie: who,
			origin: app.origin,
			accept: 'application/json',
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
}

const dealPath = (dealId: string) => `/o/${org.id}/deals/${dealId}/contracts`;
const contractPath = (id: string) => `/o/${org.id}/contracts/${id}`;
const form = (number: string) => ({
	number,
	title: 'Bảo trì máy lạnh',
	value: '120.000.000',
	startsOn: '2026-01-01',
	endsOn: '2026-12-31'
});

const namsRes = await send('POST', dealPath(namsDeal), cookie.nam, form('HĐ-001'));
const namsContract = ((await namsRes.json()) as { contract: ContractView }).contract;
const hasRes = await send('POST', dealPath(hasDeal), cookie.ha, form('HĐ-002'));
const hasContract = ((await hasRes.json()) as { contract: ContractView }).contract;

describe('the contract endpoints', () => {
	it('adds a contract and lists it on its deal', async () => {
		expect(namsRes.status).toBe(201);
		expect(namsContract).toMatchObject({ number: 'HĐ-001', value: 120_000_000, status: 'active' });
		const res = await send('GET', dealPath(namsDeal), cookie.nam);
		const body = (await res.json()) as { contracts: ContractView[]; canEdit: boolean };
		expect(body.canEdit).toBe(true);
		expect(body.contracts.map((c) => c.number)).toEqual(['HĐ-001']);
	});

	it('refuses a number in use with a message in Vietnamese on the number field', async () => {
		const res = await send('POST', dealPath(namsDeal), cookie.nam, form('HĐ-002'));
		expect(res.status).toBe(409);
		const body = (await res.json()) as { field: string; message: string };
		expect(body.field).toBe('number');
		expect(body.message).toContain('Số hợp đồng “HĐ-002” đã có');
	});

	it('answers an invalid form with every field’s message', async () => {
		const res = await send('POST', dealPath(namsDeal), cookie.nam, {
			...form(''),
			value: '-5',
			endsOn: '2025-01-01'
		});
		expect(res.status).toBe(400);
		const body = (await res.json()) as { errors: Record<string, string> };
		expect(Object.keys(body.errors).sort()).toEqual(['endsOn', 'number', 'value']);
		expect(body.errors.number).toBe('Nhập số hợp đồng.');
	});

	it("answers 404 to a rep for another rep's deal and contract in an own-only pipeline", async () => {
		expect((await send('GET', dealPath(hasDeal), cookie.nam)).status).toBe(404);
		expect((await send('POST', dealPath(hasDeal), cookie.nam, form('HĐ-X'))).status).toBe(404);
		expect((await send('GET', contractPath(hasContract.id), cookie.nam)).status).toBe(404);
		const patch = await send('PATCH', contractPath(hasContract.id), cookie.nam, form('HĐ-Y'));
		expect(patch.status).toBe(404);
		expect((await send('DELETE', contractPath(hasContract.id), cookie.nam)).status).toBe(404);
		const renew = await send('POST', `${contractPath(hasContract.id)}/renew`, cookie.nam, {
			number: 'HĐ-Z'
		});
		expect(renew.status).toBe(404);
		const [row] = await app.db.select().from(contracts).where(eq(contracts.id, hasContract.id));
		expect(row).toMatchObject({ number: 'HĐ-002', status: 'active' });
	});

	it("lets an accountant change a rep's contract", async () => {
		const res = await send('PATCH', contractPath(hasContract.id), cookie.accountant, {
			...form('HĐ-002'),
			value: 130_000_000,
			noticeDays: 60
		});
		expect(res.status).toBe(200);
		const { contract } = (await res.json()) as { contract: ContractView };
		expect(contract).toMatchObject({ value: 130_000_000, noticeDays: 60 });
	});
});

describe('renewal over HTTP', () => {
	it('renews with a renewal deal on the board, once for a double submit', async () => {
		const body = { number: 'HĐ-001-GH1', deal: { pipelineId } };
		const path = `${contractPath(namsContract.id)}/renew`;
		const [a, b] = await Promise.all([
			send('POST', path, cookie.nam, body),
			send('POST', path, cookie.nam, body)
		]);
		expect([a.status, b.status].sort()).toEqual([200, 201]);
		const first = (await a.json()) as RenewResponse;
		const second = (await b.json()) as RenewResponse;
		expect(first.contract.id).toBe(second.contract.id);
		expect(first.contract).toMatchObject({
			number: 'HĐ-001-GH1',
			startsOn: '2027-01-01',
			endsOn: '2027-12-31',
			renews: { id: namsContract.id, number: 'HĐ-001' }
		});
		const dealId = (first.renewalDeal ?? second.renewalDeal)!.id;
		// The card reached the projection: the collab server wrote it and the projection ran.
		const projected = await until(async () => {
			const [row] = await app.db.select().from(deals).where(eq(deals.id, dealId));
			return row !== undefined;
		});
		expect(projected).toBe(true);
		const renewalDeals = await app.db
			.select()
			.from(deals)
			.where(and(eq(deals.orgId, org.id), eq(deals.title, 'Gia hạn: Máy lạnh Quận 7')));
		expect(renewalDeals).toHaveLength(1);
		expect(renewalDeals[0]).toMatchObject({
			ownerId: nam.id,
			pipelineId,
			amount: 120_000_000,
			status: 'open'
		});
		const [old] = await app.db.select().from(contracts).where(eq(contracts.id, namsContract.id));
		expect(old?.status).toBe('renewed');
	});

	it('refuses to renew the same contract again under another number', async () => {
		const res = await send('POST', `${contractPath(namsContract.id)}/renew`, cookie.nam, {
			number: 'HĐ-001-KHAC'
		});
		expect(res.status).toBe(409);
		expect(((await res.json()) as { message: string }).message).toBe(
			'Hợp đồng này đã được gia hạn rồi.'
		);
	});

	it('cancels a contract and keeps it', async () => {
		const res = await send('DELETE', contractPath(hasContract.id), cookie.ha);
		expect(res.status).toBe(200);
		const [row] = await app.db.select().from(contracts).where(eq(contracts.id, hasContract.id));
		expect(row?.status).toBe('cancelled');
	});
});
