import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName, readStages } from '../../../src/lib/board/doc';
import { createDeal } from '../../../src/lib/board/ops';
import { readDeal } from '../../../src/lib/board/read';
import { dealCustomer } from '../../../src/lib/customers/display';
import * as collabLog from '../../../src/lib/server/collab/log';
import * as customers from '../../../src/lib/server/customers/customers.repo';
import type { CustomerFields } from '../../../src/lib/server/customers/customers.repo';
import {
	collabDocuments,
	collabUpdates,
	customers as customersTable,
	dealEvents,
	deals,
	organisations,
	pipelineSettings,
	pipelines
} from '../../../src/lib/server/db/schema';
import * as records from '../../../src/lib/server/orgs/records';
import { startApp } from '../../support/app-server';
import { acked, connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';
import { sender } from '../notify/jobs-support';
import { cookieFor, get, location } from '../security/http';

// Customers (issue 4 item 1) through the production build: the forms and their messages, what
// they write, duplicates, merging (cards repointed in the live Yjs documents through the collab
// server), soft delete, and who may see and do what. Needs `npm run build` first.

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Nguyễn Thị Lan' });
const org = await createOrg(app.db, { ownerId: owner.id, name: 'Công ty TNHH Sao Việt' });
const manager = await createUser(app.db, { name: 'Trần Quốc Huy' });
const nam = await createUser(app.db, { name: 'Lê Văn Nam' });
const ha = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
const outsiderOrg = await createOrg(app.db, { ownerId: outsider.id, name: 'Công ty khác' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: nam.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: ha.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const cookies = {
	manager: await cookieFor(app, manager.id),
	nam: await cookieFor(app, nam.id),
	ha: await cookieFor(app, ha.id),
	accountant: await cookieFor(app, accountant.id),
	outsider: await cookieFor(app, outsider.id)
};
const [defaultPipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const base = `/o/${org.id}/customers`;

/** A form post with repeated fields (several phones, several tags), as a browser sends it. */
function post(path: string, fields: [string, string][], cookie: string) {
	return app.fetch(path, {
		method: 'POST',
		body: new URLSearchParams(fields),
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			cookie
		}
	});
}

function customerForm(
	values: Partial<Record<Exclude<keyof CustomerFields, 'phones' | 'tags'>, string>> & {
		phones?: string[];
		tags?: string[];
	}
): [string, string][] {
	const { phones = [], tags = [], ...rest } = values;
	return [
		...Object.entries({ kind: 'person', ownerId: '', ...rest }).map(
			([k, v]) => [k, v ?? ''] as [string, string]
		),
		...phones.map((p) => ['phones', p] as [string, string]),
		...tags.map((t) => ['tags', t] as [string, string])
	];
}

const fields = (over: Partial<CustomerFields> & { name: string }): CustomerFields => ({
	kind: 'person',
	phones: [],
	email: null,
	address: null,
	company: null,
	taxCode: null,
	source: null,
	tags: [],
	notes: null,
	ownerId: null,
	...over
});

async function makeCustomer(over: Partial<CustomerFields> & { name: string }, orgId = org.id) {
	return customers.create(app.db, { orgId, fields: fields(over), createdBy: manager.id });
}

async function row(id: string) {
	const [r] = await app.db.select().from(customersTable).where(eq(customersTable.id, id));
	return r!;
}

/** A document as PostgreSQL holds it (snapshot plus log). */
async function stored(docName: string) {
	const doc = new Y.Doc();
	await collabLog.loadInto(app.db, { docName, doc });
	return doc;
}

/** What PostgreSQL holds for a document without the log row `skip` (one that cannot load). */
async function storedState(docName: string, skip: number) {
	const doc = new Y.Doc();
	const rows = await app.db
		.select({ update: collabUpdates.update })
		.from(collabUpdates)
		.where(and(eq(collabUpdates.docName, docName), sql`${collabUpdates.seq} <> ${skip}`))
		.orderBy(asc(collabUpdates.seq));
	const [snapshot] = await app.db
		.select({ state: collabDocuments.state })
		.from(collabDocuments)
		.where(eq(collabDocuments.name, docName));
	if (snapshot) Y.applyUpdate(doc, snapshot.state);
	for (const r of rows) Y.applyUpdate(doc, r.update);
	return doc;
}

async function open(userId: string, documentName: string) {
	const c = connect({ origin: app.origin, documentName, cookie: await cookieFor(app, userId) });
	await c.synced;
	return c;
}

/** A card in `ownerId`'s shard naming a customer, made over a real socket by its owner. */
async function dealFor({
	ownerId,
	pipelineId = defaultPipeline!.id,
	title,
	customerId,
	customerName
}: {
	ownerId: string;
	pipelineId?: string;
	title: string;
	customerId: string;
	customerName: string;
}) {
	const pipe = await open(ownerId, pipelineDocName(pipelineId));
	const shard = await open(ownerId, dealsDocName(pipelineId, ownerId));
	const id = uuidv7();
	createDeal(
		{ pipelineDoc: pipe.doc, dealDoc: shard.doc },
		{
			id,
			title,
			stageId: readStages(pipe.doc)[0]!.id,
			ownerId,
			amount: 12_000_000,
			customerId,
			customerName
		},
		{ kind: 'user', userId: ownerId }
	);
	await acked(shard.provider);
	pipe.destroy();
	shard.destroy();
	return id;
}

/** Each deal's recorded changes of its customer name (SPEC B24): [from, to, by], in order. */
async function customerHistory(dealIds: string[]) {
	const rows = await app.db
		.select()
		.from(dealEvents)
		.where(and(inArray(dealEvents.dealId, dealIds), eq(dealEvents.kind, 'customer')))
		.orderBy(asc(dealEvents.createdAt), asc(dealEvents.id));
	return dealIds.flatMap((id) =>
		rows.filter((e) => e.dealId === id).map((e) => [e.fromValue, e.toValue, e.actorId])
	);
}

/** Waits for the projection to show these deals naming `customerId`. */
async function projected(dealIds: string[], customerId: string) {
	await expect
		.poll(
			async () => {
				const rows = await app.db
					.select({ customerId: deals.customerId })
					.from(deals)
					.where(inArray(deals.id, dealIds));
				return rows.length === dealIds.length && rows.every((r) => r.customerId === customerId);
			},
			{ timeout: 10_000, interval: 100 }
		)
		.toBe(true);
}

describe('creating and editing a customer', () => {
	it('creates a customer with every phone normalised to E.164, counted as a new record', async () => {
		const before = (await records.usage(app.db, { orgId: org.id })).count;
		const res = await post(
			`${base}/new`,
			customerForm({
				name: 'Chị Nguyễn Thị Hoa',
				phones: ['0912 345 678', '+84 987.654.321', ''],
				email: 'hoa@anhduong.vn',
				company: 'Công ty TNHH Ánh Dương',
				taxCode: '0101 234 567',
				source: 'Zalo',
				tags: ['VIP', 'Đại lý, vip', ' '],
				notes: 'Gọi sau 17h',
				ownerId: nam.id
			}),
			cookies.nam
		);
		expect(res.status).toBe(303);
		const to = location(res)!;
		expect(to).toMatch(new RegExp(`^${base}/[0-9a-f-]{36}$`));
		const created = await row(to.split('/').pop()!);
		expect(created).toMatchObject({
			orgId: org.id,
			name: 'Chị Nguyễn Thị Hoa',
			phones: ['+84912345678', '+84987654321'],
			email: 'hoa@anhduong.vn',
			taxCode: '0101234567',
			source: 'Zalo',
			tags: ['VIP', 'Đại lý'],
			notes: 'Gọi sau 17h',
			ownerId: nam.id,
			createdBy: nam.id,
			deletedAt: null
		});
		expect((await records.usage(app.db, { orgId: org.id })).count).toBe(before + 1);
		// The page says so, and shows the numbers as people write them.
		const page = await (await get(app, `${to}?created`, { cookie: cookies.nam })).text();
		expect(page).toContain('Đã tạo khách hàng “Chị Nguyễn Thị Hoa”.');
		expect(page).toContain('0912 345 678');
		expect(page).toContain('0987 654 321');
	});

	it('refuses a bad phone with a Vietnamese message on its row and keeps everything typed', async () => {
		const count = (await app.db.select().from(customersTable)).length;
		const res = await post(
			`${base}/new`,
			customerForm({
				name: 'Anh Trần Văn Bảo',
				phones: ['0912 000 111', '12ab'],
				email: 'bao@',
				taxCode: '12345',
				tags: ['Khách lẻ']
			}),
			cookies.nam
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('“12ab” không phải số điện thoại hợp lệ.');
		expect(html).toContain('Email không hợp lệ.');
		expect(html).toContain('Mã số thuế gồm 10 số, 12 số, hoặc dạng 0101234567-001.');
		// Typed values come back.
		expect(html).toContain('value="Anh Trần Văn Bảo"');
		expect(html).toContain('value="0912 000 111"');
		expect(html).toContain('value="12ab"');
		expect(html).toContain('value="Khách lẻ"');
		expect((await app.db.select().from(customersTable)).length).toBe(count);
	});

	it('asks for a name', async () => {
		const res = await post(`${base}/new`, customerForm({ name: '   ' }), cookies.nam);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Nhập tên khách hàng.');
	});

	it('refuses a new customer past the monthly record limit, writing and counting nothing', async () => {
		const { count } = await records.usage(app.db, { orgId: org.id });
		await app.db
			.update(organisations)
			.set({ maxRecordsPerMonth: count })
			.where(eq(organisations.id, org.id));
		try {
			const res = await post(`${base}/new`, customerForm({ name: 'Chị Mai' }), cookies.nam);
			expect(res.status).toBe(409);
			const html = await res.text();
			expect(html).toContain('Đơn vị đã dùng hết');
			expect(html).toContain('value="Chị Mai"');
			expect((await records.usage(app.db, { orgId: org.id })).count).toBe(count);
			expect(
				await app.db.select().from(customersTable).where(eq(customersTable.name, 'Chị Mai'))
			).toEqual([]);
		} finally {
			await app.db
				.update(organisations)
				.set({ maxRecordsPerMonth: null })
				.where(eq(organisations.id, org.id));
		}
	});

	it('edits a customer, and a refused edit changes nothing', async () => {
		const id = await makeCustomer({ name: 'Anh Tuấn', phones: ['+84903111222'] });
		const edit = `${base}/${id}/edit`;
		const saved = await post(
			edit,
			customerForm({
				kind: 'company',
				name: 'Công ty CP Tuấn Phát',
				phones: ['0903 111 222', '028 3822 1234'],
				address: '12 Lê Lợi, Quận 1, TP. Hồ Chí Minh',
				taxCode: '0312345678-001',
				tags: ['Dự án']
			}),
			cookies.ha
		);
		expect(saved.status).toBe(303);
		expect(location(saved)).toBe(`${base}/${id}`);
		expect(await row(id)).toMatchObject({
			kind: 'company',
			name: 'Công ty CP Tuấn Phát',
			phones: ['+84903111222', '+842838221234'],
			address: '12 Lê Lợi, Quận 1, TP. Hồ Chí Minh',
			taxCode: '0312345678-001',
			tags: ['Dự án']
		});

		const refused = await post(
			edit,
			customerForm({ name: 'Tên mới', phones: ['0903 111 222', '999'] }),
			cookies.ha
		);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('“999” không phải số điện thoại hợp lệ.');
		expect((await row(id)).name).toBe('Công ty CP Tuấn Phát');
	});

	it('[B24] shows a renamed customer’s new name on every card, kept in each deal’s history', async () => {
		const id = await makeCustomer({ name: 'Chị Mai', phones: ['+84905222333'] });
		const cards = [
			await dealFor({
				ownerId: nam.id,
				title: 'Tủ hồ sơ',
				customerId: id,
				customerName: 'Chị Mai'
			}),
			await dealFor({ ownerId: ha.id, title: 'Bàn họp', customerId: id, customerName: 'Chị Mai' })
		];
		await projected(cards, id);
		const saved = await post(
			`${base}/${id}/edit`,
			customerForm({ name: 'Công ty TNHH Mai Linh', phones: ['0905 222 333'] }),
			cookies.ha
		);
		expect(saved.status).toBe(303);

		const docs = await Promise.all(
			[nam.id, ha.id].map((owner) => stored(dealsDocName(defaultPipeline!.id, owner)))
		);
		for (const dealId of cards) {
			const card = docs.map((d) => readDeal(d, dealId)).find(Boolean);
			expect(card).toMatchObject({ customerId: id, customerName: 'Công ty TNHH Mai Linh' });
		}
		await expect
			.poll(() => customerHistory(cards), { timeout: 10_000 })
			.toEqual(cards.map(() => ['Chị Mai', 'Công ty TNHH Mai Linh', ha.id]));

		// Saving again without a new name changes no card and records nothing more.
		const again = await post(
			`${base}/${id}/edit`,
			customerForm({ name: 'Công ty TNHH Mai Linh', phones: ['0905 222 333'], tags: ['Đại lý'] }),
			cookies.ha
		);
		expect(again.status).toBe(303);
		const untouched = {
			db: app.db,
			changeDoc: () => {
				throw new Error('cards already showing the name must not be opened');
			}
		};
		const by = { userId: ha.id };
		expect(await customers.renameOnCards(untouched, { orgId: org.id, customerId: id, by })).toBe(0);
		expect(await customerHistory(cards)).toHaveLength(2);
	});

	it('[B24] brings the cards to a saved name through the customer-cards job', async () => {
		// A save whose card update failed leaves the row renamed and the card as it was; the
		// route then queues this job, and a worker writes the cards.
		const id = await makeCustomer({ name: 'Anh Phúc', phones: ['+84905444555'] });
		const card = await dealFor({
			ownerId: nam.id,
			title: 'Máy chiếu phòng họp',
			customerId: id,
			customerName: 'Anh Phúc'
		});
		await projected([card], id);
		await app.db
			.update(customersTable)
			.set({ name: 'Công ty CP Phúc An' })
			.where(eq(customersTable.id, id));
		const boss = await sender(app.databaseUrl);
		try {
			await boss.send('customer-cards', { orgId: org.id, customerId: id, userId: manager.id });
		} finally {
			await boss.stop({ graceful: false, wait: true });
		}
		const shard = dealsDocName(defaultPipeline!.id, nam.id);
		await expect
			.poll(async () => readDeal(await stored(shard), card)?.customerName, { timeout: 20_000 })
			.toBe('Công ty CP Phúc An');
		await expect
			.poll(() => customerHistory([card]), { timeout: 10_000 })
			.toEqual([['Anh Phúc', 'Công ty CP Phúc An', manager.id]]);
	});

	it('[B24] saves a rename whose cards cannot be written, and the queued job writes them later', async () => {
		const id = await makeCustomer({ name: 'Cô Thảo', phones: ['+84905666777'] });
		const card = await dealFor({
			ownerId: ha.id,
			title: 'Rèm cửa văn phòng',
			customerId: id,
			customerName: 'Cô Thảo'
		});
		await projected([card], id);
		const shard = dealsDocName(defaultPipeline!.id, ha.id);
		// Once no instance holds the shard (the shared lock every loaded document takes is gone),
		// a log row that is no Yjs update makes its next load fail, as a broken row would.
		await expect
			.poll(
				async () =>
					(
						await app.db.execute(sql`
							select 1 from pg_locks
							where locktype = 'advisory' and classid = ${collabLog.DOC_LOCK_CLASS}
								and objid = hashtext(${shard})::oid`)
					).length,
				{ timeout: 15_000 }
			)
			.toBe(0);
		const [broken] = await app.db
			.insert(collabUpdates)
			.values({ docName: shard, update: new Uint8Array([0xff, 0xff, 0xff, 0xff]) })
			.returning({ seq: collabUpdates.seq });

		const saved = await post(
			`${base}/${id}/edit`,
			customerForm({ name: 'Công ty TNHH Rèm Thảo', phones: ['0905 666 777'] }),
			cookies.ha
		);
		// The customer is saved, the card could not be written, and the save queued the job.
		expect(saved.status).toBe(303);
		expect((await row(id)).name).toBe('Công ty TNHH Rèm Thảo');
		const queued = await app.db.execute<{ state: string }>(sql`
			select state from pgboss.job
			where name = 'customer-cards' and data->>'customerId' = ${id}`);
		expect(queued.length).toBe(1);
		expect(readDeal(await storedState(shard, broken!.seq), card)?.customerName).toBe('Cô Thảo');

		// The row is mended; the job's next try writes the card, as the user who saved.
		await app.db.delete(collabUpdates).where(eq(collabUpdates.seq, broken!.seq));
		await expect
			.poll(async () => readDeal(await stored(shard), card)?.customerName, { timeout: 45_000 })
			.toBe('Công ty TNHH Rèm Thảo');
		await expect
			.poll(() => customerHistory([card]), { timeout: 10_000 })
			.toEqual([['Cô Thảo', 'Công ty TNHH Rèm Thảo', ha.id]]);
	}, 90_000);

	it('refuses an accountant as the owner', async () => {
		const res = await post(
			`${base}/new`,
			customerForm({ name: 'Chị Lụa', ownerId: accountant.id }),
			cookies.manager
		);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Người này không thể phụ trách khách hàng.');
	});
});

describe('possible duplicates', () => {
	it('groups customers sharing a phone however typed, or an email in any case, transitively', async () => {
		const owner2 = await createUser(app.db, { name: 'Chủ Đơn Vị Hai' });
		const other = await createOrg(app.db, { ownerId: owner2.id, name: 'Đơn vị Hai' });
		const viewer = { userId: owner2.id, role: 'owner' as const };
		// Typed three ways on the form; one number once normalised.
		const ids: string[] = [];
		for (const [name, phone, email] of [
			['Chị Hoa', '0912 345 678', ''],
			['Hoa Nguyễn', '+84 912345678', 'Hoa.Nguyen@Example.vn'],
			['Nguyễn Thị Hoa', '', 'hoa.nguyen@example.vn'],
			['Anh Long', '0988 777 666', 'long@example.vn']
		]) {
			const res = await post(
				`/o/${other.id}/customers/new`,
				customerForm({ name: name!, phones: phone ? [phone] : [], email: email! }),
				await cookieFor(app, owner2.id)
			);
			expect(res.status).toBe(303);
			ids.push(location(res)!.split('/').pop()!);
		}
		const groups = await customers.duplicates(app.db, { orgId: other.id, viewer });
		expect(groups).toHaveLength(1);
		expect(groups[0]!.customers.map((c) => c.id).sort()).toEqual(ids.slice(0, 3).sort());
		expect(groups[0]!.phones).toEqual(['+84912345678']);
		expect(groups[0]!.emails).toEqual(['hoa.nguyen@example.vn']);

		const listed = await customers.list(app.db, { orgId: other.id, viewer });
		const flag = new Map(listed.rows.map((r) => [r.id, r.duplicate]));
		expect(ids.map((id) => flag.get(id))).toEqual([true, true, true, false]);
		expect(await customers.duplicateCount(app.db, { orgId: other.id })).toBe(3);
		const only = await customers.list(app.db, { orgId: other.id, viewer, duplicates: true });
		expect(only.total).toBe(3);

		// The list page flags them and links the duplicates view.
		const html = await (
			await get(app, `/o/${other.id}/customers`, { cookie: await cookieFor(app, owner2.id) })
		).text();
		expect(html).toContain('Có thể trùng (3)');
	});

	it('finds customers by name without accents, by phone however typed, and by email', async () => {
		const owner3 = await createUser(app.db, { name: 'Chủ Đơn Vị Ba' });
		const other = await createOrg(app.db, { ownerId: owner3.id, name: 'Đơn vị Ba' });
		const viewer = { userId: owner3.id, role: 'owner' as const };
		const duc = await makeCustomer(
			{ name: 'Đặng Văn Đức', phones: ['+84912345678'], email: 'duc@sao.vn' },
			other.id
		);
		await makeCustomer({ name: 'Lê Thị Ngọc', phones: ['+84987000111'] }, other.id);
		const found = async (q: string) =>
			(await customers.list(app.db, { orgId: other.id, viewer, q })).rows.map((r) => r.id);
		for (const q of ['duc', 'dang van', 'ĐỨC', '0912 345', '+84 912', 'DUC@SAO']) {
			expect(await found(q), q).toEqual([duc]);
		}
		expect(await found('100%')).toEqual([]);
	});
});

describe('merging customers', () => {
	it('repoints every card of the merged customer to the survivor, unions fields, and is idempotent', async () => {
		const survivor = await makeCustomer({
			name: 'Chị Hoa (Ánh Dương)',
			phones: ['+84912888999'],
			email: 'hoa@anhduong.vn',
			tags: ['VIP'],
			notes: 'Khách quen'
		});
		const merged = await makeCustomer({
			name: 'Hoa Ánh Dương',
			phones: ['+84912888999', '+84283822999'],
			email: 'hoa.nguyen@gmail.com',
			address: '45 Nguyễn Huệ, Quận 1',
			taxCode: '0101999888',
			tags: ['vip', 'Đại lý'],
			notes: 'Thích gọi Zalo'
		});
		const cards = [
			await dealFor({
				ownerId: nam.id,
				title: 'Máy lọc nước văn phòng',
				customerId: merged,
				customerName: 'Hoa Ánh Dương'
			}),
			await dealFor({
				ownerId: nam.id,
				title: 'Bảo trì quý 3',
				customerId: merged,
				customerName: 'Hoa Ánh Dương'
			}),
			await dealFor({
				ownerId: ha.id,
				title: 'Lắp đặt chi nhánh 2',
				customerId: merged,
				customerName: 'Hoa Ánh Dương'
			})
		];
		await projected(cards, merged);
		const shards = [
			dealsDocName(defaultPipeline!.id, nam.id),
			dealsDocName(defaultPipeline!.id, ha.id)
		];

		const res = await post(
			`${base}/duplicates?/merge`,
			[
				['survivorId', survivor],
				['customerId', survivor],
				['customerId', merged]
			],
			cookies.manager
		);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(
			'Đã gộp 1 hồ sơ vào “Chị Hoa (Ánh Dương)”; 3 giao dịch đã chuyển sang.'
		);

		// The documents (what every board shows) name the survivor and show its name (SPEC B24);
		// each deal's history keeps the name it showed, changed by the manager who merged.
		const docs = await Promise.all(shards.map(stored));
		const cardIn = (id: string) => docs.map((d) => readDeal(d, id)).find(Boolean)!;
		for (const id of cards) {
			expect(cardIn(id)).toMatchObject({
				customerId: survivor,
				customerName: 'Chị Hoa (Ánh Dương)'
			});
		}
		await projected(cards, survivor);
		await expect
			.poll(() => customerHistory(cards), { timeout: 10_000 })
			.toEqual(cards.map(() => ['Hoa Ánh Dương', 'Chị Hoa (Ánh Dương)', manager.id]));

		const s = await row(survivor);
		expect(s).toMatchObject({
			phones: ['+84912888999', '+84283822999'],
			email: 'hoa@anhduong.vn',
			address: '45 Nguyễn Huệ, Quận 1',
			taxCode: '0101999888',
			tags: ['VIP', 'Đại lý'],
			deletedAt: null
		});
		expect(s.notes).toBe(
			'Khách quen\n\nGộp từ khách hàng “Hoa Ánh Dương”.\nEmail khác: hoa.nguyen@gmail.com\nThích gọi Zalo'
		);
		const m = await row(merged);
		expect(m.deletedAt).not.toBeNull();
		expect(m.mergedInto).toBe(survivor);
		// The merged customer's page leads to the survivor.
		const page = await get(app, `${base}/${merged}`, { cookie: cookies.nam });
		expect(page.status).toBe(303);
		expect(location(page)).toBe(`${base}/${survivor}`);

		// Again: nothing changes, not even the documents' logs. The latest sequence number written
		// to each shard, counting what compaction has folded into the snapshot: the documents may
		// unload and compact meanwhile (a CI run did), which deletes log rows but never adds one.
		const logged = async () => {
			const [log] = await app.db
				.select({ n: sql<number>`coalesce(max(${collabUpdates.seq}), 0)::bigint` })
				.from(collabUpdates)
				.where(inArray(collabUpdates.docName, shards));
			const [folded] = await app.db
				.select({ n: sql<number>`coalesce(max(${collabDocuments.throughSeq}), 0)::bigint` })
				.from(collabDocuments)
				.where(inArray(collabDocuments.name, shards));
			return Math.max(Number(log!.n), Number(folded!.n));
		};
		const logBefore = await logged();
		const again = await customers.merge(
			{
				db: app.db,
				changeDoc: () => {
					throw new Error('a repeated merge must not change any document');
				}
			},
			{
				orgId: org.id,
				survivorId: survivor,
				mergedId: merged,
				by: { userId: manager.id },
				locale: 'vi'
			}
		);
		expect(again).toEqual({ merged: false, repointed: 0 });
		const res2 = await post(
			`${base}/duplicates?/merge`,
			[
				['survivorId', survivor],
				['customerId', survivor],
				['customerId', merged]
			],
			cookies.manager
		);
		expect(res2.status).toBe(200);
		expect(await row(survivor)).toEqual(s);
		expect(await logged()).toBe(logBefore);
	});

	it('refuses to merge into a deleted customer or one of another organisation', async () => {
		const a = await makeCustomer({ name: 'Khách A', phones: ['+84911000001'] });
		const foreign = await makeCustomer({ name: 'Khách nơi khác' }, outsiderOrg.id);
		const deleted = await makeCustomer({ name: 'Khách đã xoá', phones: ['+84911000001'] });
		await customers.softDelete(app.db, { orgId: org.id, customerId: deleted });
		for (const survivorId of [foreign, deleted]) {
			const res = await post(
				`${base}/duplicates?/merge`,
				[
					['survivorId', survivorId],
					['customerId', survivorId],
					['customerId', a]
				],
				cookies.manager
			);
			expect(res.status).toBe(404);
			expect(await res.text()).toContain('Không tìm thấy khách hàng này.');
		}
		expect((await row(a)).deletedAt).toBeNull();
		expect((await row(foreign)).deletedAt).toBeNull();
	});
});

describe('deleting a customer', () => {
	it('soft-deletes; their deals keep the customer id and snapshot name, shown as no customer', async () => {
		const id = await makeCustomer({ name: 'Anh Tuấn Kiệt', phones: ['+84905123456'] });
		const dealId = await dealFor({
			ownerId: nam.id,
			title: 'Điều hoà phòng họp',
			customerId: id,
			customerName: 'Anh Tuấn Kiệt'
		});
		await projected([dealId], id);

		const res = await post(`${base}/${id}?/delete`, [], cookies.nam);
		expect(res.status).toBe(303);
		expect(location(res)).toBe(base);
		expect(res.headers.get('location')).toBe(`${base}?deleted=${id}`);
		expect((await row(id)).deletedAt).not.toBeNull();
		const list = await (await get(app, `${base}?deleted=${id}`, { cookie: cookies.nam })).text();
		expect(list).toContain('Đã xoá khách hàng “Anh Tuấn Kiệt”.');
		expect((await get(app, `${base}/${id}`, { cookie: cookies.nam })).status).toBe(404);

		// The deal is untouched, in its document and its row.
		const card = readDeal(await stored(dealsDocName(defaultPipeline!.id, nam.id)), dealId)!;
		expect(card).toMatchObject({ customerId: id, customerName: 'Anh Tuấn Kiệt' });
		const [projectedRow] = await app.db.select().from(deals).where(eq(deals.id, dealId));
		expect(projectedRow).toMatchObject({ customerId: id, customerName: 'Anh Tuấn Kiệt' });
		// What a deal shows for it: the snapshot and "Không còn khách hàng".
		const known = await customers.lookup(app.db, { orgId: org.id, ids: [id] });
		expect(dealCustomer(projectedRow!, known.get(id))).toEqual({
			kind: 'gone',
			name: 'Anh Tuấn Kiệt'
		});
		// Deleting again answers the same way and changes nothing.
		expect((await post(`${base}/${id}?/delete`, [], cookies.nam)).status).toBe(303);
	});
});

describe('who sees and does what', () => {
	it('answers 404 to a non-member everywhere, even for a customer that exists', async () => {
		const id = await makeCustomer({ name: 'Chị Bích' });
		for (const path of [
			base,
			`${base}/${id}`,
			`${base}/${id}/edit`,
			`${base}/new`,
			`${base}/rows`
		]) {
			expect((await get(app, path, { cookie: cookies.outsider })).status, path).toBe(404);
		}
		for (const path of [`${base}/new`, `${base}/${id}/edit`, `${base}/${id}?/delete`]) {
			const res = await post(path, customerForm({ name: 'Đổi tên' }), cookies.outsider);
			expect(res.status, path).toBe(404);
		}
		expect((await row(id)).name).toBe('Chị Bích');
		expect((await row(id)).deletedAt).toBeNull();
	});

	it('lets an accountant read customers but never create, edit, delete or merge', async () => {
		const id = await makeCustomer({ name: 'Cô Thảo', phones: ['+84913555666'] });
		const twin = await makeCustomer({ name: 'Thảo', phones: ['+84913555666'] });
		expect((await get(app, base, { cookie: cookies.accountant })).status).toBe(200);
		const page = await get(app, `${base}/${id}`, { cookie: cookies.accountant });
		expect(page.status).toBe(200);
		expect(await page.text()).not.toContain('/edit"');
		expect((await get(app, `${base}/new`, { cookie: cookies.accountant })).status).toBe(403);
		expect((await get(app, `${base}/${id}/edit`, { cookie: cookies.accountant })).status).toBe(403);
		const writes: [string, [string, string][]][] = [
			[`${base}/new`, customerForm({ name: 'Khách của kế toán' })],
			[`${base}/${id}/edit`, customerForm({ name: 'Đổi tên' })],
			[`${base}/${id}?/delete`, []],
			[
				`${base}/duplicates?/merge`,
				[
					['survivorId', id],
					['customerId', id],
					['customerId', twin]
				]
			]
		];
		for (const [path, body] of writes) {
			expect((await post(path, body, cookies.accountant)).status, path).toBe(403);
		}
		expect(await row(id)).toMatchObject({ name: 'Cô Thảo', deletedAt: null });
		expect((await row(twin)).deletedAt).toBeNull();
		expect(
			await app.db.select().from(customersTable).where(eq(customersTable.name, 'Khách của kế toán'))
		).toEqual([]);
	});

	it("shows a rep in an own-only pipeline their own deals on a customer page, not another rep's", async () => {
		// A pipeline whose reps see only their own deals.
		const made = await post(
			`/o/${org.id}/boards?/create`,
			[
				['name', 'Dự án riêng'],
				['template', 'single']
			],
			cookies.manager
		);
		expect(made.status).toBe(303);
		const pipelineId = location(made)!.split('/')[4]!;
		const id = await makeCustomer({ name: 'Tập đoàn Hưng Thịnh', kind: 'company' });
		const namsDeal = await dealFor({
			ownerId: nam.id,
			pipelineId,
			title: 'Hợp đồng của Nam',
			customerId: id,
			customerName: 'Tập đoàn Hưng Thịnh'
		});
		const hasDeal = await dealFor({
			ownerId: ha.id,
			pipelineId,
			title: 'Hợp đồng của Hà',
			customerId: id,
			customerName: 'Tập đoàn Hưng Thịnh'
		});
		await projected([namsDeal, hasDeal], id);
		const settings = await post(
			`/o/${org.id}/boards/${pipelineId}/settings?/settings`,
			[
				['name', 'Dự án riêng'],
				['visibility', 'own'],
				['editing', 'own']
			],
			cookies.manager
		);
		expect(settings.status).toBe(200);
		await expect
			.poll(
				async () =>
					(
						await app.db
							.select({ v: pipelineSettings.visibility })
							.from(pipelineSettings)
							.where(eq(pipelineSettings.pipelineId, pipelineId))
					)[0]?.v,
				{ timeout: 10_000, interval: 100 }
			)
			.toBe('own');

		const asNam = await (await get(app, `${base}/${id}`, { cookie: cookies.nam })).text();
		expect(asNam).toContain('Hợp đồng của Nam');
		expect(asNam).not.toContain('Hợp đồng của Hà');
		expect(asNam).toContain(`/o/${org.id}/boards/${pipelineId}?deal=${namsDeal}`);
		const asManager = await (await get(app, `${base}/${id}`, { cookie: cookies.manager })).text();
		expect(asManager).toContain('Hợp đồng của Nam');
		expect(asManager).toContain('Hợp đồng của Hà');
		// The table's deal count follows the same rule.
		const counted = await customers.list(app.db, {
			orgId: org.id,
			viewer: { userId: nam.id, role: 'sales' },
			q: 'Hưng Thịnh'
		});
		expect(counted.rows.map((r) => r.dealCount)).toEqual([1]);
	});
});
