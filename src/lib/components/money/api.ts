import type { DealMoney, MoneyError } from '$lib/money/types';

// The deal's money endpoints as the drawer calls them. A refusal comes back as the server's
// `MoneyError` (already in the user's language); a request that never got an answer is
// `network`, which the caller may retry with the same idempotency key.

export type Answer<T> =
	| { ok: true; status: number; body: T }
	| { ok: false; status: number; error: MoneyError }
	| { ok: false; status: 0; error: null };

export async function call<T>(
	url: string,
	init: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {}
): Promise<Answer<T>> {
	let res: Response;
	try {
		res = await fetch(url, {
			method: init.method ?? 'GET',
			headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
			body: init.body === undefined ? undefined : JSON.stringify(init.body)
		});
	} catch {
		return { ok: false, status: 0, error: null };
	}
	const body = (await res.json().catch(() => null)) as unknown;
	if (res.ok && body) return { ok: true, status: res.status, body: body as T };
	const error =
		body && typeof body === 'object' && 'message' in body
			? (body as MoneyError)
			: { code: 'http', message: '' };
	return { ok: false, status: res.status, error };
}

export const moneyUrls = {
	money: (orgId: string, dealId: string) => `/o/${orgId}/deals/${dealId}/payments`,
	void: (orgId: string, dealId: string, paymentId: string) =>
		`/o/${orgId}/deals/${dealId}/payments/${paymentId}/void`,
	instalments: (orgId: string, dealId: string) => `/o/${orgId}/deals/${dealId}/instalments`,
	instalment: (orgId: string, dealId: string, id: string) =>
		`/o/${orgId}/deals/${dealId}/instalments/${id}`
};

export type MoneyAnswer = { money: DealMoney };
