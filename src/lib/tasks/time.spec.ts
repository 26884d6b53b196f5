import { describe, expect, it } from 'vitest';
import { bucketOf, groupTasks, weekColumns } from './buckets';
import { addDays, defaultDue, mondayOf, zonedParts, zonedToEpoch } from './time';

const HCM = 'Asia/Ho_Chi_Minh';

describe('due times in the organisation’s time zone', () => {
	it('reads a typed day and time on the organisation’s clock, whatever zone the code runs in', () => {
		expect(zonedToEpoch('2026-03-02', '09:00', HCM)).toBe(Date.UTC(2026, 2, 2, 2, 0));
		expect(zonedToEpoch('2026-03-02', '00:30', HCM)).toBe(Date.UTC(2026, 2, 1, 17, 30));
		expect(zonedParts(Date.UTC(2026, 2, 1, 17, 30), HCM)).toEqual({
			day: '2026-03-02',
			time: '00:30'
		});
		expect(zonedToEpoch('2026-02-30', '09:00', HCM)).toBeNull();
		expect(zonedToEpoch('2026-03-02', '24:00', HCM)).toBeNull();
	});

	it('follows daylight saving where a zone has it', () => {
		// Berlin: CET (+1) before 29 March 2026, CEST (+2) after.
		expect(zonedToEpoch('2026-03-28', '10:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 28, 9));
		expect(zonedToEpoch('2026-03-30', '10:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 30, 8));
		// 02:30 does not exist that night: it reads as 03:30 summer time.
		expect(
			zonedParts(zonedToEpoch('2026-03-29', '02:30', 'Europe/Berlin')!, 'Europe/Berlin').time
		).toBe('03:30');
	});

	it('counts weeks from Monday', () => {
		expect(mondayOf('2026-03-01')).toBe('2026-02-23'); // a Sunday
		expect(mondayOf('2026-03-02')).toBe('2026-03-02');
		expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
	});
});

describe('the groups of the Công việc page', () => {
	// 08:00 on Monday 2 March 2026 in Hồ Chí Minh City.
	const now = Date.UTC(2026, 2, 2, 1, 0);
	const at = { now, timeZone: HCM };
	const task = (day: string, time: string, doneAt: number | null = null) => ({
		dueAt: zonedToEpoch(day, time, HCM)!,
		doneAt
	});

	it('puts open tasks in overdue, today, the next 7 days or later, and done ones apart', () => {
		expect(bucketOf(task('2026-03-02', '07:59'), at)).toBe('overdue');
		expect(bucketOf(task('2026-03-01', '23:00'), at)).toBe('overdue');
		expect(bucketOf(task('2026-03-02', '08:00'), at)).toBe('today');
		expect(bucketOf(task('2026-03-02', '23:59'), at)).toBe('today');
		expect(bucketOf(task('2026-03-03', '00:00'), at)).toBe('week');
		expect(bucketOf(task('2026-03-09', '23:59'), at)).toBe('week');
		expect(bucketOf(task('2026-03-10', '00:00'), at)).toBe('later');
		expect(bucketOf(task('2026-02-01', '09:00', now), at)).toBe('done');
		const groups = groupTasks([task('2026-03-05', '10:00'), task('2026-03-04', '10:00')], at);
		expect(groups.week.map((t) => t.dueAt)).toEqual([
			zonedToEpoch('2026-03-04', '10:00', HCM),
			zonedToEpoch('2026-03-05', '10:00', HCM)
		]);
	});

	it('lays a week out Monday to Sunday by the organisation’s day', () => {
		const cols = weekColumns(
			[task('2026-03-08', '23:30'), task('2026-03-02', '00:15', now), task('2026-03-09', '09:00')],
			{ day: '2026-03-04', timeZone: HCM }
		);
		expect(cols.map((c) => c.day)).toEqual([
			'2026-03-02',
			'2026-03-03',
			'2026-03-04',
			'2026-03-05',
			'2026-03-06',
			'2026-03-07',
			'2026-03-08'
		]);
		expect(cols.map((c) => c.tasks.length)).toEqual([1, 0, 0, 0, 0, 0, 1]);
	});
});

describe('a new task’s due time', () => {
	it('starts at the first full hour at least 30 minutes away', () => {
		const at = (hhmm: string) => zonedToEpoch('2026-03-02', hhmm, HCM)!;
		expect(defaultDue(at('08:10'), HCM)).toEqual({ day: '2026-03-02', time: '09:00' });
		expect(defaultDue(at('08:30'), HCM)).toEqual({ day: '2026-03-02', time: '09:00' });
		expect(defaultDue(at('08:31'), HCM)).toEqual({ day: '2026-03-02', time: '10:00' });
		expect(defaultDue(at('23:40'), HCM)).toEqual({ day: '2026-03-03', time: '01:00' });
	});
});
