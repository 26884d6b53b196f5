import * as Y from 'yjs';
import { dealsMap, stagesMap } from '$lib/board/doc';
import { isUuid } from '$lib/board/order';
import { readCard, stageResolver } from '$lib/board/read';
import { limits } from '$lib/board/validate';
import type { DealEventKind } from '../db/schema';

// Rows of the `stages` and `deals` tables as pure functions of the board documents, shared by
// the live projection and the rebuild so the two cannot disagree. Values are what the board's
// readers show (SPEC B16), made storable: a client with write access can put anything in a
// document, and one value PostgreSQL refuses (a NUL character, a malformed UUID, a date past
// year 9999) would block the projection of the whole document for good. So a value the named
// ops could never have written becomes a neutral one here instead of an error.

export type StageRow = {
	pipelineId: string;
	id: string;
	orgId: string;
	name: string;
	position: string;
	color: string;
	winProbability: number;
	rotDays: number;
	deletedAt: Date | null;
	mergedInto: string | null;
	columnId: string;
};

export type DealRow = {
	id: string;
	orgId: string;
	pipelineId: string;
	ownerId: string;
	title: string;
	stageId: string | null;
	position: string;
	customerId: string | null;
	customerName: string | null;
	customerPhone: string | null;
	amount: number;
	starred: boolean;
	status: string;
	lostReason: string | null;
	standbyUntil: string | null;
	expectedCloseDate: string | null;
	source: string | null;
	createdAt: Date;
	updatedAt: Date;
	stageEnteredAt: Date;
	createdBy: string | null;
};

/** Every stage ever stored in a pipeline document, deleted ones included (SPEC B11). */
export function stageRows({
	pipelineDoc,
	orgId,
	pipelineId
}: {
	pipelineDoc: Y.Doc;
	orgId: string;
	pipelineId: string;
}): StageRow[] {
	const resolve = columnResolver(pipelineDoc);
	const rows: StageRow[] = [];
	for (const [id, stage] of stagesMap(pipelineDoc)) {
		if (!isUuid(id) || !(stage instanceof Y.Map)) continue;
		const deletedAt = stage.get('deletedAt');
		const mergedInto = stage.get('mergedInto');
		const color = stage.get('color');
		rows.push({
			pipelineId,
			id,
			orgId,
			name: text(stage.get('name'), limits.stageName) ?? '',
			position: text(stage.get('order'), ORDER_KEY_MAX) ?? '',
			color: typeof color === 'string' && COLOR.test(color) ? color.toLowerCase() : '#64748b',
			winProbability: whole(stage.get('winProbability'), 100),
			rotDays: whole(stage.get('rotDays'), limits.rotDays),
			deletedAt: typeof deletedAt === 'number' ? time(deletedAt) : null,
			mergedInto: isUuid(mergedInto) ? mergedInto : null,
			columnId: resolve(id) ?? id
		});
	}
	return rows;
}

// SPEC B12's resolution. The board's readers expect every stage entry to be a Y.Map and throw on
// anything else; such a document is forged, its board does not render either, and its stages
// are then projected each into its own column rather than not at all.
function columnResolver(pipelineDoc: Y.Doc): (stageId: string) => string | null {
	try {
		return stageResolver(pipelineDoc);
	} catch {
		return (stageId) => stageId;
	}
}

/** The row of one card of the shard `deals:<pipelineId>:<ownerId>`, or null if it is no card. */
export function dealRow({
	id,
	card,
	orgId,
	pipelineId,
	ownerId
}: {
	id: string;
	card: unknown;
	orgId: string;
	pipelineId: string;
	ownerId: string;
}): DealRow | null {
	if (!isUuid(id) || !(card instanceof Y.Map)) return null;
	const deal = readCard(id, card as Y.Map<unknown>);
	// The old copy of a deal handed to another owner is no card of this shard any more (B19).
	if (deal.movedTo !== undefined) return null;
	return {
		id,
		orgId,
		pipelineId,
		ownerId,
		title: text(deal.title, limits.title) ?? '',
		stageId: isUuid(deal.stageId) ? deal.stageId : null,
		position: text(deal.order, ORDER_KEY_MAX) ?? '',
		customerId: isUuid(deal.customerId) ? deal.customerId : null,
		customerName: text(deal.customerName, limits.customerName),
		customerPhone: deal.customerPhone && E164.test(deal.customerPhone) ? deal.customerPhone : null,
		amount: whole(deal.amount, limits.amount),
		starred: deal.starred,
		status: deal.status,
		lostReason: text(deal.lostReason, limits.lostReason),
		standbyUntil: calendarDate(deal.standbyUntil),
		expectedCloseDate: calendarDate(deal.expectedCloseDate),
		source: text(deal.source, limits.source),
		createdAt: time(deal.createdAt),
		updatedAt: time(deal.updatedAt),
		stageEnteredAt: time(deal.stageEnteredAt),
		createdBy: isUuid(deal.createdBy) ? deal.createdBy : null
	};
}

/** The rows of every card in a shard. */
export function shardRows(input: {
	dealDoc: Y.Doc;
	orgId: string;
	pipelineId: string;
	ownerId: string;
}): DealRow[] {
	const rows: DealRow[] = [];
	for (const [id, card] of dealsMap(input.dealDoc)) {
		const row = dealRow({ ...input, id, card });
		if (row) rows.push(row);
	}
	return rows;
}

/**
 * Which of two copies of one deal (in two shards of a pipeline) the row holds: the one updated
 * last, then the one in the shard with the greater owner id, as the board shows it (SPEC B16).
 * The shard's owner stands in for the card's `ownerId` field (equal for cards the ops wrote),
 * because access is decided per shard. The SQL guard in projection.repo.ts is the same rule.
 */
export function prefers(a: DealRow, b: DealRow): boolean {
	const at = a.updatedAt.getTime();
	const bt = b.updatedAt.getTime();
	return at !== bt ? at > bt : a.ownerId > b.ownerId;
}

/** The rows of a pipeline's shards, one per deal id (SPEC B16). */
export function boardRows(shards: readonly DealRow[][]): DealRow[] {
	const byId = new Map<string, DealRow>();
	for (const rows of shards) {
		for (const row of rows) {
			const seen = byId.get(row.id);
			if (!seen || prefers(row, seen)) byId.set(row.id, row);
		}
	}
	return [...byId.values()];
}

export type DealEventRow = {
	orgId: string;
	dealId: string;
	kind: DealEventKind;
	fromValue: string | null;
	toValue: string | null;
	note: string | null;
	amount: number;
	ownerId: string;
	actorId: string | null;
};

/**
 * The history entries one flush adds for a deal (SPEC B20): created when there was no row, and
 * each of stage, amount and status that differs from the row before. Several changes between
 * two flushes (a burst, or edits made offline) are one entry from the first value to the last.
 */
export function dealEvents({
	before,
	after,
	actorId,
	amountReason
}: {
	before: DealRow | undefined;
	after: DealRow;
	actorId: string | null;
	amountReason: string | null;
}): DealEventRow[] {
	const base = {
		orgId: after.orgId,
		dealId: after.id,
		actorId,
		amount: after.amount,
		ownerId: after.ownerId
	};
	if (!before) {
		// Who created it is on the card itself: a document's first reconcile after it loads can
		// project a new card before the flush that knows whose update brought it.
		return [
			{
				...base,
				actorId: actorId ?? after.createdBy,
				kind: 'created',
				fromValue: null,
				toValue: String(after.amount),
				note: null
			}
		];
	}
	const out: DealEventRow[] = [];
	if (before.stageId !== after.stageId) {
		out.push({
			...base,
			kind: 'stage',
			fromValue: before.stageId,
			toValue: after.stageId,
			note: null
		});
	}
	if (before.amount !== after.amount) {
		out.push({
			...base,
			kind: 'amount',
			fromValue: String(before.amount),
			toValue: String(after.amount),
			note: text(amountReason ?? undefined, limits.amountReason)
		});
	}
	// The customer the card shows (SPEC B24): typed, picked, cleared, or the name of the record it
	// follows. A card linked to the record made from its own name shows the same name: no event.
	if ((before.customerName ?? null) !== (after.customerName ?? null)) {
		out.push({
			...base,
			kind: 'customer',
			fromValue: before.customerName ?? null,
			toValue: after.customerName ?? null,
			note: null
		});
	}
	if (before.status !== after.status) {
		out.push({
			...base,
			kind: 'status',
			fromValue: before.status,
			toValue: after.status,
			note:
				after.status === 'lost'
					? after.lostReason
					: after.status === 'standby'
						? after.standbyUntil
						: null
		});
	}
	return out;
}

/** Whether two rows of one stage hold the same content (attribution aside). */
export function sameStage(a: StageRow, b: StageRow): boolean {
	return (
		a.pipelineId === b.pipelineId &&
		a.id === b.id &&
		a.orgId === b.orgId &&
		a.name === b.name &&
		a.position === b.position &&
		a.color === b.color &&
		a.winProbability === b.winProbability &&
		a.rotDays === b.rotDays &&
		sameTime(a.deletedAt, b.deletedAt) &&
		a.mergedInto === b.mergedInto &&
		a.columnId === b.columnId
	);
}

/** Whether two rows of one deal hold the same content (attribution aside). */
export function sameDeal(a: DealRow, b: DealRow): boolean {
	return (
		a.id === b.id &&
		a.orgId === b.orgId &&
		a.pipelineId === b.pipelineId &&
		a.ownerId === b.ownerId &&
		a.title === b.title &&
		a.stageId === b.stageId &&
		a.position === b.position &&
		a.customerId === b.customerId &&
		a.customerName === b.customerName &&
		a.customerPhone === b.customerPhone &&
		a.amount === b.amount &&
		a.starred === b.starred &&
		a.status === b.status &&
		a.lostReason === b.lostReason &&
		a.standbyUntil === b.standbyUntil &&
		a.expectedCloseDate === b.expectedCloseDate &&
		a.source === b.source &&
		sameTime(a.createdAt, b.createdAt) &&
		sameTime(a.updatedAt, b.updatedAt) &&
		sameTime(a.stageEnteredAt, b.stageEnteredAt) &&
		a.createdBy === b.createdBy
	);
}

function sameTime(a: Date | null, b: Date | null) {
	return a === null || b === null ? a === b : a.getTime() === b.getTime();
}

// Order keys written by the ops stay far below this (SPEC B9); longer ones come only from a
// client writing by hand, and are cut rather than stored at any length.
const ORDER_KEY_MAX = 1000;
const COLOR = /^#[0-9a-f]{6}$/i;
const E164 = /^\+[1-9]\d{6,14}$/;
// 9999-12-31T23:59:59.999Z: the last instant both JavaScript and PostgreSQL date without trouble.
const LAST_MS = 253_402_300_799_999;

// Text as typed, without NUL characters (PostgreSQL's text cannot hold them), cut to the op's
// limit in characters as a person counts them; empty is null.
function text(value: unknown, max: number): string | null {
	if (typeof value !== 'string') return null;
	const clean = value.includes('\0') ? value.replaceAll('\0', '') : value;
	const chars = [...clean];
	const cut = chars.length > max ? chars.slice(0, max).join('') : clean;
	return cut === '' ? null : cut;
}

/** A whole number in [0, max]; anything else (fractions, negatives, NaN) becomes 0 or max. */
function whole(value: unknown, max: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
	return Math.min(max, Math.max(0, Math.trunc(value)));
}

/** Milliseconds since the epoch as a date PostgreSQL stores exactly; out of range is the epoch. */
function time(ms: number): Date {
	return Number.isFinite(ms) && ms >= 0 && ms <= LAST_MS ? new Date(Math.trunc(ms)) : new Date(0);
}

function calendarDate(value: string | undefined): string | null {
	if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? value : null;
}
