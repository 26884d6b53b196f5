import type { ParamMatcher } from '@sveltejs/kit';

// Sections whose own pages arrive with later issues; until then one route shows their empty state.
export const sections = ['reports'] as const;
export type Section = (typeof sections)[number];

export const match = ((param: string): param is Section =>
	(sections as readonly string[]).includes(param)) satisfies ParamMatcher;
