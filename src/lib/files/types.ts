// What the file endpoints send the browser (src/routes/(app)/o/[orgId=id]/…/files).

export type FileKind = 'pdf' | 'image' | 'office' | 'text';

export type DealFile = {
	id: string;
	/** Exactly as uploaded: show it as text, through `visibleName`. */
	name: string;
	size: number;
	mime: string;
	kind: FileKind;
	note: string;
	createdAt: string;
	uploader: { id: string; name: string } | null;
	hasThumbnail: boolean;
	canDelete: boolean;
};

export type DealFilesResponse = {
	files: DealFile[];
	canEdit: boolean;
	/** Largest file accepted, in bytes. */
	maxBytes: number;
	/** The organisation's storage: bytes used and its plan's quota (null: unlimited). */
	storage: { usedBytes: number; quotaBytes: number | null };
};

/** Every refusal carries a message in the user's language. */
export type FileErrorResponse = { code: string; message: string };

/** A kind the browser may show inline: images and PDFs only. */
export const previewable = (kind: FileKind) => kind === 'image' || kind === 'pdf';

export const fileUrls = {
	list: (orgId: string, dealId: string) => `/o/${orgId}/deals/${dealId}/files`,
	upload: (orgId: string, dealId: string, { name, note }: { name: string; note: string }) =>
		`/o/${orgId}/deals/${dealId}/files?${new URLSearchParams(note ? { name, note } : { name })}`,
	download: (orgId: string, fileId: string) => `/o/${orgId}/files/${fileId}`,
	preview: (orgId: string, fileId: string) => `/o/${orgId}/files/${fileId}?preview`,
	thumbnail: (orgId: string, fileId: string) => `/o/${orgId}/files/${fileId}/thumbnail`
};
