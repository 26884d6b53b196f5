import * as Y from 'yjs';
import { compareOrder } from './order';

// The shape of the board documents (SPEC B1–B3). Only this module names the shared types and
// their keys; operations and read models go through it.

// Document names on the wire (design.md).
export const pipelineDocName = (pipelineId: string) => `pipeline:${pipelineId}`;
export const dealsDocName = (pipelineId: string, ownerId: string) =>
	`deals:${pipelineId}:${ownerId}`;

/**
 * The reason the collab server closes a document's connection when the client's copy belongs to
 * an older generation of it (architecture.md › Growth): the client rebases and starts afresh.
 */
export const STALE_GENERATION = 'stale-generation';

export type BoardDocName =
	{ kind: 'pipeline'; pipelineId: string } | { kind: 'deals'; pipelineId: string; ownerId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PIPELINE_NAME = new RegExp(`^pipeline:(${UUID})$`);
const DEALS_NAME = new RegExp(`^deals:(${UUID}):(${UUID})$`);

/** Parses a board document name; anything else (other kinds, malformed ids) is null. */
export function parseBoardDocName(name: string): BoardDocName | null {
	const p = PIPELINE_NAME.exec(name);
	if (p) return { kind: 'pipeline', pipelineId: p[1]! };
	const d = DEALS_NAME.exec(name);
	if (d) return { kind: 'deals', pipelineId: d[1]!, ownerId: d[2]! };
	return null;
}

export type StageFields = {
	name: string;
	/** Fractional-index key; stages sort by it, ties broken by id. */
	order: string;
	color: string;
	/** Percent, 0–100. */
	winProbability: number;
	/** Days a deal may sit in the stage before it is flagged; 0 = never. */
	rotDays: number;
};

export type Stage = StageFields & { id: string };

/** A stage as stored, deleted ones included (SPEC B11). */
export type StoredStage = Stage & {
	/** Set when the stage was deleted (ms since epoch); the entry stays as a tombstone. */
	deletedAt?: number;
	/** Where the deleted stage's deals belong. */
	mergedInto?: string;
};

export const visibilities = ['all', 'own'] as const;
export const editings = ['own', 'all'] as const;
export type PipelineSettings = {
	name: string;
	/** Whether reps see everyone's deals or only their own shard. */
	visibility: (typeof visibilities)[number];
	/** Whether reps edit only their own deals or all they see. */
	editing: (typeof editings)[number];
};

export const dealStatuses = ['open', 'won', 'lost', 'standby'] as const;
export type DealStatus = (typeof dealStatuses)[number];

export type Deal = {
	id: string;
	title: string;
	/** As stored; may name a deleted or not-yet-synced stage (see `resolveStage`). */
	stageId: string;
	order: string;
	customerId?: string;
	customerName?: string;
	/** E.164 (`+84912345678`). */
	customerPhone?: string;
	/** Integer đồng. Shown on the card; never summed for ledgers (SPEC B15). */
	amount: number;
	ownerId: string;
	starred: boolean;
	status: DealStatus;
	/** Present only when status is `lost` (stored as null otherwise). */
	lostReason?: string;
	/** `YYYY-MM-DD`; present only when status is `standby` (stored as null otherwise). */
	standbyUntil?: string;
	/** `YYYY-MM-DD`: when the rep expects to close it. */
	expectedCloseDate?: string;
	/** Where the deal came from (Facebook, giới thiệu, hội chợ …), as typed. */
	source?: string;
	/** Why the amount last changed, written with it (SPEC B20); absent when none was given. */
	amountReason?: string;
	/** Milliseconds since the epoch. */
	createdAt: number;
	updatedAt: number;
	stageEnteredAt: number;
	createdBy: string;
	/** Set on the old copy when the deal was handed to another owner (SPEC B19). */
	movedTo?: string;
	/**
	 * Ledger figures the server writes (SPEC B21): đồng received (payments not voided), and
	 * đồng of instalments past due and unpaid as of `ledgerOn`. Absent until a payment or an
	 * instalment exists. Never written by a client; never summed from the documents.
	 */
	paid?: number;
	overdue?: number;
	/**
	 * When the customer was last contacted (ms since the epoch): the latest `at` of the deal's
	 * contact log, written by the server (SPEC B22). Absent while the log is empty.
	 */
	lastContactAt?: number;
};

/** Every key a card may hold (SPEC B3); anything else on a card is an orphan. */
export const dealFields = [
	'title',
	'stageId',
	'order',
	'customerId',
	'customerName',
	'customerPhone',
	'amount',
	'ownerId',
	'starred',
	'status',
	'lostReason',
	'standbyUntil',
	'expectedCloseDate',
	'source',
	'amountReason',
	'createdAt',
	'updatedAt',
	'stageEnteredAt',
	'createdBy',
	'movedTo',
	'paid',
	'overdue',
	'lastContactAt'
] as const satisfies readonly (keyof Omit<Deal, 'id'>)[];

export const stageFields = [
	'name',
	'order',
	'color',
	'winProbability',
	'rotDays',
	'deletedAt',
	'mergedInto'
] as const satisfies readonly (keyof Omit<StoredStage, 'id'>)[];

/** Stages keyed by stage id; each stage is a Y.Map so concurrent edits of two fields both win. */
export function stagesMap(doc: Y.Doc) {
	return doc.getMap<Y.Map<unknown>>('stages');
}

export function settingsMap(doc: Y.Doc) {
	return doc.getMap<unknown>('settings');
}

/** Cards keyed by deal id; each card is a Y.Map (SPEC B3, B25; never a Y.Array of cards). */
export function dealsMap(doc: Y.Doc) {
	return doc.getMap<Y.Map<unknown>>('deals');
}

/**
 * The entry of a card holding, as one plain object, the fields it was created with (SPEC B25).
 * Written once, when the card is made, and never again; every later write is an entry of its
 * own field, which takes precedence. One entry instead of one per field is what keeps a loaded
 * 500-card shard near 1 MB of server memory instead of ~3.7 MB (docs/performance.md).
 */
export const CARD_BASE = 'base';

function baseOf(card: Y.Map<unknown>): Record<string, unknown> | undefined {
	return plainObject(card.get(CARD_BASE));
}

function plainObject(v: unknown): Record<string, unknown> | undefined {
	return v !== null && typeof v === 'object' && !Array.isArray(v)
		? (v as Record<string, unknown>)
		: undefined;
}

/**
 * What a card holds for `key`: the field's own entry when it has one, else the value the card
 * was created with (SPEC B25). Every reader of a card field goes through here.
 */
export function cardField(card: Y.Map<unknown>, key: string): unknown {
	return cardReader(card)(key);
}

/**
 * The entry of a card holding, as one plain object, where it is: `stageId`, `order` and
 * `stageEnteredAt` (SPEC B26). Every move writes it whole, and no op writes those three fields
 * as entries of their own any more; an own entry of one of them (written by code from before
 * this rule) still takes precedence, and the next move deletes it.
 */
export const CARD_PLACE = 'place';

/** The fields a card's place entry holds (SPEC B26). */
export const placeFields = ['stageId', 'order', 'stageEnteredAt'] as const;
export type CardPlace = { stageId: string; order: string; stageEnteredAt: number };

function placeOf(card: Y.Map<unknown>): Record<string, unknown> | undefined {
	return plainObject(card.get(CARD_PLACE));
}

/** `cardField` for many fields of one card: reads its creation entry once (the board's readers). */
export function cardReader(card: Y.Map<unknown>): (key: string) => unknown {
	const base = baseOf(card);
	const place = placeOf(card);
	return (key) => {
		const own = card.get(key);
		if (own !== undefined) return own;
		if (place && isPlaceField(key) && Object.hasOwn(place, key)) return place[key];
		return base && Object.hasOwn(base, key) ? base[key] : undefined;
	};
}

/** Whether `key` is one of the fields a card's place entry holds (SPEC B26). */
export function isPlaceField(key: string) {
	// `placeFields`, spelled out: this runs for every field a board reads.
	return key === 'stageId' || key === 'order' || key === 'stageEnteredAt';
}

/**
 * Writes where a card is, as one entry (SPEC B26), and deletes the own entries of those fields
 * an older client may have written (they would hide it). Call inside a transaction.
 */
export function setCardPlace(card: Y.Map<unknown>, place: CardPlace) {
	card.set(CARD_PLACE, {
		stageId: place.stageId,
		order: place.order,
		stageEnteredAt: place.stageEnteredAt
	});
	for (const key of placeFields) if (card.has(key)) card.delete(key);
}

/**
 * The card fields an entry of a card holds: its creation entry every field, its place entry
 * the three of B26, any other entry its own (for code that watches which entries changed).
 */
export function fieldsOfEntry(key: string): readonly string[] {
	if (key === CARD_BASE) return dealFields;
	if (key === CARD_PLACE) return placeFields;
	return [key];
}

/** The fields a card holds a value for, `null` included (its own entries and its creation's). */
export function cardFieldNames(card: Y.Map<unknown>): string[] {
	const names = new Set(Object.keys(baseOf(card) ?? {}));
	for (const key of card.keys()) for (const name of fieldsOfEntry(key)) names.add(name);
	return [...names].filter((key) => cardField(card, key) !== undefined);
}

/** What the card of `dealId` in `doc` holds for `key`; undefined when there is no such card. */
export function dealField(doc: Y.Doc, dealId: string, key: string): unknown {
	const card = dealsMap(doc).get(dealId);
	return card ? cardField(card, key) : undefined;
}

/**
 * Clears an optional field: `null` over a value the card was created with (deleting the entry
 * would bring that value back), otherwise the entry goes, as before B25. Call inside a
 * transaction.
 */
export function clearCardField(card: Y.Map<unknown>, key: string) {
	const base = baseOf(card);
	if (base && Object.hasOwn(base, key) && base[key] !== null) card.set(key, null);
	else if (card.has(key)) card.delete(key);
}

/** A new card holding `fields` as its creation entry (SPEC B6, B25); add it to `dealsMap`. */
export function newCard(fields: Record<string, unknown>): Y.Map<unknown> {
	const card = new Y.Map<unknown>();
	card.set(CARD_BASE, { ...fields });
	return card;
}

export function readStoredStage(id: string, m: Y.Map<unknown>): StoredStage {
	const stage: StoredStage = {
		id,
		name: textOf(m.get('name')),
		order: textOf(m.get('order')),
		color: textOf(m.get('color'), '#64748b'),
		winProbability: numberOf(m.get('winProbability')),
		rotDays: numberOf(m.get('rotDays'))
	};
	const deletedAt = m.get('deletedAt');
	if (typeof deletedAt === 'number') stage.deletedAt = deletedAt;
	const mergedInto = m.get('mergedInto');
	if (typeof mergedInto === 'string') stage.mergedInto = mergedInto;
	return stage;
}

/** All stages ever added, deleted ones included, in board order (order key, then id). */
export function readAllStages(doc: Y.Doc): StoredStage[] {
	const out: StoredStage[] = [];
	for (const [id, m] of stagesMap(doc)) out.push(readStoredStage(id, m));
	return out.sort(compareOrder);
}

/**
 * The board's columns: live stages in order. If concurrent deletions removed every stage, the
 * first stage by order is shown again, so deals always have a column (SPEC B12).
 */
export function readStages(doc: Y.Doc): Stage[] {
	return shownStages(readAllStages(doc)).map(plainStage);
}

/** The stages shown, from all stored stages in board order. */
export function shownStages(all: readonly StoredStage[]): StoredStage[] {
	const live = all.filter((s) => s.deletedAt === undefined);
	return live.length > 0 ? live : all.slice(0, 1);
}

export function readSettings(doc: Y.Doc): PipelineSettings {
	const m = settingsMap(doc);
	const visibility = m.get('visibility');
	const editing = m.get('editing');
	return {
		name: textOf(m.get('name')),
		// Unknown values fall back to the defaults a new pipeline gets.
		visibility: visibility === 'own' ? 'own' : 'all',
		editing: editing === 'all' ? 'all' : 'own'
	};
}

export function plainStage(s: StoredStage): Stage {
	return {
		id: s.id,
		name: s.name,
		order: s.order,
		color: s.color,
		winProbability: s.winProbability,
		rotDays: s.rotDays
	};
}

// Readers are defensive: a document may hold what an older or broken client wrote.
export function textOf(v: unknown, fallback = ''): string {
	return typeof v === 'string' ? v : fallback;
}
export function numberOf(v: unknown, fallback = 0): number {
	return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
