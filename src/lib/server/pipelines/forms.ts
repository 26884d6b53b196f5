import { z } from 'zod';
import { editings, visibilities } from '$lib/board/doc';
import { limits } from '$lib/board/validate';
import { text, type FieldError, type FieldErrors } from '$lib/forms/validate';

// The pipeline forms' schemas and result shape, shared by the list and settings pages. The
// board ops validate again (SPEC B5); these give field-level messages before any op runs, and
// mirror the ops' rules so a stage edit never fails half-way.

/** Who manages pipelines; sales and accountants only look. */
export const MANAGERS = ['owner', 'manager'] as const;

/** What every pipeline action answers, so the page reads one shape. */
export type PipelineFormResult = {
	action: string;
	/** The pipeline or stage the result is about, to open its row's form again. */
	target?: string;
	errors?: FieldErrors;
	values?: Record<string, string>;
	notice?: FieldError;
};

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

// A whole number typed into a form: digits only, then a range; both fail with `message`.
const wholeNumber = ({ max, message }: { max: number; message: string }) =>
	z
		.string()
		.trim()
		.min(1, 'common.required')
		.regex(/^\d{1,6}$/, message)
		.transform(Number)
		.pipe(z.number().max(max, message));

const pipelineName = () => text({ max: limits.pipelineName });

export const newPipelineSchema = z.object({
	name: pipelineName(),
	template: z.enum(['standard', 'single'], { error: 'pipelines.error.invalid_setting' })
});

export const pipelineIdSchema = z.object({ pipelineId: z.uuid() });

export const renameSchema = pipelineIdSchema.extend({ name: pipelineName() });

export const settingsSchema = z.object({
	name: pipelineName(),
	visibility: z.enum(visibilities, { error: 'pipelines.error.invalid_setting' }),
	editing: z.enum(editings, { error: 'pipelines.error.invalid_setting' })
});

// The colour is a palette radio (`color=#rrggbb`) or `color=custom` with the colour picker's
// `customColor`; either way the op stores one lowercase `#rrggbb`.
export const stageFieldsSchema = z.preprocess(
	(raw) => {
		const r = raw as Record<string, string>;
		return r.color === 'custom' ? { ...r, color: r.customColor ?? '' } : r;
	},
	z.object({
		name: text({ max: limits.stageName }),
		color: z
			.string()
			.trim()
			.regex(/^#[0-9a-fA-F]{6}$/, 'pipelines.error.invalid_color')
			.transform((c) => c.toLowerCase()),
		winProbability: wholeNumber({ max: 100, message: 'pipelines.error.invalid_probability' }),
		rotDays: wholeNumber({ max: limits.rotDays, message: 'pipelines.error.invalid_rot_days' })
	})
);

export const stageIdSchema = z.object({ stageId: z.uuid() });

export const moveStageSchema = stageIdSchema.extend({
	after: z.preprocess(blankToUndefined, z.uuid().optional()),
	before: z.preprocess(blankToUndefined, z.uuid().optional())
});

export const deleteStageSchema = stageIdSchema.extend({
	moveDealsTo: z.preprocess(blankToUndefined, z.uuid().optional())
});
