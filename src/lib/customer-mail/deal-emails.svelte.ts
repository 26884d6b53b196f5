import {
	customerMailUrls,
	type Compose,
	type CustomerMailError,
	type DealEmail,
	type DealEmailsResponse,
	type SendEmailAnswer,
	type SendEmailInput
} from './types';

// A deal's emails to its customer as the deal page sees them: the list with each email's state
// (asked again while one is still on its way), and what the compose panel needs. Made by the
// deal drawer (one per open deal) and handed to its parts; never a module singleton.

export type SendResult =
	{ ok: true; email: DealEmail } | { ok: false; status: number; error: CustomerMailError | null };

const POLL_FIRST_MS = 1500;
const POLL_MAX_MS = 15_000;

export class DealEmailsState {
	emails = $state.raw<DealEmail[]>([]);
	canSend = $state(false);
	compose = $state.raw<Compose | null>(null);
	loaded = $state(false);
	failed = $state(false);
	// Rebuilt whole whenever the list changes, never mutated.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly byId = $derived(new Map(this.emails.map((e) => [e.id, e])));

	readonly #url: string;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#pollMs = POLL_FIRST_MS;
	#loading: Promise<void> | null = null;
	#destroyed = false;

	constructor({ orgId, dealId }: { orgId: string; dealId: string }) {
		this.#url = customerMailUrls.emails(orgId, dealId);
	}

	/** Loads the list (and compose data); coalesces calls made while one is in flight. */
	load(): Promise<void> {
		this.#loading ??= this.#fetch().finally(() => (this.#loading = null));
		return this.#loading;
	}

	async #fetch() {
		try {
			const res = await fetch(this.#url, { headers: { accept: 'application/json' } });
			if (!res.ok) throw new Error(String(res.status));
			const body = (await res.json()) as DealEmailsResponse;
			if (this.#destroyed) return;
			this.emails = body.emails;
			this.canSend = body.canSend;
			this.compose = body.compose;
			this.loaded = true;
			this.failed = false;
		} catch {
			if (!this.#destroyed) this.failed = true;
		}
		this.#schedule();
	}

	/** Loads again when the contact log names an email this list does not have yet. */
	notice(ids: Iterable<string>) {
		if (!this.loaded) return;
		for (const id of ids) {
			if (!this.byId.has(id)) {
				void this.load();
				return;
			}
		}
	}

	// While an email is queued its state changes on the server: ask again, less often the longer
	// it takes (a retry waits 10 s and more, send-mail.job.ts).
	#schedule() {
		clearTimeout(this.#timer);
		if (this.#destroyed) return;
		if (!this.emails.some((e) => e.status === 'queued')) {
			this.#pollMs = POLL_FIRST_MS;
			return;
		}
		this.#timer = setTimeout(() => void this.load(), this.#pollMs);
		this.#pollMs = Math.min(this.#pollMs * 2, POLL_MAX_MS);
	}

	async send(input: SendEmailInput): Promise<SendResult> {
		let res: Response;
		try {
			res = await fetch(this.#url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(input)
			});
		} catch {
			return { ok: false, status: 0, error: null };
		}
		const body = (await res.json().catch(() => null)) as unknown;
		if (res.ok && body && typeof body === 'object' && 'email' in body) {
			const { email } = body as SendEmailAnswer;
			this.emails = [email, ...this.emails.filter((e) => e.id !== email.id)];
			this.#pollMs = POLL_FIRST_MS;
			this.#schedule();
			return { ok: true, email };
		}
		const error =
			body && typeof body === 'object' && 'message' in body ? (body as CustomerMailError) : null;
		return { ok: false, status: res.status, error };
	}

	destroy() {
		this.#destroyed = true;
		clearTimeout(this.#timer);
	}
}
