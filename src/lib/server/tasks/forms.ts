import { z } from 'zod';
import { taskRemindChoices, type TaskRemindBefore } from '$lib/deal/kinds';
import { dealLimits } from '$lib/deal/ops';
import { text, type FieldErrors } from '$lib/forms/validate';
import type { MessageKey, Params } from '$lib/i18n';
import { isDay, isTime } from '$lib/tasks/time';

// The forms of the "Công việc" page. Messages are keys the page translates; the due day and
// time are read on the organisation's clock by the action (it knows the zone).

const fields = {
	title: text({ max: dealLimits.taskTitle }),
	dueDate: z.string().trim().refine(isDay, 'tasks.error.dueDate'),
	dueTime: z.string().trim().refine(isTime, 'tasks.error.dueTime'),
	remindBefore: z
		.enum(taskRemindChoices.map(String) as [string, ...string[]], {
			error: 'tasks.error.remindBefore'
		})
		.transform((v) => Number(v) as TaskRemindBefore),
	// Blank = nobody.
	assigneeId: z
		.union([z.literal(''), z.uuid()], { error: 'tasks.error.assignee' })
		.transform((v) => v || null)
};

export const createTaskSchema = z.object(fields);
export const editTaskSchema = z.object({ id: z.uuid(), ...fields });
export const doneSchema = z.object({ id: z.uuid(), done: z.enum(['1', '0']) });
export const taskIdSchema = z.object({ id: z.uuid() });

export type TaskAction = 'create' | 'edit' | 'done' | 'delete';

/** What every action of the page answers, so `form` is one type. */
export type TaskFormResult = {
	action: TaskAction;
	/** The task the answer is about (edit, done, delete). */
	id?: string;
	errors?: FieldErrors;
	values?: Record<string, string>;
	notice?: { key: MessageKey; params?: Params };
};
