import { asciiFileName, safeFileName } from '$lib/files/names';

/**
 * `Content-Disposition` (RFC 6266) with both names: `filename*` (RFC 5987/8187, UTF-8) keeps
 * Vietnamese, `filename` is the ASCII fallback for old clients. Both come from `safeFileName`,
 * never from the stored name as such.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
	const utf8 = encodeURIComponent(safeFileName(name)).replace(
		/['()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()
	);
	return `${kind}; filename="${asciiFileName(name)}"; filename*=UTF-8''${utf8}`;
}

// A file is shown inline only for the preview of an image or a PDF, and then as a sandboxed
// document of its own: no scripts, no forms, an opaque origin, nothing loaded from elsewhere,
// framed only by our own pages. Chromium's PDF viewer renders under this full sandbox (checked
// with Debian's Chromium); a browser that refused would leave the preview's download link.
const PREVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/** Headers for sending a stored file. */
export function fileHeaders({
	name,
	mime,
	size,
	preview
}: {
	name: string;
	mime: string;
	size: number;
	/** Inline, for the preview of an image or a PDF; otherwise an attachment. */
	preview: boolean;
}): Headers {
	const headers = new Headers({
		'content-type': mime.startsWith('text/') ? `${mime}; charset=utf-8` : mime,
		'content-length': String(size),
		'content-disposition': contentDisposition(preview ? 'inline' : 'attachment', name),
		'x-content-type-options': 'nosniff',
		// Files change only by being deleted; access can change any time, so nothing is kept.
		'cache-control': 'private, no-store',
		'cross-origin-resource-policy': 'same-origin',
		'content-security-policy': preview
			? `${PREVIEW_CSP}; frame-ancestors 'self'`
			: "default-src 'none'; sandbox; frame-ancestors 'none'"
	});
	return headers;
}
