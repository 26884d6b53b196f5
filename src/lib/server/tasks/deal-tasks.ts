import { BoardOpError } from '$lib/board/errors';
import type { Origin } from '$lib/board/origin';
import { dealDocName, readTasks } from '$lib/deal/doc';
import { editTask, removeTask, setTaskDone, type TaskInput } from '$lib/deal/ops';
import { writeDealTasks } from '../projection/tasks';
import type { Runtime } from '../runtime';

// Deal tasks changed from the "Công việc" page: the deal document is their record (deal SPEC
// D6), so the server applies the same named op to it, logged before it is live, with the user's
// origin, and every open drawer sees the change. The rows are then written from the state the op
// left, so the page that asked reads its own change at once; the extension's flush that the
// change schedules writes the same rows again (or newer ones) a moment later.

type Change =
	| { kind: 'edit'; input: Partial<TaskInput> }
	| { kind: 'done'; done: boolean }
	| { kind: 'remove' };

/** Applies `change` to task `id` of deal `dealId`; 'gone' when the document no longer has it. */
export async function changeDealTask(
	rt: Pick<Runtime, 'db' | 'changeDoc'>,
	{ dealId, id, change, userId }: { dealId: string; id: string; change: Change; userId: string }
): Promise<'ok' | 'gone'> {
	const origin: Origin = { kind: 'user', userId };
	let after;
	try {
		after = await rt.changeDoc(dealDocName(dealId), (doc) => {
			if (change.kind === 'edit') editTask(doc, { id, ...change.input }, origin);
			else if (change.kind === 'done')
				setTaskDone(doc, { id, done: change.done, by: userId }, origin);
			else removeTask(doc, { id }, origin);
			return readTasks(doc);
		});
	} catch (err) {
		if (!(err instanceof BoardOpError && err.code === 'deal_not_found')) throw err;
		// Removed meanwhile (perhaps offline, just synced): bring the rows up to the document.
		const now = await rt.changeDoc(dealDocName(dealId), (doc) => readTasks(doc));
		await writeDealTasks(rt.db, { dealId, tasks: now });
		return 'gone';
	}
	await writeDealTasks(rt.db, { dealId, tasks: after });
	return 'ok';
}
