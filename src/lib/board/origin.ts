// Every change to a board document runs in one transaction tagged with who caused it, so hooks
// (projection, notifications) can attribute it and tell users' edits from the server's own.
export type Origin =
	| { kind: 'user'; userId: string }
	| { kind: 'server'; reason: string }
	| { kind: 'job'; job: string };

export function isOrigin(value: unknown): value is Origin {
	return (
		typeof value === 'object' &&
		value !== null &&
		'kind' in value &&
		['user', 'server', 'job'].includes((value as { kind: string }).kind)
	);
}
