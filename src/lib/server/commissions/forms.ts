import { z } from 'zod';
import { parseVnd } from '$lib/format/money';
import type { MessageKey } from '$lib/i18n';
import { commissionMethods, commissionTierings } from '../db/schema';
import { parseRatePercent } from './calc';
import type { RuleInput } from './rules.repo';

/** What the rules form sent, as typed: kept to fill the form again when it is refused. */
export type RuleFormValues = {
	method: string;
	pipelineId: string;
	userId: string;
	tiering: string;
	validFrom: string;
	tiers: { from: string; rate: string }[];
};

export type RuleFormErrors = Partial<Record<string, MessageKey>>;

const uuidOrEmpty = z.union([z.literal(''), z.uuid()]);

const schema = z.object({
	method: z.enum(commissionMethods, { error: 'commissions.error.method' }),
	pipelineId: uuidOrEmpty.catch('invalid'),
	userId: uuidOrEmpty.catch('invalid'),
	tiering: z.enum(commissionTierings, { error: 'commissions.error.tiering' }),
	validFrom: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/u, { error: 'commissions.error.month' }),
	tiers: z
		.array(z.object({ from: z.string().max(40), rate: z.string().max(20) }))
		.min(1, { error: 'commissions.error.tierCount' })
		.max(10, { error: 'commissions.error.tierCount' })
});

export function ruleFormValues(form: FormData): RuleFormValues {
	const str = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v.trim() : '';
	};
	const froms = form.getAll('tierFrom').map((v) => (typeof v === 'string' ? v.trim() : ''));
	const rates = form.getAll('tierRate').map((v) => (typeof v === 'string' ? v.trim() : ''));
	const tiers = rates.map((rate, i) => ({ from: froms[i] ?? '', rate }));
	return {
		method: str('method'),
		pipelineId: str('pipelineId'),
		userId: str('userId'),
		tiering: str('tiering'),
		validFrom: str('validFrom'),
		tiers
	};
}

/**
 * Reads the rules form into a rule (SPEC C4, C5). Errors are message keys per field: `method`,
 * `pipelineId`, `userId`, `tiering`, `validFrom`, `tiers`, `tiers.<i>.from`, `tiers.<i>.rate`.
 * Membership of the pipeline and the rep is checked by the caller.
 */
export function parseRuleForm(
	values: RuleFormValues
): { ok: true; input: RuleInput } | { ok: false; errors: RuleFormErrors } {
	const errors: RuleFormErrors = {};
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? 'form');
			errors[field] ??= issue.message.startsWith('commissions.')
				? (issue.message as MessageKey)
				: 'commissions.error.form';
		}
	}
	const v = values;
	if (v.pipelineId === 'invalid') errors.pipelineId = 'commissions.error.pipeline';
	if (v.userId === 'invalid') errors.userId = 'commissions.error.user';
	const tiering = v.tiering;
	const rows = tiering === 'flat' ? v.tiers.slice(0, 1) : v.tiers;
	const tiers: { from: number; rateBp: number }[] = [];
	for (const [i, t] of rows.entries()) {
		const rateBp = parseRatePercent(t.rate);
		if (rateBp === null) errors[`tiers.${i}.rate`] = 'commissions.error.rate';
		const from = i === 0 && t.from === '' ? 0 : parseVnd(t.from);
		if (from === null) errors[`tiers.${i}.from`] = 'commissions.error.from';
		else if (i === 0 && from !== 0) errors[`tiers.${i}.from`] = 'commissions.error.firstFrom';
		else if (i > 0 && tiers[i - 1] && from <= tiers[i - 1]!.from)
			errors[`tiers.${i}.from`] = 'commissions.error.order';
		tiers.push({ from: from ?? -1, rateBp: rateBp ?? 0 });
	}
	if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
	const d = parsed.data;
	return {
		ok: true,
		input: {
			method: d.method,
			// Method B has no pipeline (C4).
			pipelineId: d.method === 'revenue' || !d.pipelineId ? null : d.pipelineId,
			userId: d.userId || null,
			tiering: d.tiering,
			tiers,
			validFrom: `${d.validFrom}-01`
		}
	};
}
