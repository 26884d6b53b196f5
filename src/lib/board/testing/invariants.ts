import { generateKeyBetween } from 'fractional-indexing';
import type * as Y from 'yjs';
import {
	CARD_BASE,
	CARD_PLACE,
	cardField,
	dealFields,
	dealStatuses,
	dealsMap,
	placeFields,
	readAllStages,
	readStages,
	settingsMap,
	stageFields,
	stagesMap,
	type DealStatus
} from '../doc';
import { compareOrder, isUuid } from '../order';
import { boardDeals, columns, stageResolver } from '../read';

// The board invariants the convergence test checks (SPEC B18). Each returns the violations it
// finds as readable strings; an empty list means the board is sound.
//
// `settled: false` is for any moment, even with updates half delivered: Yjs applies an update's
// deletions at once but holds back insertions whose predecessors are missing, so a card can lack a
// field for a while when a replica's updates arrive out of order. The read model must still show
// every card exactly once, in a strict order. `settled: true` adds the checks that hold once every
// update is in: complete cards, unique keys, no orphan fields.

export function boardViolations(
	{ pipelineDoc, dealDocs }: { pipelineDoc: Y.Doc; dealDocs: readonly Y.Doc[] },
	{ settled }: { settled: boolean }
): string[] {
	const out: string[] = [];
	if (settled) {
		out.push(...pipelineViolations(pipelineDoc));
		for (const doc of dealDocs) out.push(...cardViolations(doc));
	}

	// Each deal in exactly one shown stage, none left out, in a strict total order.
	const stages = readStages(pipelineDoc);
	const cols = columns({ pipelineDoc, dealDocs });
	const placed = new Map<string, string>();
	for (const col of cols) {
		for (const d of col.deals) {
			if (placed.has(d.id)) out.push(`deal ${d.id} in two columns`);
			placed.set(d.id, col.stage.id);
		}
		if (col.count !== col.deals.length) out.push(`column ${col.stage.id} miscounts`);
		for (let i = 1; i < col.deals.length; i++) {
			const a = col.deals[i - 1]!;
			const b = col.deals[i]!;
			// Settled keys are unique, so the id tie-break is never needed then.
			const ordered = settled ? a.order < b.order : compareOrder(a, b) < 0;
			if (!ordered) out.push(`column ${col.stage.id}: not strictly ordered`);
		}
	}
	const deals = boardDeals(dealDocs);
	if (stages.length > 0) {
		for (const d of deals) if (!placed.has(d.id)) out.push(`deal ${d.id} in no column`);
	}
	const resolve = stageResolver(pipelineDoc);
	for (const d of deals) {
		if (stages.length > 0 && resolve(d.stageId) === null) out.push(`deal ${d.id}: no stage`);
	}
	if (settled) {
		const keys = deals.map((d) => d.order);
		if (new Set(keys).size !== keys.length) out.push('two deals share an order key');
	}
	return out;
}

export function pipelineViolations(doc: Y.Doc): string[] {
	const out: string[] = [];
	if (readStages(doc).length === 0 && stagesMap(doc).size > 0) out.push('no stage shown');
	const all = readAllStages(doc);
	if (new Set(all.map((s) => s.order)).size !== all.length) out.push('two stages share a key');
	for (const [id, m] of stagesMap(doc)) {
		if (!isUuid(id)) out.push(`stage id ${id} is not a UUID`);
		for (const key of m.keys()) {
			if (!(stageFields as readonly string[]).includes(key)) out.push(`stage ${id}: orphan ${key}`);
		}
		if (typeof m.get('name') !== 'string') out.push(`stage ${id}: no name`);
		if (!validKey(m.get('order'))) out.push(`stage ${id}: bad order key`);
		const p = m.get('winProbability');
		if (typeof p !== 'number' || p < 0 || p > 100) out.push(`stage ${id}: bad probability`);
	}
	const settings = settingsMap(doc);
	if (stagesMap(doc).size > 0) {
		if (!['all', 'own'].includes(settings.get('visibility') as string)) out.push('bad visibility');
		if (!['own', 'all'].includes(settings.get('editing') as string)) out.push('bad editing');
	}
	return out;
}

export function cardViolations(doc: Y.Doc): string[] {
	const out: string[] = [];
	for (const [id, card] of dealsMap(doc)) {
		const bad = (what: string) => out.push(`deal ${id}: ${what}`);
		if (!isUuid(id)) bad('id is not a UUID');
		const base = card.get(CARD_BASE);
		if (base !== undefined && (base === null || typeof base !== 'object' || Array.isArray(base))) {
			bad('creation entry is not an object');
		}
		const baseKeys = base && typeof base === 'object' ? Object.keys(base) : [];
		const place = card.get(CARD_PLACE);
		if (
			place !== undefined &&
			(place === null || typeof place !== 'object' || Array.isArray(place))
		) {
			bad('place entry is not an object');
		}
		const placeKeys = place && typeof place === 'object' ? Object.keys(place) : [];
		for (const key of placeKeys) {
			if (!(placeFields as readonly string[]).includes(key)) bad(`orphan place field ${key}`);
		}
		for (const key of [...card.keys(), ...baseKeys]) {
			if (
				key !== CARD_BASE &&
				key !== CARD_PLACE &&
				!(dealFields as readonly string[]).includes(key)
			) {
				bad(`orphan field ${key}`);
			}
		}
		const s = (k: string) => typeof cardField(card, k) === 'string';
		const n = (k: string) => Number.isSafeInteger(cardField(card, k));
		if (!s('title') || cardField(card, 'title') === '') bad('no title');
		if (!s('stageId')) bad('no stage');
		if (!validKey(cardField(card, 'order'))) bad('bad order key');
		if (!n('amount') || (cardField(card, 'amount') as number) < 0) bad('bad amount');
		if (!isUuid(cardField(card, 'ownerId')) || !isUuid(cardField(card, 'createdBy')))
			bad('bad owner/creator');
		if (typeof cardField(card, 'starred') !== 'boolean') bad('bad star');
		const status = cardField(card, 'status') as DealStatus;
		if (!dealStatuses.includes(status)) bad('bad status');
		if (!n('createdAt') || !n('updatedAt') || !n('stageEnteredAt')) bad('bad timestamps');
		// SPEC B14: status and companions come from one op, whatever the merge: the companion a
		// status needs is there, the other is null (or absent, before the first status change).
		const companion = (k: string) => cardField(card, k) ?? null;
		if (status === 'lost' ? !s('lostReason') : companion('lostReason') !== null) {
			bad(`status ${status} with lostReason ${JSON.stringify(companion('lostReason'))}`);
		}
		if (status === 'standby' ? !s('standbyUntil') : companion('standbyUntil') !== null) {
			bad(`status ${status} with standbyUntil ${JSON.stringify(companion('standbyUntil'))}`);
		}
	}
	return out;
}

function validKey(key: unknown): boolean {
	if (typeof key !== 'string') return false;
	try {
		// fractional-indexing validates both bounds; a key it accepts can take neighbours.
		generateKeyBetween(key, null);
		return true;
	} catch {
		return false;
	}
}
