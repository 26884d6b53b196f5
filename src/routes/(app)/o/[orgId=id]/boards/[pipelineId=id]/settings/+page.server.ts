import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { v7 as uuidv7 } from 'uuid';
import { pipelineDocName, readSettings, readStages } from '$lib/board/doc';
import { addStage, moveStage, renameStage, setStageFields } from '$lib/board/ops';
import type { Origin } from '$lib/board/origin';
import { parseForm } from '$lib/forms/validate';
import { requireMember } from '$lib/server/auth/guards';
import {
	deleteStageSchema,
	MANAGERS,
	moveStageSchema,
	settingsSchema,
	stageFieldsSchema,
	stageIdSchema,
	type PipelineFormResult
} from '$lib/server/pipelines/forms';
import { opErrors } from '$lib/server/pipelines/op-errors';
import * as pipelines from '$lib/server/pipelines/pipelines.repo';
import { deleteStage } from '$lib/server/pipelines/stages';
import * as members from '$lib/server/orgs/members.repo';
import { runtime } from '$lib/server/runtime';
import type { Actions, PageServerLoad } from './$types';

// Pipeline settings: stages (add, edit, reorder, delete with a target) and what sales reps may
// see and edit. Everyone in the organisation reads it; owners and managers change it, every
// change a named op on the pipeline document through `changeDoc` (live for open boards).
export const load: PageServerLoad = async (event) => {
	const { org, role } = await requireMember(event);
	const { db } = runtime();
	const row = await pipelines.find(db, { orgId: org.id, pipelineId: event.params.pipelineId });
	if (!row) error(404, { message: 'Not found' });
	const board = await pipelines.readBoard(db, { pipelineId: row.id });
	try {
		const counts = board.counts();
		const settings = readSettings(board.pipelineDoc);
		return {
			pipeline: { id: row.id, name: settings.name || row.name, archived: row.archivedAt !== null },
			stages: readStages(board.pipelineDoc).map((s) => ({
				id: s.id,
				name: s.name,
				color: s.color,
				winProbability: s.winProbability,
				rotDays: s.rotDays,
				deals: counts.get(s.id) ?? 0
			})),
			settings: { visibility: settings.visibility, editing: settings.editing },
			canManage: (MANAGERS as readonly string[]).includes(role),
			created: event.url.searchParams.has('created')
		};
	} finally {
		board.destroy();
	}
};

type Event = RequestEvent<{ orgId: string; pipelineId: string }>;

/** Guards an action: a manager of the organisation, and a pipeline of that organisation. */
async function manage(event: Event) {
	const { user, org } = await requireMember(event, { roles: MANAGERS });
	const row = await pipelines.find(runtime().db, {
		orgId: org.id,
		pipelineId: event.params.pipelineId
	});
	if (!row) error(404, { message: 'Not found' });
	const origin: Origin = { kind: 'user', userId: user.id };
	return { org, pipeline: row, origin, docName: pipelineDocName(row.id) };
}

const refuse = (status: number, result: PipelineFormResult) => fail(status, result);
// Typed as the one result shape, so the page's `form` is one type rather than a union.
const ok = (result: PipelineFormResult): PipelineFormResult => result;

/** A refused op as the form's field messages; anything else is a real error. */
function refused(
	err: unknown,
	{ action, target, values, fields }: PipelineFormResult & { fields: readonly string[] }
) {
	const errors = opErrors(err, { fields });
	if (!errors) throw err;
	return refuse(400, { action, target, errors, values });
}

/** What was typed, to show again when an op refuses it. */
const typed = (form: FormData) =>
	Object.fromEntries(
		[...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string')
	);

const STAGE_FIELDS = ['name', 'color', 'winProbability', 'rotDays'] as const;

export const actions: Actions = {
	settings: async (event) => {
		const { org, pipeline, origin } = await manage(event);
		const form = await event.request.formData();
		const parsed = parseForm(settingsSchema, form);
		if (!parsed.ok) {
			return refuse(400, { action: 'settings', errors: parsed.errors, values: parsed.values });
		}
		const rt = runtime();
		let changed: Awaited<ReturnType<typeof pipelines.updateSettings>>;
		try {
			changed = await pipelines.updateSettings(rt.db, {
				orgId: org.id,
				pipelineId: pipeline.id,
				settings: parsed.data,
				changeDoc: rt.changeDoc,
				origin
			});
		} catch (err) {
			return refused(err, {
				action: 'settings',
				values: typed(form),
				fields: ['name', 'visibility', 'editing']
			});
		}
		if (!changed) error(404, { message: 'Not found' });
		const { before, after } = changed;
		// Access to a shard is decided when a socket opens it: reps reconnect and are
		// authorised afresh under the new rules (a rep must not keep a shard now hidden).
		if (before.visibility !== after.visibility || before.editing !== after.editing) {
			const reps = (await members.list(rt.db, { orgId: org.id })).filter((m) => m.role === 'sales');
			for (const rep of reps) {
				await rt.disconnectUser({ userId: rep.userId, reason: 'pipelineAccess' }).catch((err) => {
					rt.log.error({ err, userId: rep.userId }, 'could not close collab sockets');
				});
			}
		}
		return ok({
			action: 'settings',
			notice: { key: 'pipelines.general.saved' }
		});
	},

	addStage: async (event) => {
		const { docName, origin } = await manage(event);
		const form = await event.request.formData();
		const parsed = parseForm(stageFieldsSchema, form);
		if (!parsed.ok) {
			return refuse(400, { action: 'addStage', errors: parsed.errors, values: parsed.values });
		}
		try {
			await runtime().changeDoc(docName, (doc) =>
				addStage(doc, { id: uuidv7(), ...parsed.data }, origin)
			);
		} catch (err) {
			return refused(err, { action: 'addStage', values: typed(form), fields: STAGE_FIELDS });
		}
		return ok({
			action: 'addStage',
			notice: { key: 'pipelines.stage.added', params: { name: parsed.data.name } }
		});
	},

	updateStage: async (event) => {
		const { docName, origin } = await manage(event);
		const form = await event.request.formData();
		const id = parseForm(stageIdSchema, form);
		if (!id.ok)
			return refuse(400, { action: 'updateStage', errors: { _form: { key: 'form.invalid' } } });
		const { stageId } = id.data;
		const parsed = parseForm(stageFieldsSchema, form);
		if (!parsed.ok) {
			return refuse(400, {
				action: 'updateStage',
				target: stageId,
				errors: parsed.errors,
				values: parsed.values
			});
		}
		const { name, ...fields } = parsed.data;
		try {
			// The schema mirrors the ops' checks, so the second op cannot refuse after the first
			// wrote; only `stage_not_found` (deleted meanwhile) can, and it comes first.
			await runtime().changeDoc(docName, (doc) => {
				renameStage(doc, { stageId, name }, origin);
				setStageFields(doc, { stageId, ...fields }, origin);
			});
		} catch (err) {
			return refused(err, {
				action: 'updateStage',
				target: stageId,
				values: typed(form),
				fields: STAGE_FIELDS
			});
		}
		return ok({
			action: 'updateStage',
			target: stageId,
			notice: { key: 'pipelines.stage.saved', params: { name } }
		});
	},

	moveStage: async (event) => {
		const { docName, origin } = await manage(event);
		const parsed = parseForm(moveStageSchema, await event.request.formData());
		if (!parsed.ok)
			return refuse(400, { action: 'moveStage', errors: { _form: { key: 'form.invalid' } } });
		const { stageId, after, before } = parsed.data;
		let moved: { name: string; position: number };
		try {
			moved = await runtime().changeDoc(docName, (doc) => {
				moveStage(doc, { stageId, after, before }, origin);
				const stages = readStages(doc);
				const i = stages.findIndex((s) => s.id === stageId);
				return { name: stages[i]!.name, position: i + 1 };
			});
		} catch (err) {
			return refused(err, { action: 'moveStage', target: stageId, fields: [] });
		}
		return ok({
			action: 'moveStage',
			target: stageId,
			notice: { key: 'pipelines.stage.moved', params: moved }
		});
	},

	deleteStage: async (event) => {
		const { pipeline, origin } = await manage(event);
		const form = await event.request.formData();
		const parsed = parseForm(deleteStageSchema, form);
		if (!parsed.ok) {
			return refuse(400, {
				action: 'deleteStage',
				target: parsed.values.stageId,
				errors: parsed.errors.stageId ? { _form: { key: 'form.invalid' } } : parsed.errors,
				values: parsed.values
			});
		}
		const { stageId, moveDealsTo } = parsed.data;
		const rt = runtime();
		try {
			const { moved, name, target } = await deleteStage(rt.db, {
				pipelineId: pipeline.id,
				stageId,
				moveDealsTo,
				changeDoc: rt.changeDoc,
				origin
			});
			return ok({
				action: 'deleteStage',
				target: stageId,
				notice:
					moved > 0
						? { key: 'pipelines.stage.deletedMoved', params: { name, count: moved, target } }
						: { key: 'pipelines.stage.deleted', params: { name } }
			});
		} catch (err) {
			return refused(err, {
				action: 'deleteStage',
				target: stageId,
				values: typed(form),
				fields: ['moveDealsTo']
			});
		}
	}
};
