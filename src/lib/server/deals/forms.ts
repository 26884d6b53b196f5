import { z } from 'zod';
import { canonicalQuery } from '$lib/deals/filters';
import { text, type FieldError, type FieldErrors } from '$lib/forms/validate';

// The saved-view forms of the deals page. The query is stored in its canonical form, and only
// if it parses: a view never holds filters the list would refuse.

export type ViewFormResult = {
	action: 'saveView' | 'renameView' | 'deleteView';
	target?: string;
	errors?: FieldErrors;
	values?: Record<string, string>;
	notice?: FieldError;
};

const name = () => text({ max: 60 });
const checkbox = z
	.enum(['on', 'true', '1'])
	.optional()
	.transform((v) => v !== undefined);

export const saveViewSchema = z.object({
	name: name(),
	query: z
		.string()
		.max(4000, 'deals.view.invalidQuery')
		.transform((q, ctx) => {
			const canonical = canonicalQuery(q.replace(/^\?/, ''));
			if (canonical === null) {
				ctx.addIssue({ code: 'custom', message: 'deals.view.invalidQuery' });
				return z.NEVER;
			}
			return canonical;
		}),
	shared: checkbox
});
export const renameViewSchema = z.object({ viewId: z.uuid(), name: name() });
export const deleteViewSchema = z.object({ viewId: z.uuid() });
