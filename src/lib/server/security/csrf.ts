// Cross-site request check for every state-changing request, whatever its content type.
// SvelteKit's own check covers only form content types, so a cross-site `text/plain` or JSON
// POST (or one with an upper-case content type) would otherwise reach an endpoint.
// A request passes when the browser says it is same-origin (Sec-Fetch-Site) or its Origin is ours;
// a request with neither header is refused: every browser we support sends at least one.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isCrossSite({
	method,
	headers,
	origin
}: {
	method: string;
	headers: Headers;
	origin: string;
}): boolean {
	if (SAFE_METHODS.has(method.toUpperCase())) return false;
	const site = headers.get('sec-fetch-site');
	if (site !== null && site !== 'same-origin') return true;
	const requestOrigin = headers.get('origin');
	if (requestOrigin !== null) return requestOrigin !== origin;
	return site !== 'same-origin';
}
