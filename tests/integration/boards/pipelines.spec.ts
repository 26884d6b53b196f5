import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	dealsDocName,
	pipelineDocName,
	readAllStages,
	readSettings,
	readStages
} from '../../../src/lib/board/doc';
import { createDeal } from '../../../src/lib/board/ops';
import { readDeals } from '../../../src/lib/board/read';
import * as collabLog from '../../../src/lib/server/collab/log';
import { pipelines } from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';
import { cookieFor, get, location, postForm } from '../security/http';

// Pipelines and their stages through the production build: the list's and the settings page's
// form actions, what they write to the `pipelines` rows and the Yjs documents, what connected
// clients see live, and who may do it. Needs `npm run build` first.
const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Nguyễn Thị Lan' });
const org = await createOrg(app.db, { ownerId: owner.id, name: 'Công ty TNHH Sao Việt' });
const manager = await createUser(app.db, { name: 'Trần Quốc Huy' });
const rep = await createUser(app.db, { name: 'Lê Văn Nam' });
const otherRep = await createUser(app.db, { name: 'Phạm Thu Hà' });
const accountant = await createUser(app.db, { name: 'Võ Minh Châu' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: rep.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: otherRep.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
const cookies = {
	owner: await cookieFor(app, owner.id),
	manager: await cookieFor(app, manager.id),
	rep: await cookieFor(app, rep.id),
	otherRep: await cookieFor(app, otherRep.id),
	accountant: await cookieFor(app, accountant.id)
};
const list = `/o/${org.id}/boards`;
const settingsOf = (pipelineId: string) => `/o/${org.id}/boards/${pipelineId}/settings`;

/** A document as PostgreSQL holds it (snapshot plus log). */
async function stored(docName: string) {
	const states = await collabLog.readStates(app.db, { docNames: [docName] });
	const doc = new Y.Doc();
	const state = states.get(docName);
	if (state) Y.applyUpdate(doc, state);
	return doc;
}
async function storedStages(pipelineId: string) {
	return readStages(await stored(pipelineDocName(pipelineId)));
}
async function row(pipelineId: string) {
	const [r] = await app.db.select().from(pipelines).where(eq(pipelines.id, pipelineId));
	return r!;
}

async function createPipeline(name: string, template: 'standard' | 'single' = 'standard') {
	const res = await postForm(
		app,
		`${list}?/create`,
		{ name, template },
		{ cookie: cookies.manager }
	);
	expect(res.status).toBe(303);
	const to = location(res)!;
	expect(to).toMatch(/^\/o\/[0-9a-f-]{36}\/boards\/[0-9a-f-]{36}\/settings$/);
	return to.split('/')[4]!;
}

function stageForm(action: string, pipelineId: string, fields: Record<string, string>) {
	return postForm(app, `${settingsOf(pipelineId)}?/${action}`, fields, {
		cookie: cookies.manager
	});
}

async function waitSaved(client: ReturnType<typeof connect>) {
	await expect.poll(() => client.provider.unsyncedChanges, { timeout: 5000 }).toBe(0);
}

describe('the pipelines list', () => {
	let projects = '';

	it('creates a pipeline with the six default stages in its row and its document', async () => {
		projects = await createPipeline('Bán hàng <dự án> 🏗️');
		const r = await row(projects);
		expect(r).toMatchObject({ orgId: org.id, name: 'Bán hàng <dự án> 🏗️', createdBy: manager.id });
		const doc = await stored(pipelineDocName(projects));
		expect(readSettings(doc)).toEqual({
			name: 'Bán hàng <dự án> 🏗️',
			visibility: 'all',
			editing: 'own'
		});
		expect(readStages(doc).map((s) => s.name)).toEqual([
			'Tiếp cận',
			'Khảo sát nhu cầu',
			'Báo giá',
			'Đàm phán',
			'Ký hợp đồng',
			'Triển khai'
		]);
		// Listed after the default pipeline, escaped, with its stages.
		const html = await (await get(app, list, { cookie: cookies.manager })).text();
		expect(html.indexOf('Quy trình bán hàng')).toBeLessThan(html.indexOf('Bán hàng &lt;dự án>'));
		expect(html).toContain('Khảo sát nhu cầu');
		expect(html).not.toContain('<dự án>');
	});

	it('creates one with a single stage when asked', async () => {
		const id = await createPipeline('Bán lẻ', 'single');
		expect((await storedStages(id)).map((s) => s.name)).toEqual(['Mới']);
		const settings = await get(app, `${settingsOf(id)}?created`, { cookie: cookies.manager });
		expect(await settings.text()).toContain('Đã tạo quy trình “Bán lẻ”.');
	});

	it('refuses a blank name in Vietnamese and keeps the choice made', async () => {
		const res = await postForm(
			app,
			`${list}?/create`,
			{ name: '   ', template: 'single' },
			{ cookie: cookies.manager }
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Vui lòng nhập trường này.');
		expect(html).toMatch(/value="single"[^>]*checked/);
	});

	it('renames in the row and the document, and a connected client sees it live', async () => {
		const client = connect({
			origin: app.origin,
			documentName: pipelineDocName(projects),
			cookie: cookies.rep
		});
		await client.synced;
		expect(readSettings(client.doc).name).toBe('Bán hàng <dự án> 🏗️');
		const res = await postForm(
			app,
			`${list}?/rename`,
			{ pipelineId: projects, name: 'Dự án công trình' },
			{ cookie: cookies.owner }
		);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Đã đổi tên quy trình thành “Dự án công trình”.');
		await expect
			.poll(() => readSettings(client.doc).name, { timeout: 5000 })
			.toBe('Dự án công trình');
		expect((await row(projects)).name).toBe('Dự án công trình');
		client.destroy();
	});

	it('refuses a name over 100 characters under the field, keeping what was typed', async () => {
		const name = 'Quy trình '.repeat(11);
		const res = await postForm(
			app,
			`${list}?/rename`,
			{ pipelineId: projects, name },
			{ cookie: cookies.manager }
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Tối đa 100 ký tự.');
		expect(html).toContain(`value="${name}"`);
		expect((await row(projects)).name).toBe('Dự án công trình');
	});

	it('archives with a confirmation, lists it collapsed, and restores it', async () => {
		const archived = await postForm(
			app,
			`${list}?/archive`,
			{ pipelineId: projects },
			{ cookie: cookies.manager }
		);
		expect(archived.status).toBe(200);
		expect(await archived.text()).toContain('Đã lưu trữ quy trình “Dự án công trình”.');
		expect((await row(projects)).archivedAt).toBeInstanceOf(Date);
		const html = await (await get(app, list, { cookie: cookies.manager })).text();
		expect(html).toContain('Đã lưu trữ (1)');
		expect(html).toContain('Khôi phục quy trình Dự án công trình');

		const restored = await postForm(
			app,
			`${list}?/restore`,
			{ pipelineId: projects },
			{ cookie: cookies.manager }
		);
		expect(restored.status).toBe(200);
		expect(await restored.text()).toContain('Đã khôi phục quy trình “Dự án công trình”.');
		expect((await row(projects)).archivedAt).toBeNull();
	});

	it('keeps at least one pipeline open', async () => {
		const solo = await createUser(app.db, { name: 'Đỗ Thị Hương' });
		const soloOrg = await createOrg(app.db, { ownerId: solo.id, name: 'Hộ kinh doanh Hương' });
		const [only] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, soloOrg.id));
		const res = await postForm(
			app,
			`/o/${soloOrg.id}/boards?/archive`,
			{ pipelineId: only!.id },
			{ cookie: await cookieFor(app, solo.id) }
		);
		expect(res.status).toBe(409);
		expect(await res.text()).toContain('Cần giữ ít nhất một quy trình đang dùng');
		expect((await row(only!.id)).archivedAt).toBeNull();
	});

	it("never touches another organisation's pipeline", async () => {
		const stranger = await createUser(app.db, { name: 'Người Ngoài' });
		const strangerOrg = await createOrg(app.db, { ownerId: stranger.id, name: 'Công ty khác' });
		const res = await postForm(
			app,
			`/o/${strangerOrg.id}/boards?/archive`,
			{ pipelineId: projects },
			{ cookie: await cookieFor(app, stranger.id) }
		);
		expect(res.status).toBe(404);
		expect((await row(projects)).archivedAt).toBeNull();
		const page = await get(app, settingsOf(projects).replace(org.id, strangerOrg.id), {
			cookie: await cookieFor(app, stranger.id)
		});
		expect(page.status).toBe(404);
	});
});

describe('stages', () => {
	let id = '';

	it('adds a stage at the end with its colour, win probability and rot days', async () => {
		id = await createPipeline('Phân phối');
		const res = await stageForm('addStage', id, {
			name: 'Gửi mẫu thử',
			color: '#E11D48',
			winProbability: '35',
			rotDays: '5'
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Đã thêm giai đoạn “Gửi mẫu thử”.');
		const last = (await storedStages(id)).at(-1)!;
		expect(last).toMatchObject({
			name: 'Gửi mẫu thử',
			color: '#e11d48',
			winProbability: 35,
			rotDays: 5
		});
	});

	it('takes a custom colour from the colour picker', async () => {
		await stageForm('addStage', id, {
			name: 'Bảo hành',
			color: 'custom',
			customColor: '#12ab9f',
			winProbability: '100',
			rotDays: '0'
		});
		expect((await storedStages(id)).at(-1)).toMatchObject({ name: 'Bảo hành', color: '#12ab9f' });
	});

	it('refuses wrong fields with a message under each, keeping what was typed', async () => {
		const before = await storedStages(id);
		const res = await stageForm('addStage', id, {
			name: '',
			color: 'custom',
			customColor: 'đỏ',
			winProbability: '150',
			rotDays: '-1'
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Vui lòng nhập trường này.');
		expect(html).toContain('Màu cần có dạng #rrggbb');
		expect(html).toContain('Nhập một số nguyên từ 0 đến 100.');
		expect(html).toContain('Nhập số ngày từ 0 đến 3650');
		expect(html).toContain('value="150"');
		expect(html).toContain('value="-1"');
		expect(await storedStages(id)).toEqual(before);
	});

	it('renames a stage and changes its fields in one save', async () => {
		const quote = (await storedStages(id)).find((s) => s.name === 'Báo giá')!;
		const res = await stageForm('updateStage', id, {
			stageId: quote.id,
			name: 'Báo giá & thương lượng',
			color: '#7c3aed',
			winProbability: '45',
			rotDays: '21'
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Đã lưu giai đoạn “Báo giá &amp; thương lượng”.');
		expect((await storedStages(id)).find((s) => s.id === quote.id)).toMatchObject({
			name: 'Báo giá & thương lượng',
			color: '#7c3aed',
			winProbability: 45,
			rotDays: 21
		});
	});

	it('reorders stages before or after a neighbour', async () => {
		const stages = await storedStages(id);
		const last = stages.at(-1)!;
		let res = await stageForm('moveStage', id, { stageId: last.id, before: stages[0]!.id });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(`Đã chuyển “${last.name}” đến vị trí 1.`);
		expect((await storedStages(id))[0]!.id).toBe(last.id);

		const second = (await storedStages(id))[1]!;
		const third = (await storedStages(id))[2]!;
		res = await stageForm('moveStage', id, { stageId: second.id, after: third.id });
		expect(res.status).toBe(200);
		const order = (await storedStages(id)).map((s) => s.id);
		expect(order.indexOf(second.id)).toBe(order.indexOf(third.id) + 1);
	});

	it('says so when the stage no longer exists', async () => {
		const res = await stageForm('updateStage', id, {
			stageId: uuidv7(),
			name: 'Ma',
			color: '#64748b',
			winProbability: '0',
			rotDays: '0'
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Giai đoạn này không còn nữa');
	});
});

describe('deleting a stage', () => {
	let id = '';
	let from: { id: string; name: string };
	let to: { id: string; name: string };
	const mine = () => dealsDocName(id, rep.id);
	const theirs = () => dealsDocName(id, otherRep.id);
	let repClient: ReturnType<typeof connect>;
	let managerClient: ReturnType<typeof connect>;

	it('sets up deals in two owners’ shards', async () => {
		id = await createPipeline('Xuất khẩu');
		const stages = await storedStages(id);
		from = stages[2]!;
		to = stages[0]!;
		const pipelineDoc = await stored(pipelineDocName(id));
		// The rep writes their own shard; the manager writes the other rep's.
		repClient = connect({ origin: app.origin, documentName: mine(), cookie: cookies.rep });
		managerClient = connect({
			origin: app.origin,
			documentName: theirs(),
			cookie: cookies.manager
		});
		await Promise.all([repClient.synced, managerClient.synced]);
		const add = (client: typeof repClient, ownerId: string, stageId: string, title: string) =>
			createDeal(
				{ pipelineDoc, dealDoc: client.doc },
				{ id: uuidv7(), title, stageId, ownerId, amount: 10_000_000 },
				{ kind: 'user', userId: client === repClient ? rep.id : manager.id }
			);
		add(managerClient, otherRep.id, to.id, 'Đã ở giai đoạn đích');
		for (const n of [1, 2, 3]) add(repClient, rep.id, from.id, `Lô hàng ${n}`);
		for (const n of [4, 5]) add(managerClient, otherRep.id, from.id, `Lô hàng ${n}`);
		await Promise.all([waitSaved(repClient), waitSaved(managerClient)]);
		const html = await (await get(app, settingsOf(id), { cookie: cookies.manager })).text();
		expect(html).toContain('5 giao dịch');
	});

	it('refuses without a target while deals show in it, and says why', async () => {
		const res = await stageForm('deleteStage', id, { stageId: from.id });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain(
			'Giai đoạn này còn giao dịch. Hãy chọn giai đoạn sẽ nhận các giao dịch đó.'
		);
		expect((await storedStages(id)).map((s) => s.id)).toContain(from.id);
	});

	it('refuses the stage itself as the target', async () => {
		const res = await stageForm('deleteStage', id, { stageId: from.id, moveDealsTo: from.id });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Hãy chọn một giai đoạn khác để nhận giao dịch.');
	});

	it('moves every deal of every shard to the target and leaves none naming the stage', async () => {
		const res = await stageForm('deleteStage', id, { stageId: from.id, moveDealsTo: to.id });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(
			`Đã xoá giai đoạn “${from.name}” và chuyển 5 giao dịch sang “${to.name}”.`
		);
		const pipelineDoc = await stored(pipelineDocName(id));
		expect(readStages(pipelineDoc).map((s) => s.id)).not.toContain(from.id);
		expect(readAllStages(pipelineDoc).find((s) => s.id === from.id)).toMatchObject({
			mergedInto: to.id
		});
		for (const name of [mine(), theirs()]) {
			const deals = readDeals(await stored(name));
			expect(deals.length).toBeGreaterThan(0);
			expect(deals.filter((d) => d.stageId === from.id)).toEqual([]);
			expect(deals.every((d) => d.stageId === to.id)).toBe(true);
		}
		// Moved cards land after the one already there, keeping their order.
		const all = [...readDeals(await stored(mine())), ...readDeals(await stored(theirs()))].sort(
			(a, b) => (a.order < b.order ? -1 : 1)
		);
		expect(all[0]!.title).toBe('Đã ở giai đoạn đích');
		// Connected clients received the moves live.
		for (const client of [repClient, managerClient]) {
			await expect
				.poll(() => readDeals(client.doc).filter((d) => d.stageId === from.id).length)
				.toBe(0);
		}
		repClient.destroy();
		managerClient.destroy();
	});

	it('deletes a stage without deals without asking where they go', async () => {
		const empty = (await storedStages(id)).at(-1)!;
		const res = await stageForm('deleteStage', id, { stageId: empty.id });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(`Đã xoá giai đoạn “${empty.name}”.`);
	});

	it('never deletes the last stage', async () => {
		const single = await createPipeline('Một bước', 'single');
		const [only] = await storedStages(single);
		const res = await stageForm('deleteStage', single, { stageId: only!.id });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('không thể xoá giai đoạn cuối cùng');
		expect(await storedStages(single)).toHaveLength(1);
	});
});

describe('pipeline settings', () => {
	it("changes visibility and editing, and closes reps' sockets so access is decided afresh", async () => {
		const id = await createPipeline('Khách sỉ');
		const peek = connect({
			origin: app.origin,
			documentName: dealsDocName(id, otherRep.id),
			cookie: cookies.rep
		});
		await peek.synced;
		const res = await stageForm('settings', id, {
			name: 'Khách sỉ miền Bắc',
			visibility: 'own',
			editing: 'all'
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('Đã lưu cài đặt quy trình.');
		expect(readSettings(await stored(pipelineDocName(id)))).toEqual({
			name: 'Khách sỉ miền Bắc',
			visibility: 'own',
			editing: 'all'
		});
		expect((await row(id)).name).toBe('Khách sỉ miền Bắc');
		expect((await peek.closed).code).toBe(4401);
		peek.destroy();
	});

	it('refuses an unknown setting with a message', async () => {
		const [first] = await app.db
			.select()
			.from(pipelines)
			.where(and(eq(pipelines.orgId, org.id)));
		const res = await stageForm('settings', first!.id, {
			name: 'X',
			visibility: 'everyone',
			editing: 'own'
		});
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Vui lòng chọn một trong các lựa chọn.');
	});
});

describe('sales and accountants', () => {
	it('see the list and the settings without any form', async () => {
		const [first] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
		for (const cookie of [cookies.rep, cookies.accountant]) {
			const listHtml = await (await get(app, list, { cookie })).text();
			expect(listHtml).toContain('Quy trình bán hàng');
			expect(listHtml).toContain('Chỉ chủ sở hữu và quản lý có thể tạo và chỉnh sửa quy trình.');
			// The shell's logout form is the only one.
			expect(listHtml.match(/<form/g)).toHaveLength(1);
			const settings = await get(app, settingsOf(first!.id), { cookie });
			expect(settings.status).toBe(200);
			const html = await settings.text();
			expect(html).toContain('Tiếp cận');
			expect(html.match(/<form/g)).toHaveLength(1);
		}
	});

	it('are refused every action with 403, and nothing changes', async () => {
		const id = await createPipeline('Không được đụng');
		const [stage, other] = await storedStages(id);
		const snapshot = async () => ({
			row: await row(id),
			pipeline: readAllStages(await stored(pipelineDocName(id))),
			settings: readSettings(await stored(pipelineDocName(id))),
			count: (await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id))).length
		});
		const before = await snapshot();
		const posts: [string, Record<string, string>][] = [
			[`${list}?/create`, { name: 'Của tôi', template: 'standard' }],
			[`${list}?/rename`, { pipelineId: id, name: 'Đổi' }],
			[`${list}?/archive`, { pipelineId: id }],
			[`${list}?/restore`, { pipelineId: id }],
			[
				`${settingsOf(id)}?/addStage`,
				{ name: 'Thêm', color: '#64748b', winProbability: '1', rotDays: '1' }
			],
			[
				`${settingsOf(id)}?/updateStage`,
				{ stageId: stage!.id, name: 'Sửa', color: '#64748b', winProbability: '1', rotDays: '1' }
			],
			[`${settingsOf(id)}?/moveStage`, { stageId: other!.id, before: stage!.id }],
			[`${settingsOf(id)}?/deleteStage`, { stageId: stage!.id, moveDealsTo: other!.id }],
			[`${settingsOf(id)}?/settings`, { name: 'Đổi', visibility: 'own', editing: 'all' }]
		];
		for (const cookie of [cookies.rep, cookies.accountant]) {
			for (const [url, fields] of posts) {
				const res = await postForm(app, url, fields, { cookie });
				expect(res.status, url).toBe(403);
			}
		}
		expect(await snapshot()).toEqual(before);
	});
});
