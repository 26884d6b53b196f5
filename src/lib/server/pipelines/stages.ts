import * as Y from 'yjs';
import { pipelineDocName, readStages } from '$lib/board/doc';
import { deleteStage as deleteStageOp, moveDealsFromDeletedStages } from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import type { Tx } from '../db';
import { readBoard, type ChangeDoc } from './pipelines.repo';

/**
 * Deletes a stage and moves its deals (SPEC B11). The pipeline document refuses the deletion
 * when a deal in any stored shard shows in the stage and no target is given
 * (`stage_not_empty`), or for the last stage (`last_stage`). Once the tombstone with its target
 * is durable, every shard of the pipeline is rewritten so no card names the deleted stage.
 * A card written meanwhile somewhere we did not reach (an offline replica) is still shown in
 * the target by B12, so no deal is ever orphaned. Returns how many cards moved, and the names
 * of the stage and its target as they were.
 */
export async function deleteStage(
	db: Tx,
	{
		pipelineId,
		stageId,
		moveDealsTo,
		changeDoc,
		origin
	}: {
		pipelineId: string;
		stageId: string;
		moveDealsTo?: string;
		changeDoc: ChangeDoc;
		origin: Origin;
	}
) {
	// Stored states are at least as new as what the collab server has applied: it logs an
	// update before applying and acknowledging it.
	const board = await readBoard(db, { pipelineId });
	try {
		const dealDocs = [...board.shards.values()];
		const stages = readStages(board.pipelineDoc);
		const nameOf = (id: string | undefined) => stages.find((s) => s.id === id)?.name ?? '';
		const pipelineState = await changeDoc(pipelineDocName(pipelineId), (doc) => {
			deleteStageOp(doc, { stageId, moveDealsTo, dealDocs }, origin);
			return Y.encodeStateAsUpdate(doc);
		});
		Y.applyUpdate(board.pipelineDoc, pipelineState);
		let moved = 0;
		for (const [name, stored] of board.shards) {
			moved += await changeDoc(name, (doc) => {
				const n = moveDealsFromDeletedStages(
					// Every shard as neighbours, so moved cards land after the whole target column.
					{ pipelineDoc: board.pipelineDoc, dealDoc: doc, dealDocs },
					{},
					origin
				);
				// Keep the scratch copy current: the next shard's cards go after these.
				Y.applyUpdate(stored, Y.encodeStateAsUpdate(doc));
				return n;
			});
		}
		return { moved, name: nameOf(stageId), target: nameOf(moveDealsTo) };
	} finally {
		board.destroy();
	}
}
