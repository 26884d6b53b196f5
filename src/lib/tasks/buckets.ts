import { addDays, mondayOf, zonedDay } from './time';

// How the "Công việc" page groups tasks: open ones as overdue, due today, in the next 7 days
// or later; done ones apart. Days are the organisation's.

export type Bucket = 'overdue' | 'today' | 'week' | 'later' | 'done';
export const openBuckets = ['overdue', 'today', 'week', 'later'] as const;

type Timed = { dueAt: number; doneAt: number | null };

export function bucketOf(
	task: Timed,
	{ now, timeZone }: { now: number; timeZone: string }
): Bucket {
	if (task.doneAt !== null) return 'done';
	if (task.dueAt < now) return 'overdue';
	const today = zonedDay(now, timeZone);
	const day = zonedDay(task.dueAt, timeZone);
	if (day === today) return 'today';
	return day <= addDays(today, 7) ? 'week' : 'later';
}

export function groupTasks<T extends Timed>(
	tasks: readonly T[],
	at: { now: number; timeZone: string }
): Record<Bucket, T[]> {
	const out: Record<Bucket, T[]> = { overdue: [], today: [], week: [], later: [], done: [] };
	for (const t of tasks) out[bucketOf(t, at)].push(t);
	for (const b of openBuckets) out[b].sort((x, y) => x.dueAt - y.dueAt);
	out.done.sort((x, y) => (y.doneAt ?? 0) - (x.doneAt ?? 0));
	return out;
}

/** The seven days (Monday first) of the week holding `day`, each with its tasks by due time. */
export function weekColumns<T extends Timed>(
	tasks: readonly T[],
	{ day, timeZone }: { day: string; timeZone: string }
): { day: string; tasks: T[] }[] {
	const monday = mondayOf(day);
	const columns = Array.from({ length: 7 }, (_, i) => ({
		day: addDays(monday, i),
		tasks: [] as T[]
	}));
	for (const t of tasks) {
		const col = columns.find((c) => c.day === zonedDay(t.dueAt, timeZone));
		col?.tasks.push(t);
	}
	for (const c of columns) c.tasks.sort((x, y) => x.dueAt - y.dueAt);
	return columns;
}
