import { json } from '@sveltejs/kit';
import { extensionOf, formatSize, visibleName } from '$lib/files/names';
import type { DealFile, FileErrorResponse } from '$lib/files/types';
import { translate, type Locale, type MessageKey, type Params } from '$lib/i18n';
import type { Role } from '../db/schema';
import type { ListedFile } from './files.repo';
import { kindOf } from './sniff';
import type { UploadRefused } from './upload';

/** A file as the browser gets it, with what this member may do to it. */
export function toClient(
	file: ListedFile,
	{ userId, role, canEdit }: { userId: string; role: Role; canEdit: boolean }
): DealFile {
	return {
		id: file.id,
		name: file.name,
		size: file.size,
		mime: file.mime,
		kind: kindOf(file.mime),
		note: file.note,
		createdAt: file.createdAt.toISOString(),
		uploader:
			file.uploadedBy && file.uploaderName
				? { id: file.uploadedBy, name: file.uploaderName }
				: null,
		hasThumbnail: file.hasThumbnail,
		canDelete: role !== 'accountant' && (canEdit || file.uploadedBy === userId)
	};
}

/**
 * A refusal as JSON in the user's language. Unless the request body was read to its end, the
 * answer closes the connection (`close`): the body may still be arriving, and closing is
 * cheaper than reading megabytes only to throw them away.
 */
export function refuse(
	locale: Locale,
	{
		status,
		code,
		key,
		params,
		close = true
	}: { status: number; code: string; key: MessageKey; params?: Params; close?: boolean }
) {
	const body: FileErrorResponse = { code, message: translate(locale, key, params) };
	const headers: Record<string, string> = { 'cache-control': 'no-store' };
	if (close) headers.connection = 'close';
	return json(body, { status, headers });
}

/** The message for an upload refusal, naming the file as the list would show it. */
export function refusalMessage(
	err: UploadRefused,
	{
		name,
		maxBytes,
		quotaBytes,
		locale
	}: {
		name: string;
		maxBytes: number;
		quotaBytes: number | null;
		locale: Locale;
	}
): { key: MessageKey; params: Params } {
	const shown = visibleName(name);
	switch (err.code) {
		case 'tooLarge':
			return {
				key: 'files.error.tooLarge',
				params: { name: shown, max: formatSize(maxBytes, locale) }
			};
		case 'quota':
			return {
				key: 'files.error.quota',
				params: { name: shown, quota: quotaBytes === null ? '' : formatSize(quotaBytes, locale) }
			};
		case 'mismatch': {
			const ext = extensionOf(name);
			const type = err.type!;
			return {
				key: ext === null ? 'files.error.mismatchNoExt' : 'files.error.mismatch',
				params: {
					name: shown,
					ext: visibleName(ext ?? ''),
					type: type.label,
					expected: type.extensions[0]!
				}
			};
		}
		default:
			return { key: `files.error.${err.code}`, params: { name: shown } };
	}
}
