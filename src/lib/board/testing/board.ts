import * as Y from 'yjs';
import { readStages } from '../doc';
import { createDeal, initPipeline, isBoardOpError, type NewDeal } from '../ops';
import type { Origin } from '../origin';
import { Prng } from './prng';

// Small boards for specs: a pipeline document with stages, one owner's shard, deterministic ids.

export const userId = '0190f4c2-0000-7000-8000-0000000000aa';
export const user: Origin = { kind: 'user', userId };
export const server: Origin = { kind: 'server', reason: 'test' };

export type TestBoard = ReturnType<typeof testBoard>;

export function testBoard({
	stages = ['Tiếp cận', 'Báo giá', 'Đàm phán'],
	seed = 1
}: { stages?: string[]; seed?: number } = {}) {
	const prng = new Prng(seed);
	const pipelineDoc = new Y.Doc();
	initPipeline(
		pipelineDoc,
		{
			name: 'Bán hàng',
			stages: stages.map((name, i) => ({
				id: prng.uuid(),
				name,
				color: '#0f766e',
				winProbability: [10, 40, 70, 90, 100][i] ?? 50,
				rotDays: 7
			}))
		},
		server
	);
	const dealDoc = new Y.Doc();
	const ownerId = prng.uuid();
	const stageIds = readStages(pipelineDoc).map((s) => s.id);
	let clock = Date.UTC(2026, 0, 5, 2);
	const scope = { pipelineDoc, dealDoc };
	/** Strictly increasing op clock, ms. */
	const tick = () => (clock += 1000);
	/** Creates a deal (title = its name) in the first stage unless told, and returns its id. */
	const deal = (
		title: string,
		input: Partial<NewDeal> = {},
		into: { pipelineDoc: Y.Doc; dealDoc: Y.Doc; dealDocs?: Y.Doc[] } = scope
	): string => {
		const id = input.id ?? prng.uuid();
		createDeal(into, { title, stageId: stageIds[0]!, ownerId, at: tick(), ...input, id }, user);
		return id;
	};
	return {
		prng,
		pipelineDoc,
		dealDoc,
		ownerId,
		stageIds,
		scope,
		id: () => prng.uuid(),
		tick,
		deal
	};
}

/** A replica of `doc`: same content, its own client id (`clientID` when given). */
export function replica(doc: Y.Doc, clientID?: number): Y.Doc {
	const copy = new Y.Doc();
	if (clientID !== undefined) copy.clientID = clientID;
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/** Brings every document up to date with every other (full states, both ways). */
export function sync(...docs: Y.Doc[]) {
	const states = docs.map((d) => Y.encodeStateAsUpdate(d));
	for (const d of docs) for (const s of states) Y.applyUpdate(d, s);
}

/** Counts the updates `fn` makes `docs` emit (a refused or no-op op must make none). */
export function updatesDuring(docs: Y.Doc[], fn: () => void): number {
	let n = 0;
	const count = () => n++;
	for (const d of docs) d.on('update', count);
	try {
		fn();
	} finally {
		for (const d of docs) d.off('update', count);
	}
	return n;
}

/**
 * Runs an op expected to be refused; returns the error's code and field and how many updates the
 * documents emitted (0 for a proper refusal). Throws if the op succeeds or fails another way.
 */
export function refusal(docs: Y.Doc[], fn: () => void) {
	let error: unknown;
	const updates = updatesDuring(docs, () => {
		try {
			fn();
		} catch (e) {
			error = e;
		}
	});
	if (!isBoardOpError(error)) throw new Error(`expected a BoardOpError, got ${String(error)}`);
	return { code: error.code, field: error.field, updates };
}
