// Stage colours offered in pipeline settings, and the ones default pipelines start with. Each
// reaches 3:1 contrast against white (WCAG 1.4.11, for the chip's colour bar and dot), so a
// column stays recognisable; any other `#rrggbb` can still be chosen as a custom colour.
export const stagePalette = [
	{ value: '#64748b', key: 'slate' },
	{ value: '#0284c7', key: 'sky' },
	{ value: '#4f46e5', key: 'indigo' },
	{ value: '#7c3aed', key: 'violet' },
	{ value: '#d97706', key: 'amber' },
	{ value: '#e11d48', key: 'rose' },
	{ value: '#059669', key: 'emerald' },
	{ value: '#0f766e', key: 'teal' }
] as const;

export type PaletteKey = (typeof stagePalette)[number]['key'];

export const defaultStageColor = '#64748b';
