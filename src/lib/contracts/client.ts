import type { Translate } from '$lib/i18n';
import type { ContractError } from './types';

// Calls to the contract endpoints from the browser: the answer's body, or its refusal with a
// message in the user's language (the server's, or ours when the network failed).

export type Answer<T> = { ok: true; data: T } | { ok: false; error: ContractError };

export async function call<T>(
	t: Translate,
	{ method, url, body }: { method: string; url: string; body?: unknown }
): Promise<Answer<T>> {
	let res: Response;
	try {
		res = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		return { ok: false, error: { code: 'network', message: t('contracts.error.network') } };
	}
	const data = (await res.json().catch(() => null)) as (T & Partial<ContractError>) | null;
	if (res.ok && data) return { ok: true, data };
	if (data && typeof data.message === 'string' && data.code) {
		return { ok: false, error: data as ContractError };
	}
	const key = res.status === 404 ? 'contracts.error.notFound' : 'contracts.error.server';
	return { ok: false, error: { code: String(res.status), message: t(key) } };
}
