import { generateNKeysBetween } from 'fractional-indexing';
import * as Y from 'yjs';
import {
	readAllStages,
	readStages,
	settingsMap,
	stagesMap,
	type PipelineSettings,
	type StageFields
} from './doc';
import { BoardOpError } from './errors';
import { compareOrder, keyBetween } from './order';
import type { Origin } from './origin';
import { stageResolver, boardDeals } from './read';
import * as v from './validate';

// Operations on a `pipeline:<id>` document (SPEC B5, B10–B12). Each validates first, then
// writes in one transaction tagged with its origin.

export type NewStage = Omit<StageFields, 'order'> & { id: string };

/** Fills an empty pipeline document with its stages, in the given order. */
export function initPipeline(
	doc: Y.Doc,
	{ name, stages }: { name: string; stages: NewStage[] },
	origin: Origin
) {
	const checkedName = v.text(name, 'name', v.limits.pipelineName);
	const checked = stages.map((s) => checkStage(s));
	if (new Set(checked.map((s) => s.id)).size !== checked.length) {
		throw new BoardOpError('stage_exists', { field: 'id' });
	}
	// Distinct plain keys; every later insert carries an id suffix and is longer (SPEC B8).
	const keys = generateNKeysBetween(null, null, checked.length);
	doc.transact(() => {
		const settings = settingsMap(doc);
		settings.set('name', checkedName);
		settings.set('visibility', 'all');
		settings.set('editing', 'own');
		const map = stagesMap(doc);
		checked.forEach((s, i) => map.set(s.id, stageMap({ ...s, order: keys[i]! })));
	}, origin);
}

/** Adds a stage after `after` / before `before` (stage ids), or at the end. */
export function addStage(
	doc: Y.Doc,
	input: Partial<Omit<NewStage, 'id' | 'name'>> & {
		id: string;
		name: string;
		after?: string;
		before?: string;
	},
	origin: Origin
) {
	const stage = checkStage({
		color: '#64748b',
		winProbability: 0,
		rotDays: 0,
		...input
	});
	// A deleted stage keeps its entry (SPEC B11), so its id is taken for good.
	if (stagesMap(doc).has(stage.id)) throw new BoardOpError('stage_exists', { field: 'id' });
	// Never null: the stage is not stored yet, so it cannot already sit anywhere.
	const order = stageKey(doc, stage.id, input)!;
	doc.transact(() => stagesMap(doc).set(stage.id, stageMap({ ...stage, order })), origin);
}

export function renameStage(doc: Y.Doc, input: { stageId: string; name: string }, origin: Origin) {
	const stage = shownStage(doc, input.stageId);
	const name = v.text(input.name, 'name', v.limits.stageName);
	writePatch(doc, stage, { name }, origin);
}

/** Reorders a stage to sit after `after` / before `before` (stage ids), or at the end. */
export function moveStage(
	doc: Y.Doc,
	input: { stageId: string; after?: string; before?: string },
	origin: Origin
) {
	const stage = shownStage(doc, input.stageId);
	const order = stageKey(doc, input.stageId, input);
	if (order !== null) doc.transact(() => stage.set('order', order), origin);
}

export function setStageFields(
	doc: Y.Doc,
	input: { stageId: string; color?: string; winProbability?: number; rotDays?: number },
	origin: Origin
) {
	const stage = shownStage(doc, input.stageId);
	const patch: Record<string, unknown> = {};
	if (input.color !== undefined) patch.color = v.color(input.color);
	if (input.winProbability !== undefined) {
		patch.winProbability = v.winProbability(input.winProbability);
	}
	if (input.rotDays !== undefined) patch.rotDays = v.rotDays(input.rotDays);
	writePatch(doc, stage, patch, origin);
}

/**
 * Deletes a stage (SPEC B11). The entry stays as a tombstone that points at `moveDealsTo`, so a
 * deal still naming the stage (in a shard the caller did not pass, or edited offline) shows in
 * the target and is never lost. `moveDealsTo` is required when any of `dealDocs` has a deal in
 * the stage; afterwards the caller runs `moveDealsFromDeletedStages` on each shard it may write.
 */
export function deleteStage(
	doc: Y.Doc,
	input: { stageId: string; moveDealsTo?: string; dealDocs?: readonly Y.Doc[]; at?: number },
	origin: Origin
) {
	const stage = shownStage(doc, input.stageId);
	const at = v.time(input.at);
	const shown = readStages(doc);
	if (shown.length <= 1) throw new BoardOpError('last_stage', { field: 'stageId' });
	if (input.moveDealsTo !== undefined) {
		if (input.moveDealsTo === input.stageId || !shown.some((s) => s.id === input.moveDealsTo)) {
			throw new BoardOpError('invalid_target', { field: 'moveDealsTo' });
		}
	} else {
		const resolve = stageResolver(doc);
		const holds = boardDeals(input.dealDocs ?? []).some(
			(d) => resolve(d.stageId) === input.stageId
		);
		if (holds) throw new BoardOpError('stage_not_empty', { field: 'moveDealsTo' });
	}
	doc.transact(() => {
		stage.set('deletedAt', at);
		if (input.moveDealsTo !== undefined) stage.set('mergedInto', input.moveDealsTo);
	}, origin);
}

export function setPipelineSettings(doc: Y.Doc, input: Partial<PipelineSettings>, origin: Origin) {
	const patch: Record<string, unknown> = {};
	if (input.name !== undefined) patch.name = v.text(input.name, 'name', v.limits.pipelineName);
	if (input.visibility !== undefined) patch.visibility = v.visibility(input.visibility);
	if (input.editing !== undefined) patch.editing = v.editing(input.editing);
	writePatch(doc, settingsMap(doc), patch, origin);
}

function checkStage(s: NewStage): NewStage {
	return {
		id: v.uuid(s.id, 'id'),
		name: v.text(s.name, 'name', v.limits.stageName),
		color: v.color(s.color),
		winProbability: v.winProbability(s.winProbability),
		rotDays: v.rotDays(s.rotDays)
	};
}

function stageMap(s: StageFields) {
	const m = new Y.Map<unknown>();
	m.set('name', s.name);
	m.set('order', s.order);
	m.set('color', s.color);
	m.set('winProbability', s.winProbability);
	m.set('rotDays', s.rotDays);
	return m;
}

/** Stage ops act on the stages the board shows; a deleted stage is not found. */
function shownStage(doc: Y.Doc, stageId: string) {
	if (!readStages(doc).some((s) => s.id === stageId)) {
		throw new BoardOpError('stage_not_found', { field: 'stageId' });
	}
	return stagesMap(doc).get(stageId)!;
}

/**
 * A key for stage `id` between shown stages `after` and `before` (either may be omitted), or
 * null when the stage already sits there.
 */
function stageKey(doc: Y.Doc, id: string, { after, before }: { after?: string; before?: string }) {
	// Tombstones keep their keys; placing among every stored stage keeps keys unique (SPEC B8).
	const stored = readAllStages(doc);
	const self = stored.find((s) => s.id === id);
	const all = stored.filter((s) => s.id !== id);
	const shown = new Set(readStages(doc).map((s) => s.id));
	const find = (stageId: string, field: string) => {
		const i = all.findIndex((s) => s.id === stageId);
		if (i < 0 || !shown.has(stageId) || stageId === id) {
			throw new BoardOpError('stage_not_found', { field });
		}
		return i;
	};
	let lo: number;
	let hi: number;
	if (after !== undefined && before !== undefined) {
		lo = find(after, 'after');
		hi = find(before, 'before');
	} else if (after !== undefined) {
		lo = find(after, 'after');
		hi = lo + 1;
	} else if (before !== undefined) {
		hi = find(before, 'before');
		lo = hi - 1;
	} else {
		lo = all.length - 1;
		hi = all.length;
	}
	const loStage = all[lo];
	const hiStage = all[hi];
	if (loStage && hiStage && compareOrder(loStage, hiStage) >= 0) {
		throw new BoardOpError('invalid_position');
	}
	if (
		self &&
		(!loStage || compareOrder(loStage, self) < 0) &&
		(!hiStage || compareOrder(self, hiStage) < 0)
	) {
		return null;
	}
	return keyBetween(loStage?.order ?? null, hiStage?.order ?? null, id);
}

/** Writes only the fields that change; an op that changes nothing writes nothing. */
function writePatch(
	doc: Y.Doc,
	target: Y.Map<unknown>,
	patch: Record<string, unknown>,
	origin: Origin
) {
	const changed = Object.entries(patch).filter(([k, val]) => target.get(k) !== val);
	if (changed.length === 0) return;
	doc.transact(() => {
		for (const [k, val] of changed) target.set(k, val);
	}, origin);
}
