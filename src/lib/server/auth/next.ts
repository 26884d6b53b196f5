// Where to go after logging in or signing up. Only a path on this site is accepted: it must start
// with exactly one `/` (`//evil.example` is another host), and browsers read `\` as `/`, so
// `/\evil.example` is refused too, as are control characters browsers strip before parsing.
export function safeNext(value: string | null | undefined): string | null {
	if (!value || value.length > 2000) return null;
	if (!value.startsWith('/') || value.startsWith('//')) return null;
	if (value.includes('\\')) return null;
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	if (/[\u0000-\u001f\u007f]/.test(value)) return null;
	return value;
}
