import { and, asc, eq, inArray, isNull, like, ne, or, sql } from 'drizzle-orm';
import { generateKeyBetween } from 'fractional-indexing';
import { v7 as uuidv7 } from 'uuid';
import * as Y from 'yjs';
import {
	dealsDocName,
	parseBoardDocName,
	pipelineDocName,
	readSettings,
	readStages,
	type PipelineSettings,
	type Stage
} from '$lib/board/doc';
import { initPipeline, setPipelineSettings, type NewStage } from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import { columns, stageIndex } from '$lib/board/read';
import { readStates } from '../collab/log';
import type { Db, Tx } from '../db';
import {
	collabDocuments,
	collabUpdates,
	deals,
	memberships,
	pipelines,
	type Role
} from '../db/schema';
import { writeSettings } from '../projection/projection.repo';

export type PipelineSummary = { id: string; name: string; stages: Stage[] };

/** The organisation's open pipelines in their order, each with its stages from its document. */
export async function listWithStages(
	db: Tx,
	{ orgId }: { orgId: string }
): Promise<PipelineSummary[]> {
	const rows = await db
		.select({ id: pipelines.id, name: pipelines.name })
		.from(pipelines)
		.where(and(eq(pipelines.orgId, orgId), isNull(pipelines.archivedAt)))
		.orderBy(asc(pipelines.position), asc(pipelines.id));
	if (rows.length === 0) return [];
	// Snapshot plus logged updates: what the collab server would load.
	const stateOf = await readStates(db, { docNames: rows.map((r) => pipelineDocName(r.id)) });
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		stages: fromState(stateOf.get(pipelineDocName(r.id)), readStages)
	}));
}

/** Reads a stored document state (undefined: never written) through a scratch doc it frees. */
function fromState<T>(state: Uint8Array | undefined, read: (doc: Y.Doc) => T): T {
	const doc = new Y.Doc();
	try {
		if (state) Y.applyUpdate(doc, state);
		return read(doc);
	} finally {
		doc.destroy();
	}
}

type Locale = 'vi' | 'en';

// The default pipeline every new organisation starts with (issue 3): names per the
// organisation's locale, the same colours, win probabilities and rot days in both.
const defaultPipeline: Record<Locale, { name: string; stages: string[] }> = {
	vi: {
		name: 'Quy trình bán hàng',
		stages: ['Tiếp cận', 'Khảo sát nhu cầu', 'Báo giá', 'Đàm phán', 'Ký hợp đồng', 'Triển khai']
	},
	en: {
		name: 'Sales pipeline',
		stages: [
			'Prospecting',
			'Needs analysis',
			'Quotation',
			'Negotiation',
			'Contract signing',
			'Delivery'
		]
	}
};
// Colours from the stage palette (3:1 against white), so default stages match what settings offer.
const defaultStageShape: Omit<NewStage, 'id' | 'name'>[] = [
	{ color: '#64748b', winProbability: 10, rotDays: 7 },
	{ color: '#0284c7', winProbability: 20, rotDays: 10 },
	{ color: '#4f46e5', winProbability: 40, rotDays: 14 },
	{ color: '#d97706', winProbability: 60, rotDays: 14 },
	{ color: '#059669', winProbability: 80, rotDays: 7 },
	{ color: '#0f766e', winProbability: 100, rotDays: 30 }
];
const singleStage: Record<Locale, string> = { vi: 'Mới', en: 'New' };

/**
 * What a new pipeline starts with: `standard` is the six default stages in the organisation's
 * language (most teams adapt them rather than start from nothing); `single` is one stage to
 * build on. Fresh stage ids every time.
 */
export type StageTemplate = 'standard' | 'single';
export function templateStages({
	locale,
	template
}: {
	locale: Locale;
	template: StageTemplate;
}): NewStage[] {
	if (template === 'single') {
		return [
			{ id: uuidv7(), name: singleStage[locale], color: '#64748b', winProbability: 10, rotDays: 0 }
		];
	}
	return defaultPipeline[locale].stages.map((name, i) => ({
		...defaultStageShape[i]!,
		id: uuidv7(),
		name
	}));
}

/**
 * Creates a pipeline: its ledger row, last in the organisation's order, and its document's
 * initial state (`initPipeline`, which validates name and stages first), stored as the
 * document's snapshot (through_seq 0, no log rows yet) — exactly what `collabLog.loadInto`
 * applies first when the collab server opens it. Nobody can have the document open yet (its id
 * is new), so writing the snapshot directly is safe; run it in a transaction so neither exists
 * without the other.
 */
export async function create(
	tx: Tx,
	{
		orgId,
		name,
		stages,
		createdBy,
		origin
	}: { orgId: string; name: string; stages: NewStage[]; createdBy: string | null; origin: Origin }
) {
	const doc = new Y.Doc();
	try {
		initPipeline(doc, { name, stages }, origin);
		const rows = await tx
			.select({ id: pipelines.id, position: pipelines.position })
			.from(pipelines)
			.where(eq(pipelines.orgId, orgId));
		const last = rows.sort(byPosition).at(-1);
		const [row] = await tx
			.insert(pipelines)
			.values({
				orgId,
				name,
				position: generateKeyBetween(last?.position ?? null, null),
				createdBy
			})
			.returning();
		await tx
			.insert(collabDocuments)
			.values({ name: pipelineDocName(row!.id), state: Y.encodeStateAsUpdate(doc), throughSeq: 0 });
		// Lists and search read visibility from the projection; write it now, not on first open.
		await writeSettings(tx, { orgId, pipelineId: row!.id, settings: readSettings(doc) });
		return row!;
	} finally {
		doc.destroy();
	}
}

/**
 * Creates the organisation's default pipeline. Call it inside the transaction that creates the
 * organisation, so neither exists without the other.
 */
export async function createDefault(
	tx: Tx,
	{ orgId, locale, createdBy }: { orgId: string; locale: Locale; createdBy: string | null }
) {
	return create(tx, {
		orgId,
		name: defaultPipeline[locale].name,
		stages: templateStages({ locale, template: 'standard' }),
		createdBy,
		origin: { kind: 'server', reason: 'default-pipeline' }
	});
}

// Fractional keys compare as plain strings (code units); sorted here rather than by SQL
// `order by`, whose result depends on the database's collation. Ties fall back to the id.
function byPosition(a: { position: string; id: string }, b: { position: string; id: string }) {
	if (a.position !== b.position) return a.position < b.position ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A pipeline of the organisation (archived or not), or null: never another organisation's. */
export async function find(db: Tx, { orgId, pipelineId }: { orgId: string; pipelineId: string }) {
	const [row] = await db
		.select()
		.from(pipelines)
		.where(and(eq(pipelines.orgId, orgId), eq(pipelines.id, pipelineId)));
	return row ?? null;
}

export type StageWithCount = Stage & { deals: number };
export type PipelineListItem = {
	id: string;
	name: string;
	archived: boolean;
	/** Shown stages in order, each with the open deals the viewer's board shows in it. */
	stages: StageWithCount[];
	deals: number;
};

/**
 * Every pipeline of the organisation in order, open and archived, with its stages (from its
 * document: the name and stages connected clients see) and, for open pipelines, the open deals
 * in each column as the viewer's board shows them by default: the shards they may see (the rule
 * of `boardAccess`), counted in the projection (design.md "Projection"), so about a second
 * behind the board. Counting from the documents instead read and applied every shard of every
 * board: ~0.5 s for one 5,000-deal board, on each view of the list.
 */
export async function listAll(
	db: Tx,
	{ orgId, viewer }: { orgId: string; viewer: { userId: string; role: Role } }
): Promise<PipelineListItem[]> {
	const rows = (
		await db
			.select({
				id: pipelines.id,
				name: pipelines.name,
				position: pipelines.position,
				archivedAt: pipelines.archivedAt
			})
			.from(pipelines)
			.where(eq(pipelines.orgId, orgId))
	).sort(byPosition);
	if (rows.length === 0) return [];
	const open = rows.filter((r) => r.archivedAt === null).map((r) => r.id);
	const [states, counted] = await Promise.all([
		readStates(db, { docNames: rows.map((r) => pipelineDocName(r.id)) }),
		openDealsByStage(db, { orgId, pipelineIds: open })
	]);
	return rows.map((r) =>
		fromState(states.get(pipelineDocName(r.id)), (doc) => {
			const settings = readSettings(doc);
			const { stages: shown, resolve } = stageIndex(doc);
			const seesAll = viewer.role !== 'sales' || settings.visibility === 'all';
			const counts = new Map<string, number>();
			for (const c of counted) {
				if (c.pipelineId !== r.id || (!seesAll && c.ownerId !== viewer.userId)) continue;
				// Where the board shows the stage the row names (SPEC B12), by the document: a
				// stage deleted a moment ago already counts in the stage that took its deals.
				const at = c.stageId === null ? shown[0]?.id : resolve(c.stageId);
				if (at) counts.set(at, (counts.get(at) ?? 0) + c.count);
			}
			const withCounts = shown.map((s) => ({ ...s, deals: counts.get(s.id) ?? 0 }));
			return {
				id: r.id,
				// The document's name is what connected clients see and may change; the row follows it.
				name: settings.name || r.name,
				archived: r.archivedAt !== null,
				stages: withCounts,
				deals: withCounts.reduce((n, s) => n + s.deals, 0)
			};
		})
	);
}

/** Open deals per pipeline, stage and owner, in the projection; owners who are members only. */
async function openDealsByStage(
	db: Tx,
	{ orgId, pipelineIds }: { orgId: string; pipelineIds: string[] }
) {
	if (pipelineIds.length === 0) return [];
	return (
		db
			.select({
				pipelineId: deals.pipelineId,
				stageId: deals.stageId,
				ownerId: deals.ownerId,
				count: sql<number>`count(*)::int`
			})
			.from(deals)
			// Accountants own no deals, and a former member's deals show on no board (boardAccess).
			.innerJoin(
				memberships,
				and(
					eq(memberships.orgId, orgId),
					eq(memberships.userId, deals.ownerId),
					ne(memberships.role, 'accountant')
				)
			)
			.where(and(inArray(deals.pipelineId, pipelineIds), eq(deals.status, 'open')))
			.groupBy(deals.pipelineId, deals.stageId, deals.ownerId)
	);
}

/**
 * The names of every deals shard stored for the given pipelines (`deals:<pipelineId>:<owner>`),
 * whether compacted into a snapshot or still only in the log.
 */
export async function shardNames(db: Tx, { pipelineIds }: { pipelineIds: string[] }) {
	if (pipelineIds.length === 0) return [];
	// Pipeline ids are UUIDs: no LIKE wildcards to escape.
	const patterns = pipelineIds.map((id) => `${dealsDocName(id, '')}%`);
	const [snapshots, logged] = await Promise.all([
		db
			.select({ name: collabDocuments.name })
			.from(collabDocuments)
			.where(or(...patterns.map((p) => like(collabDocuments.name, p)))),
		db
			.selectDistinct({ name: collabUpdates.docName })
			.from(collabUpdates)
			.where(or(...patterns.map((p) => like(collabUpdates.docName, p))))
	]);
	const all = new Set([...snapshots, ...logged].map((r) => r.name));
	return pipelineIds.map((pipelineId) => ({
		pipelineId,
		names: [...all].filter((n) => parseBoardDocName(n)?.pipelineId === pipelineId).sort()
	}));
}

/** A board as stored: its pipeline document and every shard, as scratch docs the caller frees. */
export type StoredBoard = {
	pipelineDoc: Y.Doc;
	/** Shard document name → its stored state. */
	shards: Map<string, Y.Doc>;
	/** Deals showing in each shown stage (SPEC B12, B16), by stage id. */
	counts: () => Map<string, number>;
	destroy: () => void;
};

/**
 * A pipeline's settings (visibility, editing, name) as stored: snapshot plus log, the state the
 * collab server would load. Read rather than mirrored into columns, so access decisions never
 * follow a lagging copy; a pipeline document holds only stages and settings, so it is small.
 */
export async function storedSettings(db: Tx, pipelineId: string): Promise<PipelineSettings> {
	const name = pipelineDocName(pipelineId);
	return fromState((await readStates(db, { docNames: [name] })).get(name), readSettings);
}

export async function readBoard(db: Tx, { pipelineId }: { pipelineId: string }) {
	const [shards] = await shardNames(db, { pipelineIds: [pipelineId] });
	const names = shards?.names ?? [];
	const states = await readStates(db, { docNames: [pipelineDocName(pipelineId), ...names] });
	return boardFrom(states, { pipelineId, shardNames: names });
}

function boardFrom(
	states: Map<string, Uint8Array>,
	{ pipelineId, shardNames: names }: { pipelineId: string; shardNames: string[] }
): StoredBoard {
	const docOf = (name: string) => {
		const doc = new Y.Doc();
		const state = states.get(name);
		if (state) Y.applyUpdate(doc, state);
		return doc;
	};
	const pipelineDoc = docOf(pipelineDocName(pipelineId));
	const shards = new Map(names.map((n) => [n, docOf(n)]));
	return {
		pipelineDoc,
		shards,
		counts: () =>
			new Map(
				columns({ pipelineDoc, dealDocs: [...shards.values()] }).map((c) => [c.stage.id, c.count])
			),
		destroy: () => {
			pipelineDoc.destroy();
			for (const d of shards.values()) d.destroy();
		}
	};
}

export type ChangeDoc = <T>(docName: string, fn: (doc: Y.Doc) => T) => Promise<T>;

/**
 * Changes a pipeline's settings in its document (live for connected clients, through
 * `changeDoc`, with `setPipelineSettings`) and its name in its row, keeping both in step: the row
 * is locked first and updated only once the document change is durable, in one transaction.
 * Throws a BoardOpError (blank or long name, unknown setting) before anything is written.
 * Null when the organisation has no such pipeline; otherwise the settings before and after.
 */
export async function updateSettings(
	db: Db,
	{
		orgId,
		pipelineId,
		settings,
		changeDoc,
		origin
	}: {
		orgId: string;
		pipelineId: string;
		settings: Partial<PipelineSettings>;
		changeDoc: ChangeDoc;
		origin: Origin;
	}
) {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ id: pipelines.id, name: pipelines.name })
			.from(pipelines)
			.where(and(eq(pipelines.orgId, orgId), eq(pipelines.id, pipelineId)))
			// Not FOR UPDATE: the document change below waits for the projection, whose inserts
			// into `stages` take a KEY SHARE lock on this row through their foreign key.
			.for('no key update');
		if (!row) return null;
		const { before, after } = await changeDoc(pipelineDocName(pipelineId), (doc) => {
			const before = readSettings(doc);
			setPipelineSettings(doc, settings, origin);
			return { before, after: readSettings(doc) };
		});
		if (after.name !== row.name) {
			await tx.update(pipelines).set({ name: after.name }).where(eq(pipelines.id, pipelineId));
		}
		// Lists and search decide visibility from this row: in step from this commit on.
		await writeSettings(tx, { orgId, pipelineId, settings: after });
		return { before, after };
	});
}

/**
 * Archives or restores a pipeline. The organisation keeps at least one open pipeline (a team
 * with no board has nowhere to put a deal): archiving the last one is refused. Rows are locked
 * so two concurrent archivings cannot both pass that check.
 */
export async function setArchived(
	db: Db,
	{
		orgId,
		pipelineId,
		archived,
		now = new Date()
	}: { orgId: string; pipelineId: string; archived: boolean; now?: Date }
): Promise<'done' | 'not_found' | 'last_open'> {
	return db.transaction(async (tx) => {
		const rows = await tx
			.select({ id: pipelines.id, archivedAt: pipelines.archivedAt })
			.from(pipelines)
			.where(eq(pipelines.orgId, orgId))
			.for('no key update');
		const row = rows.find((r) => r.id === pipelineId);
		if (!row) return 'not_found';
		if ((row.archivedAt !== null) === archived) return 'done';
		if (archived && rows.filter((r) => r.archivedAt === null).length <= 1) return 'last_open';
		await tx
			.update(pipelines)
			.set({ archivedAt: archived ? now : null })
			.where(eq(pipelines.id, pipelineId));
		return 'done';
	});
}
