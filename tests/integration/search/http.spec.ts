import { afterAll, describe, expect, it } from 'vitest';
import type { SearchResults } from '../../../src/lib/search/types';
import { startApp } from '../../support/app-server';
import { addMember, createOrg, createUser } from '../../support/factories';
import { cookieFor } from '../security/http';
import { createCustomer, seedBoard } from './seed';

// GET /o/<org>/search through the production build (`npm run build` first): who may ask, what
// a bad query is told in the asker's language, and that the rep's own-only rule holds on the wire.
const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Nguyễn Thị Lan' });
const org = await createOrg(app.db, { ownerId: owner.id, name: 'Công ty TNHH Sao Việt' });
const repA = await createUser(app.db, { name: 'Lê Văn Nam' });
const repB = await createUser(app.db, { name: 'Phạm Thu Hà', locale: 'en' });
await addMember(app.db, { orgId: org.id, userId: repA.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: repB.id, role: 'sales' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
await createOrg(app.db, { ownerId: outsider.id, name: 'Đơn vị khác' });

const an = await createCustomer(app.db, {
	orgId: org.id,
	name: 'Nguyễn Văn An',
	phones: ['0912 345 678']
});
const board = await seedBoard(app.db, {
	orgId: org.id,
	name: 'Bán hàng dự án',
	visibility: 'own',
	deals: [
		{ ownerId: repA.id, title: 'Máy lọc nước RO', customer: { id: an.id, name: an.name } },
		{ ownerId: repB.id, title: 'Máy lọc không khí', customer: { name: 'Trần Đức Minh' } }
	]
});

const cookies = {
	owner: await cookieFor(app, owner.id),
	repA: await cookieFor(app, repA.id),
	repB: await cookieFor(app, repB.id),
	outsider: await cookieFor(app, outsider.id)
};

function ask(q: string | null, cookie?: string) {
	const url = `/o/${org.id}/search` + (q === null ? '' : `?q=${encodeURIComponent(q)}`);
	return app.fetch(url, { headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) } });
}

describe('GET /o/<org>/search', () => {
	it('answers a member with customers and the deals they may see, never cached', async () => {
		const res = await ask('+84 912 345 678', cookies.owner);
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('private, no-store');
		const body = (await res.json()) as SearchResults;
		expect(body.customers.map((c) => c.name)).toEqual(['Nguyễn Văn An']);
	});

	it('keeps another rep’s deals of an own-only pipeline out of a rep’s answer', async () => {
		const [a, b] = board.dealIds;
		const mine = (await (await ask('may loc', cookies.repA)).json()) as SearchResults;
		expect(mine.deals.map((d) => d.id)).toEqual([a]);
		const theirs = (await (await ask('may loc', cookies.repB)).json()) as SearchResults;
		expect(theirs.deals.map((d) => d.id)).toEqual([b]);
	});

	it('says what is wrong with an empty or overlong query, in the user’s language', async () => {
		for (const q of [null, '', '   ']) {
			const res = await ask(q, cookies.repA);
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({ message: 'Hãy nhập nội dung cần tìm.' });
		}
		const long = await ask('a'.repeat(101), cookies.repB);
		expect(long.status).toBe(400);
		expect(await long.json()).toEqual({
			message: 'A search can be at most 100 characters long.'
		});
	});

	it('answers 404 to a non-member and sends a logged-out visitor to log in', async () => {
		const res = await ask('nguyen', cookies.outsider);
		expect(res.status).toBe(404);
		await res.body?.cancel();
		const anon = await ask('nguyen');
		expect(anon.status).toBe(303);
		expect(anon.headers.get('location')).toMatch(/^\/login\?next=/);
	});
});
