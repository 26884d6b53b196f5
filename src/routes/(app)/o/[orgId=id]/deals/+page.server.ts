import { fail } from '@sveltejs/kit';
import { filtersQuery, parseDealFilters } from '$lib/deals/filters';
import { parseForm } from '$lib/forms/validate';
import { requireMember } from '$lib/server/auth/guards';
import * as deals from '$lib/server/deals/deals.repo';
import { localDay } from '$lib/server/deals/export';
import {
	deleteViewSchema,
	renameViewSchema,
	saveViewSchema,
	type ViewFormResult
} from '$lib/server/deals/forms';
import * as views from '$lib/server/deals/saved-views.repo';
import * as members from '$lib/server/orgs/members.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// The deals list across pipelines: the URL's filters (validated; an invalid one is shown, never
// dropped), the first page of rows and the totals, the options of the filter bar and the views.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const { db, log } = runtime();
	const viewer = { orgId: org.id, userId: user.id, role };
	const [options, people, saved] = await Promise.all([
		deals.filterOptions(db, { orgId: org.id }),
		members.list(db, { orgId: org.id }),
		views.list(db, viewer)
	]);
	const common = {
		options,
		members: people.map((m) => ({ id: m.userId, name: m.name })),
		views: saved,
		me: { id: user.id },
		today: localDay(org.timeZone)
	};
	const parsed = parseDealFilters(event.url.searchParams);
	if (!parsed.ok) return { ...common, invalid: parsed.issues, list: null, summary: null };
	const { filters } = parsed;
	// The count and total scan every matching deal, the page only its first rows: the rows come
	// with the page and the totals are streamed after it (null when they could not be computed).
	const summary = deals.summary(db, { ...viewer, filters }).catch((err: unknown) => {
		log.error({ err }, 'deals summary failed');
		return null;
	});
	const page = await deals.list(db, { ...viewer, filters, limit: 100 });
	return {
		...common,
		invalid: null,
		list: { filters, query: filtersQuery(filters), ...page },
		summary
	};
};

const refuse = (status: number, result: ViewFormResult) => fail(status, result);
const ok = (result: ViewFormResult): ViewFormResult => result;

export const actions: Actions = {
	saveView: async (event) => {
		const { user, org, role } = await requireMember(event);
		const parsed = parseForm(saveViewSchema, await event.request.formData());
		if (!parsed.ok) {
			return refuse(400, { action: 'saveView', errors: parsed.errors, values: parsed.values });
		}
		const { name, query, shared } = parsed.data;
		const created = await views.create(runtime().db, {
			orgId: org.id,
			userId: user.id,
			role,
			name,
			query,
			shared
		});
		if (created === 'too_many') {
			return refuse(409, {
				action: 'saveView',
				values: { name },
				errors: {
					_form: { key: 'deals.view.tooMany', params: { max: views.MAX_VIEWS_PER_USER } }
				}
			});
		}
		return ok({
			action: 'saveView',
			target: created.id,
			notice: { key: 'deals.view.saved', params: { name } }
		});
	},

	renameView: async (event) => {
		const { user, org, role } = await requireMember(event);
		const parsed = parseForm(renameViewSchema, await event.request.formData());
		if (!parsed.ok) {
			return refuse(400, {
				action: 'renameView',
				target: parsed.values.viewId,
				errors: parsed.errors,
				values: parsed.values
			});
		}
		const { viewId, name } = parsed.data;
		const outcome = await views.rename(runtime().db, {
			orgId: org.id,
			userId: user.id,
			role,
			viewId,
			name
		});
		if (outcome !== 'ok') {
			return refuse(outcome === 'not_found' ? 404 : 403, {
				action: 'renameView',
				target: viewId,
				errors: {
					_form: { key: `deals.view.${outcome === 'not_found' ? 'notFound' : 'forbidden'}` }
				}
			});
		}
		return ok({
			action: 'renameView',
			target: viewId,
			notice: { key: 'deals.view.renamed', params: { name } }
		});
	},

	deleteView: async (event) => {
		const { user, org, role } = await requireMember(event);
		const parsed = parseForm(deleteViewSchema, await event.request.formData());
		if (!parsed.ok) {
			return refuse(400, { action: 'deleteView', errors: { _form: { key: 'form.invalid' } } });
		}
		const { viewId } = parsed.data;
		const outcome = await views.remove(runtime().db, {
			orgId: org.id,
			userId: user.id,
			role,
			viewId
		});
		if (typeof outcome === 'string') {
			return refuse(outcome === 'not_found' ? 404 : 403, {
				action: 'deleteView',
				target: viewId,
				errors: {
					_form: { key: `deals.view.${outcome === 'not_found' ? 'notFound' : 'forbidden'}` }
				}
			});
		}
		return ok({
			action: 'deleteView',
			notice: { key: 'deals.view.deleted', params: { name: outcome.name } }
		});
	}
};
