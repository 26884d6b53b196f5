import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isBoardOpError } from '$lib/board/errors';
import type { Origin } from '$lib/board/origin';
import { remindBeforeChoices } from '$lib/server/db/schema/notify';
import { notesText, parseDealDocName, readContacts, readTasks } from './doc';
import { taskRemindChoices } from './kinds';
import {
	addContact,
	addTask,
	editNotes,
	editTask,
	removeContact,
	removeTask,
	setTaskDone,
	updateContact
} from './ops';

const userId = uuidv7();
const user: Origin = { kind: 'user', userId };

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function refusal(fn: () => void) {
	try {
		fn();
	} catch (err) {
		if (isBoardOpError(err)) return { code: err.code, field: err.field };
		throw err;
	}
	return null;
}

describe('deal document', () => {
	it('[D1] names one document per deal and parses nothing else', () => {
		const id = uuidv7();
		expect(parseDealDocName(`deal:${id}`)).toBe(id);
		expect(parseDealDocName(`deals:${id}:${id}`)).toBeNull();
		expect(parseDealDocName('deal:../x')).toBeNull();
	});

	it('[D2] logs contacts newest first, stores text exactly, and refuses bad input', () => {
		const doc = new Y.Doc();
		const call = uuidv7();
		const visit = uuidv7();
		addContact(
			doc,
			{
				id: call,
				kind: 'call',
				at: 1000,
				summary: 'Gọi lần đầu <b>“báo giá”</b> 🚀',
				needs: '2 máy lọc',
				createdBy: userId
			},
			user
		);
		addContact(
			doc,
			{
				id: visit,
				kind: 'visit',
				at: 5000,
				summary: 'Khảo sát tại nhà',
				nextStep: 'Gửi HĐ',
				createdBy: userId
			},
			user
		);
		expect(readContacts(doc).map((c) => [c.kind, c.summary, c.needs, c.nextStep])).toEqual([
			['visit', 'Khảo sát tại nhà', undefined, 'Gửi HĐ'],
			['call', 'Gọi lần đầu <b>“báo giá”</b> 🚀', '2 máy lọc', undefined]
		]);
		expect(
			refusal(() =>
				addContact(
					doc,
					{ id: uuidv7(), kind: 'call', at: 1, summary: ' ', createdBy: userId },
					user
				)
			)
		).toEqual({ code: 'required', field: 'summary' });
		expect(
			refusal(() =>
				addContact(
					doc,
					{ id: uuidv7(), kind: 'fax' as 'call', at: 1, summary: 'x', createdBy: userId },
					user
				)
			)
		).toEqual({ code: 'invalid_setting', field: 'kind' });
		expect(
			refusal(() =>
				addContact(doc, { id: call, kind: 'call', at: 1, summary: 'x', createdBy: userId }, user)
			)
		).toMatchObject({ code: 'deal_exists' });
		expect(readContacts(doc)).toHaveLength(2);
	});

	it('[D2] keeps two people’s edits of two fields of one entry, and removes an entry', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const id = uuidv7();
		addContact(a, { id, kind: 'meeting', at: 1000, summary: 'Họp', createdBy: userId }, user);
		sync(a, b);
		updateContact(a, { id, summary: 'Họp với giám đốc' }, user);
		updateContact(b, { id, nextStep: 'Gửi báo giá thứ Hai' }, user);
		sync(a, b);
		for (const d of [a, b]) {
			expect(readContacts(d)[0]).toMatchObject({
				summary: 'Họp với giám đốc',
				nextStep: 'Gửi báo giá thứ Hai'
			});
		}
		updateContact(a, { id, nextStep: null }, user);
		expect(readContacts(a)[0]!.nextStep).toBeUndefined();
		removeContact(a, { id }, user);
		expect(readContacts(a)).toEqual([]);
	});

	it('[D3] merges concurrent typing in two places of the notes', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		editNotes(a, { next: 'Khách cần máy lọc. Ngân sách 20tr.' }, user);
		sync(a, b);
		editNotes(a, { next: 'Khách (chị Lan) cần máy lọc. Ngân sách 20tr.' }, user);
		editNotes(b, { next: 'Khách cần máy lọc. Ngân sách 25tr.' }, user);
		sync(a, b);
		expect(notesText(a).toString()).toBe('Khách (chị Lan) cần máy lọc. Ngân sách 25tr.');
		expect(notesText(b).toString()).toBe(notesText(a).toString());
		expect(refusal(() => editNotes(a, { next: 'x'.repeat(20_001) }, user))).toMatchObject({
			code: 'too_long'
		});
	});

	const other = uuidv7();
	const due = Date.UTC(2026, 2, 2, 2, 0); // 09:00 on 2 March 2026 in Hồ Chí Minh City

	it('[D5] adds tasks, open ones by due time before done ones, and stores the title exactly', () => {
		const doc = new Y.Doc();
		const [call, quote, visit] = [uuidv7(), uuidv7(), uuidv7()];
		addTask(
			doc,
			{
				id: quote,
				title: 'Gửi báo giá <b>“Aqua”</b> 🚀',
				dueAt: due + 86_400_000,
				remindBefore: 60,
				assigneeId: other,
				createdBy: userId,
				createdAt: 500
			},
			user
		);
		addTask(
			doc,
			{ id: call, title: 'Gọi lại', dueAt: due, remindBefore: 15, createdBy: userId },
			user
		);
		addTask(
			doc,
			{ id: visit, title: 'Khảo sát', dueAt: due - 1, remindBefore: 0, createdBy: userId },
			user
		);
		setTaskDone(doc, { id: visit, done: true, by: other, at: 9000 }, user);
		expect(
			readTasks(doc).map((t) => [t.title, t.remindBefore, t.assigneeId, t.doneAt, t.doneBy])
		).toEqual([
			['Gọi lại', 15, undefined, undefined, undefined],
			['Gửi báo giá <b>“Aqua”</b> 🚀', 60, other, undefined, undefined],
			['Khảo sát', 0, undefined, 9000, other]
		]);
		expect(readTasks(doc)[1]).toMatchObject({
			createdBy: userId,
			createdAt: 500,
			dueAt: due + 86_400_000
		});
	});

	it('[D5] refuses a blank or overlong title, a missing due time, an unknown remind-before and a taken id', () => {
		const doc = new Y.Doc();
		const base = {
			id: uuidv7(),
			title: 'Gọi khách',
			dueAt: due,
			remindBefore: 0 as const,
			createdBy: userId
		};
		const refused = (input: Partial<typeof base> & Record<string, unknown>) =>
			refusal(() => addTask(doc, { ...base, id: uuidv7(), ...input } as typeof base, user));
		expect(refused({ title: '   ' })).toEqual({ code: 'required', field: 'title' });
		expect(refused({ title: 'x'.repeat(501) })).toEqual({ code: 'too_long', field: 'title' });
		expect(refused({ title: '😀'.repeat(500) })).toBeNull();
		expect(refused({ dueAt: undefined })).toEqual({ code: 'required', field: 'dueAt' });
		expect(refused({ dueAt: -5 })).toEqual({ code: 'invalid_time', field: 'dueAt' });
		expect(refused({ remindBefore: 30 as 0 })).toEqual({
			code: 'invalid_setting',
			field: 'remindBefore'
		});
		expect(refused({ assigneeId: 'nam' })).toEqual({ code: 'invalid_id', field: 'assigneeId' });
		addTask(doc, base, user);
		expect(refusal(() => addTask(doc, base, user))).toMatchObject({ code: 'deal_exists' });
		expect(refusal(() => editTask(doc, { id: uuidv7(), title: 'x' }, user))).toMatchObject({
			code: 'deal_not_found'
		});
		expect(refusal(() => editTask(doc, { id: base.id, title: '' }, user))).toEqual({
			code: 'required',
			field: 'title'
		});
		// The base task's id was made first, so it sorts first among equal due times.
		expect(readTasks(doc).map((t) => t.title)).toEqual(['Gọi khách', '😀'.repeat(500)]);
	});

	it('[D5] offers the reminder choices the tasks table stores', () => {
		expect([...taskRemindChoices]).toEqual([...remindBeforeChoices]);
	});

	it('[D5] keeps a reschedule and a tick made concurrently, and a repeated tick keeps the first', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const id = uuidv7();
		addTask(
			a,
			{ id, title: 'Gọi lại', dueAt: due, remindBefore: 15, assigneeId: other, createdBy: userId },
			user
		);
		sync(a, b);
		editTask(a, { id, dueAt: due + 3_600_000, remindBefore: 1440, updatedAt: 7000 }, user);
		setTaskDone(b, { id, done: true, by: other, at: 8000 }, user);
		editTask(b, { id, assigneeId: null }, user);
		sync(a, b);
		for (const d of [a, b]) {
			expect(readTasks(d)[0]).toMatchObject({
				dueAt: due + 3_600_000,
				remindBefore: 1440,
				doneAt: 8000,
				doneBy: other
			});
			expect(readTasks(d)[0]!.assigneeId).toBeUndefined();
		}
		setTaskDone(a, { id, done: true, by: userId, at: 9999 }, user);
		expect(readTasks(a)[0]).toMatchObject({ doneAt: 8000, doneBy: other });
		setTaskDone(a, { id, done: false, by: userId }, user);
		expect(readTasks(a)[0]!.doneAt).toBeUndefined();
		expect(readTasks(a)[0]!.doneBy).toBeUndefined();
	});

	it('[D5] changes nothing on an edit that repeats the values, and removes a task', () => {
		const doc = new Y.Doc();
		const id = uuidv7();
		addTask(doc, { id, title: 'Gọi lại', dueAt: due, remindBefore: 0, createdBy: userId }, user);
		let updates = 0;
		doc.on('update', () => updates++);
		editTask(doc, { id, title: 'Gọi lại', dueAt: due, remindBefore: 0 }, user);
		expect(updates).toBe(0);
		expect(readTasks(doc)[0]!.updatedAt).toBeUndefined();
		removeTask(doc, { id }, user);
		expect(readTasks(doc)).toEqual([]);
		expect(refusal(() => removeTask(doc, { id }, user))).toMatchObject({ code: 'deal_not_found' });
	});
});
