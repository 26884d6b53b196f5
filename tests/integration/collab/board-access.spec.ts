import { HocuspocusProvider } from '@hocuspocus/provider';
import { IncomingMessage, MessageType } from '@hocuspocus/server';
import { and, eq } from 'drizzle-orm';
import { generateKeyBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dealsDocName, pipelineDocName } from '../../../src/lib/board/doc';
import { dealDocName } from '../../../src/lib/deal/doc';
import { initPipeline, setPipelineSettings } from '../../../src/lib/board/ops';
import * as session from '../../../src/lib/server/auth/session';
import * as collabLog from '../../../src/lib/server/collab/log';
import {
	collabDocuments,
	collabUpdates,
	deals,
	pipelines
} from '../../../src/lib/server/db/schema';
import { startApp } from '../../support/app-server';
import { connect } from '../../support/collab-client';
import { addMember, createOrg, createUser } from '../../support/factories';

const app = await startApp();
afterAll(() => app.stop());

const owner = await createUser(app.db, { name: 'Chủ Doanh Nghiệp' });
const org = await createOrg(app.db, { ownerId: owner.id });
const manager = await createUser(app.db, { name: 'Quản Lý' });
const accountant = await createUser(app.db, { name: 'Kế Toán' });
const rep = await createUser(app.db, { name: 'Lê Văn Nam' });
const otherRep = await createUser(app.db, { name: 'Phạm Thu Hà' });
await addMember(app.db, { orgId: org.id, userId: manager.id, role: 'manager' });
await addMember(app.db, { orgId: org.id, userId: accountant.id, role: 'accountant' });
await addMember(app.db, { orgId: org.id, userId: rep.id, role: 'sales' });
await addMember(app.db, { orgId: org.id, userId: otherRep.id, role: 'sales' });
const outsider = await createUser(app.db, { name: 'Người Ngoài' });
const otherOrg = await createOrg(app.db, { ownerId: outsider.id, name: 'Công ty khác' });

// The default pipeline (visibility all, editing own) and two more with the other settings.
const [defaultPipeline] = await app.db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
const [foreignPipeline] = await app.db
	.select()
	.from(pipelines)
	.where(eq(pipelines.orgId, otherOrg.id));
const ownOnly = await pipelineWith({ visibility: 'own' });
const editAll = await pipelineWith({ editing: 'all' });

async function pipelineWith(settings: { visibility?: 'own'; editing?: 'all' }) {
	const [row] = await app.db
		.insert(pipelines)
		.values({ orgId: org.id, name: 'Bán lẻ', position: generateKeyBetween('a0', null) })
		.returning();
	const doc = new Y.Doc();
	const origin = { kind: 'server', reason: 'test' } as const;
	initPipeline(
		doc,
		{
			name: 'Bán lẻ',
			stages: [
				{ id: uuidv7(), name: 'Khách mới', color: '#64748b', winProbability: 10, rotDays: 3 }
			]
		},
		origin
	);
	setPipelineSettings(doc, settings, origin);
	await app.db
		.insert(collabDocuments)
		.values({ name: pipelineDocName(row!.id), state: Y.encodeStateAsUpdate(doc) });
	return row!;
}

async function cookieFor(userId: string) {
	const { token } = await session.create(app.db, { userId });
	return `__Host-chot_session=${token}`;
}

async function open(userId: string, documentName: string) {
	return connect({ origin: app.origin, documentName, cookie: await cookieFor(userId) });
}

// What PostgreSQL holds for a document (snapshot plus log), read in one snapshot of the database:
// the compaction that runs when a document unloads moves rows, never changes the state.
async function storedProbe(docName: string) {
	const states = await app.db.transaction(
		(tx) => collabLog.readStates(tx, { docNames: [docName] }),
		{ isolationLevel: 'repeatable read' }
	);
	const doc = new Y.Doc();
	const state = states.get(docName);
	if (state) Y.applyUpdate(doc, state);
	const probe = doc.getMap('probe').toJSON();
	doc.destroy();
	return probe;
}

/** Whether a write by `writer` reaches `watcher` (an owner's client) and PostgreSQL. */
async function writeReaches(writerId: string, documentName: string) {
	const watcher = await open(owner.id, documentName);
	const writer = await open(writerId, documentName);
	await Promise.all([watcher.synced, writer.synced]);
	const key = `k${Math.random()}`;
	const seen = new Promise<boolean>((resolve) => {
		watcher.doc.getMap('probe').observe(() => resolve(true));
		setTimeout(() => resolve(false), 1000);
	});
	writer.doc.getMap('probe').set(key, 'Xin chào 👋');
	const reached = await seen;
	watcher.destroy();
	writer.destroy();
	// An update is logged before it is applied, so by now it is stored if it ever will be.
	const stored = key in (await storedProbe(documentName));
	return { reached, stored };
}

async function expectReadWrite(userId: string, documentName: string) {
	expect(await writeReaches(userId, documentName)).toEqual({ reached: true, stored: true });
}

async function expectReadOnly(userId: string, documentName: string) {
	expect(await writeReaches(userId, documentName)).toEqual({ reached: false, stored: false });
}

async function expectRefused(userId: string, documentName: string) {
	const c = await open(userId, documentName);
	await expect(c.synced).rejects.toThrow(/authentication failed/);
	c.destroy();
}

const p = defaultPipeline!.id;

describe('board documents on the collab socket', () => {
	it('gives owners and managers every board document read-write', async () => {
		for (const user of [owner, manager]) {
			await expectReadWrite(user.id, pipelineDocName(p));
			await expectReadWrite(user.id, dealsDocName(p, rep.id));
			await expectReadWrite(user.id, dealsDocName(ownOnly.id, otherRep.id));
		}
	});

	it('gives accountants every board document read-only, their writes reaching nobody', async () => {
		await expectReadOnly(accountant.id, pipelineDocName(p));
		await expectReadOnly(accountant.id, dealsDocName(p, rep.id));
		await expectReadOnly(accountant.id, dealsDocName(ownOnly.id, rep.id));
	});

	it('gives a rep the pipeline read-only and their own shard read-write', async () => {
		await expectReadOnly(rep.id, pipelineDocName(p));
		await expectReadWrite(rep.id, dealsDocName(p, rep.id));
		await expectReadWrite(rep.id, dealsDocName(ownOnly.id, rep.id));
	});

	it("gives a rep another rep's shard read-only when editing is own, read-write when all", async () => {
		await expectReadOnly(rep.id, dealsDocName(p, otherRep.id));
		await expectReadWrite(rep.id, dealsDocName(editAll.id, otherRep.id));
	});

	it("refuses a rep another rep's shard when visibility is own", async () => {
		await expectRefused(rep.id, dealsDocName(ownOnly.id, otherRep.id));
	});

	it('refuses unknown and foreign pipelines, non-member owners and malformed names alike', async () => {
		const stranger = uuidv7();
		for (const documentName of [
			pipelineDocName(uuidv7()),
			dealsDocName(uuidv7(), owner.id),
			pipelineDocName(foreignPipeline!.id),
			dealsDocName(foreignPipeline!.id, outsider.id),
			dealsDocName(p, outsider.id),
			dealsDocName(p, stranger),
			`pipeline:${p.toUpperCase()}`,
			`deals:${p}`
		]) {
			await expectRefused(owner.id, documentName);
		}
		// The outsider owns the foreign pipeline's organisation but not ours.
		await expectRefused(outsider.id, pipelineDocName(p));
		await expectRefused(outsider.id, dealsDocName(p, outsider.id));
	});

	it('refuses every document of an archived pipeline', async () => {
		const archived = await pipelineWith({});
		await expectReadWrite(owner.id, pipelineDocName(archived.id));
		await app.db
			.update(pipelines)
			.set({ archivedAt: new Date() })
			.where(eq(pipelines.id, archived.id));
		await expectRefused(owner.id, pipelineDocName(archived.id));
		await expectRefused(owner.id, dealsDocName(archived.id, rep.id));
	});

	it('[D1] opens a deal’s document under the rule of the shard holding its card', async () => {
		const dealIn = async (pipelineId: string, ownerId: string) => {
			const id = uuidv7();
			const now = new Date();
			await app.db.insert(deals).values({
				id,
				orgId: org.id,
				pipelineId,
				ownerId,
				title: 'Máy lọc nước',
				position: 'a0',
				amount: 0,
				starred: false,
				status: 'open',
				createdAt: now,
				updatedAt: now,
				stageEnteredAt: now
			});
			return dealDocName(id);
		};
		const own = await dealIn(p, rep.id);
		const colleague = await dealIn(p, otherRep.id);
		const hidden = await dealIn(ownOnly.id, otherRep.id);
		await expectReadWrite(rep.id, own);
		await expectReadOnly(rep.id, colleague);
		await expectRefused(rep.id, hidden);
		await expectReadWrite(manager.id, hidden);
		await expectReadOnly(accountant.id, own);
		await expectRefused(outsider.id, own);
		// A deal the projection does not know (yet) is refused, as is a malformed name.
		await expectRefused(owner.id, dealDocName(uuidv7()));
		await expectRefused(owner.id, `deal:${p}x`);
	});

	it("never sends a rep's socket another rep's shard in own mode (checked on the wire)", async () => {
		const theirs = dealsDocName(ownOnly.id, otherRep.id);
		// The other rep writes to their shard, so it has content to leak.
		const writer = await open(otherRep.id, theirs);
		await writer.synced;
		writer.doc.getMap('deals').set('x', 'bí mật');
		await expect.poll(() => writer.provider.unsyncedChanges, { timeout: 5000 }).toBe(0);

		const mine = await open(rep.id, dealsDocName(ownOnly.id, rep.id));
		const frames: { name: string; type: number }[] = [];
		mine.socket.on('message', (event: { data: ArrayBuffer | Uint8Array }) => {
			const message = new IncomingMessage(new Uint8Array(event.data as ArrayBuffer));
			frames.push({ name: message.readVarString(), type: message.readVarUint() });
		});
		await mine.synced;
		// A second provider on the same socket asks for the other rep's shard.
		const doc = new Y.Doc();
		const other = new HocuspocusProvider({
			websocketProvider: mine.socket,
			name: theirs,
			document: doc
		});
		other.attach();
		const refused = await new Promise<boolean>((resolve) => {
			other.on('authenticationFailed', () => resolve(true));
			other.on('synced', () => resolve(false));
		});
		expect(refused).toBe(true);
		// Further writes to the shard while the rep's socket stays open.
		writer.doc.getMap('deals').set('y', 'vẫn bí mật');
		await expect.poll(() => writer.provider.unsyncedChanges, { timeout: 5000 }).toBe(0);
		await new Promise((r) => setTimeout(r, 500));

		expect(doc.getMap('deals').size).toBe(0);
		// Only the refusal itself names the shard; no sync or awareness frame for it arrives.
		const forTheirs = frames.filter((f) => f.name === theirs);
		expect(forTheirs.length).toBeGreaterThan(0);
		expect(forTheirs.every((f) => f.type === MessageType.Auth)).toBe(true);
		expect(frames.some((f) => f.name === dealsDocName(ownOnly.id, rep.id))).toBe(true);
		other.destroy();
		mine.destroy();
		writer.destroy();
	});

	it('stores nothing of a read-only write in the database', async () => {
		const name = dealsDocName(p, otherRep.id);
		const c = await open(rep.id, name);
		await c.synced;
		c.doc.getMap('probe').set('forged', 'giả mạo');
		await new Promise((r) => setTimeout(r, 500));
		c.destroy();
		expect(await storedProbe(name)).not.toHaveProperty('forged');
		const rows = await app.db
			.select({ seq: collabUpdates.seq })
			.from(collabUpdates)
			.where(and(eq(collabUpdates.docName, name), eq(collabUpdates.userId, rep.id)));
		expect(rows).toEqual([]);
	});
});
