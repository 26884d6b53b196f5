import { normalisePhone } from '$lib/phone';
import { dealStatuses, editings, visibilities, type DealStatus } from './doc';
import { BoardOpError } from './errors';
import { isUuid } from './order';

// Input checks shared by the operations. Each returns the value to store or throws a
// BoardOpError naming the field, before any transaction starts (SPEC B5).

export const limits = {
	stageName: 100,
	pipelineName: 100,
	title: 200,
	customerName: 200,
	lostReason: 500,
	amountReason: 500,
	source: 100,
	/** 10^15 đồng: far above any real deal; a double holds sums exactly up to 2^53 ≈ 9 × 10^15. */
	amount: 1_000_000_000_000_000,
	rotDays: 3650
} as const;

export function uuid(value: unknown, field: string): string {
	if (!isUuid(value)) throw new BoardOpError('invalid_id', { field });
	return value;
}

/** Stored exactly as typed (hostile strings included); only blank or overlong text is refused. */
export function text(value: unknown, field: string, max: number): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new BoardOpError('required', { field });
	}
	// Characters as a person counts them: an emoji is one, not two UTF-16 units.
	if ([...value].length > max) throw new BoardOpError('too_long', { field, params: { max } });
	return value;
}

/** `undefined` = leave as is; `null` or blank = clear; otherwise checked text. */
export function optionalText(
	value: unknown,
	field: string,
	max: number
): string | null | undefined {
	if (value === undefined) return undefined;
	if (value === null || (typeof value === 'string' && value.trim() === '')) return null;
	return text(value, field, max);
}

export function amount(value: unknown, field = 'amount'): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limits.amount) {
		throw new BoardOpError('invalid_amount', { field, params: { max: limits.amount } });
	}
	return value;
}

/** `undefined` = leave as is; `null` or blank = clear; otherwise E.164 or `invalid_phone`. */
export function phone(value: unknown, field = 'customerPhone'): string | null | undefined {
	if (value === undefined) return undefined;
	if (value === null || (typeof value === 'string' && value.trim() === '')) return null;
	const normalised = typeof value === 'string' ? normalisePhone(value) : null;
	if (!normalised) throw new BoardOpError('invalid_phone', { field });
	return normalised;
}

export function optionalUuid(value: unknown, field: string): string | null | undefined {
	if (value === undefined || value === null) return value;
	return uuid(value, field);
}

export function color(value: unknown, field = 'color'): string {
	if (typeof value !== 'string' || !/^#[0-9a-f]{6}$/i.test(value)) {
		throw new BoardOpError('invalid_color', { field });
	}
	return value.toLowerCase();
}

export function winProbability(value: unknown, field = 'winProbability'): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100) {
		throw new BoardOpError('invalid_probability', { field, params: { min: 0, max: 100 } });
	}
	return value;
}

export function rotDays(value: unknown, field = 'rotDays'): number {
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < 0 ||
		value > limits.rotDays
	) {
		throw new BoardOpError('invalid_rot_days', { field, params: { min: 0, max: limits.rotDays } });
	}
	return value;
}

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function date(value: unknown, field: string): string {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		throw new BoardOpError('invalid_date', { field });
	}
	const d = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
		throw new BoardOpError('invalid_date', { field });
	}
	return value;
}

/** The operation's clock: the caller's `at` (ms since epoch) or now. */
export function time(value: unknown, field = 'at'): number {
	if (value === undefined) return Date.now();
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
		throw new BoardOpError('invalid_time', { field });
	}
	return value;
}

export function status(value: unknown, field = 'status'): DealStatus {
	if (!dealStatuses.includes(value as DealStatus))
		throw new BoardOpError('invalid_status', { field });
	return value as DealStatus;
}

export function visibility(value: unknown, field = 'visibility') {
	if (!visibilities.includes(value as (typeof visibilities)[number])) {
		throw new BoardOpError('invalid_setting', { field });
	}
	return value as (typeof visibilities)[number];
}

export function editing(value: unknown, field = 'editing') {
	if (!editings.includes(value as (typeof editings)[number])) {
		throw new BoardOpError('invalid_setting', { field });
	}
	return value as (typeof editings)[number];
}
