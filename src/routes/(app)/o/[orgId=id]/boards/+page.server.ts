import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { parseForm } from '$lib/forms/validate';
import { requireMember } from '$lib/server/auth/guards';
import {
	MANAGERS,
	newPipelineSchema,
	pipelineIdSchema,
	renameSchema,
	type PipelineFormResult
} from '$lib/server/pipelines/forms';
import { opErrors } from '$lib/server/pipelines/op-errors';
import * as pipelines from '$lib/server/pipelines/pipelines.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// The organisation's pipelines (quy trình): everyone sees them; owners and managers create,
// rename, archive and restore.
export const load: PageServerLoad = async (event) => {
	const { user, org, role } = await requireMember(event);
	const all = await pipelines.listAll(runtime().db, {
		orgId: org.id,
		viewer: { userId: user.id, role }
	});
	return {
		pipelines: all.filter((p) => !p.archived),
		archived: all
			.filter((p) => p.archived)
			.map((p) => ({ id: p.id, name: p.name, stageCount: p.stages.length })),
		canManage: (MANAGERS as readonly string[]).includes(role)
	};
};

type Event = RequestEvent<{ orgId: string }>;

const refuse = (status: number, result: PipelineFormResult) => fail(status, result);
// Typed as the one result shape, so the page's `form` is one type rather than a union.
const ok = (result: PipelineFormResult): PipelineFormResult => result;

async function toggleArchived(event: Event, archived: boolean) {
	const action = archived ? 'archive' : 'restore';
	const { org } = await requireMember(event, { roles: MANAGERS });
	const parsed = parseForm(pipelineIdSchema, await event.request.formData());
	if (!parsed.ok) return refuse(400, { action, errors: { _form: { key: 'form.invalid' } } });
	const { db } = runtime();
	const { pipelineId } = parsed.data;
	const row = await pipelines.find(db, { orgId: org.id, pipelineId });
	const outcome = row
		? await pipelines.setArchived(db, { orgId: org.id, pipelineId, archived })
		: 'not_found';
	if (outcome === 'not_found') {
		return refuse(404, { action, errors: { _form: { key: 'pipelines.notFound' } } });
	}
	if (outcome === 'last_open') {
		return refuse(409, {
			action,
			target: pipelineId,
			errors: { _form: { key: 'pipelines.lastOpen' } }
		});
	}
	return ok({
		action,
		target: pipelineId,
		notice: {
			key: archived ? 'pipelines.archivedDone' : 'pipelines.restored',
			params: { name: row!.name }
		}
	});
}

export const actions: Actions = {
	create: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(newPipelineSchema, await event.request.formData());
		if (!parsed.ok) {
			return refuse(400, { action: 'create', errors: parsed.errors, values: parsed.values });
		}
		const { name, template } = parsed.data;
		const created = await runtime().db.transaction((tx) =>
			pipelines.create(tx, {
				orgId: org.id,
				name,
				stages: pipelines.templateStages({ locale: org.locale, template }),
				createdBy: user.id,
				origin: { kind: 'user', userId: user.id }
			})
		);
		redirect(303, `/o/${org.id}/boards/${created.id}/settings?created`);
	},

	rename: async (event) => {
		const { user, org } = await requireMember(event, { roles: MANAGERS });
		const parsed = parseForm(renameSchema, await event.request.formData());
		if (!parsed.ok) {
			return refuse(400, {
				action: 'rename',
				target: parsed.values.pipelineId,
				errors: parsed.errors,
				values: parsed.values
			});
		}
		const { pipelineId, name } = parsed.data;
		const rt = runtime();
		try {
			const done = await pipelines.updateSettings(rt.db, {
				orgId: org.id,
				pipelineId,
				settings: { name },
				changeDoc: rt.changeDoc,
				origin: { kind: 'user', userId: user.id }
			});
			if (!done) {
				return refuse(404, { action: 'rename', errors: { _form: { key: 'pipelines.notFound' } } });
			}
		} catch (err) {
			const errors = opErrors(err, { fields: ['name'] });
			if (!errors) throw err;
			return refuse(400, {
				action: 'rename',
				target: pipelineId,
				errors,
				values: { pipelineId, name }
			});
		}
		return ok({
			action: 'rename',
			target: pipelineId,
			notice: { key: 'pipelines.renamed', params: { name } }
		});
	},

	archive: (event) => toggleArchived(event, true),
	restore: (event) => toggleArchived(event, false)
};
