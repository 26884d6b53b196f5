// Avatars: initials and a stable colour per person, the same on every screen and every replica.
// Ten hues far enough apart to tell two avatars side by side (amber next to orange was not),
// each dark enough for white initials.
const palette = [
	'#0f766e',
	'#1d4ed8',
	'#7c3aed',
	'#be185d',
	'#b45309',
	'#15803d',
	'#9f1239',
	'#4338ca',
	'#a21caf',
	'#475569'
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
