import { z } from 'zod';
import { formatPhone } from '$lib/customers/display';
import { email, parseForm, text, type FieldErrors } from '$lib/forms/validate';
import { normalisePhone } from '$lib/phone';
import { customerKinds } from '../db/schema';
import type { CustomerFields } from './customers.repo';

// The customer form (new and edit): field-level messages in the user's language, phones
// normalised to E.164, and every value typed sent back on error so nothing is lost.

export const customerLimits = {
	name: 200,
	phones: 10,
	phone: 40,
	address: 500,
	company: 200,
	source: 100,
	tag: 40,
	tags: 20,
	notes: 5000
} as const;

/** Who may create, edit, delete and merge customers: everyone but accountants. */
export const EDITORS = ['owner', 'manager', 'sales'] as const;

/** What the form shows: as typed, so a refused submit keeps everything. */
export type CustomerFormValues = {
	kind: string;
	name: string;
	phones: string[];
	email: string;
	address: string;
	company: string;
	taxCode: string;
	source: string;
	tags: string[];
	notes: string;
	ownerId: string;
};

export type CustomerFormResult =
	| { ok: true; fields: CustomerFields }
	| { ok: false; errors: FieldErrors; values: CustomerFormValues };

const optional = (max: number) => text({ max, min: 0 }).transform((s) => (s === '' ? null : s));

// Vietnamese tax codes: 10 digits (organisations), 10-3 (a branch), or 12 (a person's citizen
// ID, used as their tax code since 2025). Spaces and dots people type are ignored.
const TAX_CODE = /^(\d{10}(-\d{3})?|\d{12})$/;

const scalarSchema = z.object({
	kind: z.enum(customerKinds, { error: 'customers.error.kind' }),
	name: z
		.string({ error: 'customers.error.name' })
		.trim()
		.min(1, 'customers.error.name')
		.pipe(text({ max: customerLimits.name })),
	email: z
		.string()
		.trim()
		.transform((s) => (s === '' ? null : s))
		.pipe(email().nullable()),
	address: optional(customerLimits.address),
	company: optional(customerLimits.company),
	taxCode: z
		.string()
		.transform((s) => s.replace(/[\s.]/g, ''))
		.refine((s) => s === '' || TAX_CODE.test(s), 'customers.error.taxCode')
		.transform((s) => (s === '' ? null : s)),
	source: optional(customerLimits.source),
	notes: optional(customerLimits.notes),
	ownerId: z.union([z.literal('').transform(() => null), z.uuid('customers.error.invalid_owner')])
});

export function readCustomerForm(form: FormData): CustomerFormResult {
	const all = (name: string) =>
		form.getAll(name).flatMap((v) => (typeof v === 'string' ? [v] : []));
	const one = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	const values: CustomerFormValues = {
		kind: one('kind') || 'person',
		name: one('name'),
		phones: all('phones'),
		email: one('email'),
		address: one('address'),
		company: one('company'),
		taxCode: one('taxCode'),
		source: one('source'),
		tags: all('tags'),
		notes: one('notes'),
		ownerId: one('ownerId')
	};

	const scalars = new FormData();
	for (const key of Object.keys(scalarSchema.shape)) {
		scalars.set(key, values[key as keyof typeof scalarSchema.shape] as string);
	}
	const parsed = parseForm(scalarSchema, scalars);
	const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };

	// Phones: each row its own message, on the row it concerns; blank rows are simply unused.
	const phones: string[] = [];
	const typedPhones = values.phones.filter((p) => p.trim() !== '');
	if (typedPhones.length > customerLimits.phones) {
		errors.phones = {
			key: 'customers.error.tooManyPhones',
			params: { max: customerLimits.phones }
		};
	}
	values.phones.forEach((typed, i) => {
		if (typed.trim() === '') return;
		const e164 = typed.length <= customerLimits.phone ? normalisePhone(typed) : null;
		if (!e164) {
			errors[`phones.${i}`] = { key: 'customers.error.phone', params: { phone: typed.trim() } };
		} else if (!phones.includes(e164)) {
			phones.push(e164);
		}
	});

	// Tags: the chips, and whatever is still in the box, split on commas; trimmed, inner spaces
	// collapsed, each once whatever its case.
	values.tags = values.tags.flatMap((t) => t.split(',')).filter((t) => t.trim() !== '');
	const tags: string[] = [];
	const seen = new Set<string>();
	for (const typed of values.tags) {
		const tag = typed.trim().replace(/\s+/g, ' ');
		if (!tag) continue;
		if (tag.length > customerLimits.tag) {
			errors.tags ??= { key: 'customers.error.tag', params: { max: customerLimits.tag } };
			continue;
		}
		const k = tag.toLocaleLowerCase('vi');
		if (seen.has(k)) continue;
		seen.add(k);
		tags.push(tag);
	}
	if (tags.length > customerLimits.tags) {
		errors.tags ??= { key: 'customers.error.tooManyTags', params: { max: customerLimits.tags } };
	}

	if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors, values };
	return { ok: true, fields: { ...parsed.data, phones, tags } };
}

/** Values for a form showing an existing customer. */
export function formValues(c: CustomerFields): CustomerFormValues {
	return {
		kind: c.kind,
		name: c.name,
		// As people write them (0912 345 678); saved again as E.164.
		phones: c.phones.length > 0 ? c.phones.map(formatPhone) : [''],
		email: c.email ?? '',
		address: c.address ?? '',
		company: c.company ?? '',
		taxCode: c.taxCode ?? '',
		source: c.source ?? '',
		tags: [...c.tags],
		notes: c.notes ?? '',
		ownerId: c.ownerId ?? ''
	};
}
