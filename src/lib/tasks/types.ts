// A task as the "Công việc" page receives it (src/lib/server/tasks/view.ts makes it).
export type TaskView = {
	id: string;
	source: 'deal' | 'own';
	title: string;
	/** ms since the epoch. */
	dueAt: number;
	remindBefore: number;
	assigneeId: string | null;
	assigneeName: string | null;
	doneAt: number | null;
	deal: { id: string; title: string; pipelineId: string } | null;
	/** The viewer may edit and delete it. */
	edit: boolean;
	/** The viewer may tick it done or open again. */
	tick: boolean;
	/** Who it may be given to, when not every member (a deal of an own-only pipeline). */
	assignees: string[] | null;
};
