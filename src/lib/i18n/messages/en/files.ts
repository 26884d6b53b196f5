import type { vi } from '../files';

export const en: Record<keyof typeof vi, string> = {
	'files.title': 'Files',
	'files.count': '{count} files',
	'files.empty': 'No files yet. Attach quotes, contracts, drawings or photos to this deal.',
	'files.drop': 'Drop files here or',
	'files.pick': 'choose files',
	'files.dropNow': 'Drop to upload',
	'files.limits': 'PDF, images, Word, Excel, PowerPoint, TXT, CSV · up to {max} each',
	'files.note': 'Note for the files',
	'files.notePlaceholder': 'Optional, e.g. second quote, sent to the customer',
	'files.uploading': 'Uploading',
	'files.progress': 'Upload progress of {name}',
	'files.uploader': '{name} · {when}',
	'files.formerMember': 'Former member',
	'files.preview': 'Preview',
	'files.previewOf': 'Preview {name}',
	'files.download': 'Download',
	'files.downloadOf': 'Download {name}',
	'files.delete': 'Delete',
	'files.deleteOf': 'Delete {name}',
	'files.deleteConfirm': 'Delete “{name}”? Nobody will be able to open or download it any more.',
	'files.readOnly': 'You can view and download this deal’s files.',
	'files.loadError': 'The files could not be loaded.',
	'files.retry': 'Try again',
	'files.dismiss': 'Dismiss',
	'files.error.tooLarge': '“{name}” is larger than {max}, the limit for one file.',
	'files.error.quota':
		'Not enough storage for “{name}”: the organisation has nearly used its plan’s {quota}. Delete old files or upgrade the plan.',
	'files.error.empty': '“{name}” is empty.',
	'files.error.aborted': 'The upload of “{name}” was interrupted. Please try again.',
	'files.error.html': '“{name}” was refused: it is a web page (HTML, SVG or XML), not a document.',
	'files.error.executable': '“{name}” was refused: it is a program, not a document.',
	'files.error.script': '“{name}” was refused: it is a script, not a document.',
	'files.error.macro':
		'“{name}” was refused: it is an Office document with macros. Save it as a plain .docx, .xlsx or .pptx.',
	'files.error.unsupported':
		'“{name}” was refused: Chốt accepts PDF, PNG, JPEG, WebP and GIF images, Word, Excel, PowerPoint, TXT and CSV.',
	'files.error.mismatch':
		'“{name}” was refused: its name ends in .{ext} but it is a {type} file. Name it .{expected}.',
	'files.error.mismatchNoExt':
		'“{name}” was refused: its name needs the extension .{expected} (it is a {type} file).',
	'files.error.name': 'This file name is not valid.',
	'files.error.nameTooLong': 'The file name is longer than {max} characters. Please shorten it.',
	'files.error.noteTooLong': 'The note can be at most {max} characters.',
	'files.error.forbidden': 'You may not attach files to this deal.',
	'files.error.deleteForbidden': 'You may not delete this file.',
	'files.error.deleteFailed': '“{name}” could not be deleted. Please try again.',
	'files.error.network': 'The connection dropped while uploading “{name}”. Please try again.',
	'files.error.server': '“{name}” could not be uploaded. Please try again.'
};
