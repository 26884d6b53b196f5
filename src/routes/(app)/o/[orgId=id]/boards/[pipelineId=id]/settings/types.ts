import type { PipelineFormResult } from '$lib/server/pipelines/forms';

export type StageRow = {
	id: string;
	name: string;
	color: string;
	winProbability: number;
	rotDays: number;
	/** Deals showing in the stage, in every shard. */
	deals: number;
};

/** Which row's panel is open: its edit form or its delete confirmation. */
export type Panel = { kind: 'edit' | 'delete'; stageId: string } | null;

export type { PipelineFormResult };
