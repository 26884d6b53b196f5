// Avatars: initials and a stable colour per person, the same on every screen and every replica.
const palette = [
	'#0f766e',
	'#1d4ed8',
	'#7c3aed',
	'#be185d',
	'#b45309',
	'#15803d',
	'#0369a1',
	'#a21caf',
	'#c2410c',
	'#4338ca'
];

export function colorFor(id: string): string {
	let h = 0;
	for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
	return palette[h % palette.length]!;
}

/** Vietnamese names put the given name last: "Nguyễn Thị Lan" → "TL". */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/).filter(Boolean);
	return (
		words
			.slice(-2)
			.map((w) => w[0]?.toUpperCase() ?? '')
			.join('') || '?'
	);
}
