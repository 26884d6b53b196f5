import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isBoardOpError } from '$lib/board/errors';
import type { Origin } from '$lib/board/origin';
import { notesText, parseDealDocName, readContacts } from './doc';
import { addContact, editNotes, removeContact, updateContact } from './ops';

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
});
