import type { Translate } from '$lib/i18n';
import { formatSize, visibleName } from './names';
import { fileUrls, type DealFile, type DealFilesResponse, type FileErrorResponse } from './types';

export type Upload = {
	key: number;
	name: string;
	size: number;
	sent: number;
	/** Cancels the request (XMLHttpRequest#abort). */
	cancel: () => void;
};

export type Problem = { key: number; message: string };

// Uploads at once per deal: a phone on 4G gains nothing from more, and each holds a request.
const PARALLEL = 2;
// Thumbnails are made by a job a moment after an image arrives: look again after these delays.
const THUMBNAIL_RETRIES_MS = [800, 1500, 3000, 6000];

/**
 * The files of one deal in the browser: the list, uploads with their progress, refusals in the
 * user's language, deletion. One instance per mounted component (never a module singleton).
 */
export class DealFilesState {
	files = $state<DealFile[]>([]);
	loaded = $state(false);
	loadFailed = $state(false);
	canEdit = $state(false);
	maxBytes = $state(25 * 1024 * 1024);
	storage = $state<DealFilesResponse['storage']>({ usedBytes: 0, quotaBytes: null });
	uploads = $state<Upload[]>([]);
	problems = $state<Problem[]>([]);

	#orgId: string;
	#dealId: string;
	#t: Translate;
	#locale: () => 'vi' | 'en';
	#seq = 0;
	#queue: { file: File; note: string; key: number }[] = [];
	#active = 0;
	// Bookkeeping for destroy(), never rendered: plain sets, not reactive ones.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#timers = new Set<ReturnType<typeof setTimeout>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	#requests = new Set<XMLHttpRequest>();
	#destroyed = false;

	constructor({
		orgId,
		dealId,
		t,
		locale
	}: {
		orgId: string;
		dealId: string;
		t: Translate;
		locale: () => 'vi' | 'en';
	}) {
		this.#orgId = orgId;
		this.#dealId = dealId;
		this.#t = t;
		this.#locale = locale;
	}

	async load() {
		try {
			const res = await fetch(fileUrls.list(this.#orgId, this.#dealId), {
				headers: { accept: 'application/json' }
			});
			if (!res.ok) throw new Error(String(res.status));
			const body = (await res.json()) as DealFilesResponse;
			if (this.#destroyed) return;
			this.files = body.files;
			this.canEdit = body.canEdit;
			this.maxBytes = body.maxBytes;
			this.storage = body.storage;
			this.loadFailed = false;
		} catch {
			if (!this.#destroyed) this.loadFailed = true;
		} finally {
			this.loaded = true;
		}
	}

	/**
	 * Queues files for upload with the note given. Refusals the browser can tell come at once: a
	 * browser still sending when the server refuses reports a reset connection, not the message.
	 */
	add(files: Iterable<File>, note: string) {
		const { usedBytes, quotaBytes } = this.storage;
		// Bytes waiting or on their way count too.
		let queued =
			this.#queue.reduce((n, q) => n + q.file.size, 0) +
			this.uploads.reduce((n, u) => n + u.size, 0);
		for (const file of files) {
			const key = ++this.#seq;
			if (quotaBytes !== null && usedBytes + queued + file.size > quotaBytes) {
				this.#problem(
					this.#t('files.error.quota', {
						name: visibleName(file.name),
						quota: formatSize(quotaBytes, this.#locale())
					})
				);
				continue;
			}
			if (file.size > this.maxBytes) {
				this.#problem(
					this.#t('files.error.tooLarge', {
						name: visibleName(file.name),
						max: formatSize(this.maxBytes, this.#locale())
					})
				);
				continue;
			}
			if (file.size === 0) {
				this.#problem(this.#t('files.error.empty', { name: visibleName(file.name) }));
				continue;
			}
			queued += file.size;
			this.#queue.push({ file, note, key });
		}
		this.#pump();
	}

	dismiss(key: number) {
		this.problems = this.problems.filter((p) => p.key !== key);
	}

	async remove(file: DealFile): Promise<boolean> {
		const res = await fetch(fileUrls.download(this.#orgId, file.id), {
			method: 'DELETE',
			headers: { accept: 'application/json' }
		}).catch(() => null);
		if (res && (res.status === 204 || res.status === 404)) {
			this.files = this.files.filter((f) => f.id !== file.id);
			if (res.status === 204) {
				const usedBytes = Math.max(0, this.storage.usedBytes - file.size);
				this.storage = { ...this.storage, usedBytes };
			}
			return true;
		}
		const body = (await res?.json().catch(() => null)) as FileErrorResponse | null;
		this.#problem(
			body?.message ?? this.#t('files.error.deleteFailed', { name: visibleName(file.name) })
		);
		return false;
	}

	destroy() {
		this.#destroyed = true;
		this.#queue = [];
		for (const t of this.#timers) clearTimeout(t);
		for (const r of this.#requests) r.abort();
	}

	#problem(message: string) {
		this.problems = [...this.problems, { key: ++this.#seq, message }];
	}

	#pump() {
		while (this.#active < PARALLEL && this.#queue.length > 0) {
			const next = this.#queue.shift()!;
			this.#active++;
			void this.#send(next).finally(() => {
				this.#active--;
				this.#pump();
			});
		}
	}

	// XMLHttpRequest, not fetch: only it reports upload progress in every browser.
	#send({ file, note, key }: { file: File; note: string; key: number }) {
		return new Promise<void>((resolve) => {
			const xhr = new XMLHttpRequest();
			this.#requests.add(xhr);
			const shown = visibleName(file.name);
			const upload: Upload = {
				key,
				name: file.name,
				size: file.size,
				sent: 0,
				cancel: () => xhr.abort()
			};
			this.uploads = [...this.uploads, upload];
			const update = (sent: number) => {
				this.uploads = this.uploads.map((u) => (u.key === key ? { ...u, sent } : u));
			};
			const finish = () => {
				this.#requests.delete(xhr);
				this.uploads = this.uploads.filter((u) => u.key !== key);
				resolve();
			};
			xhr.open('POST', fileUrls.upload(this.#orgId, this.#dealId, { name: file.name, note }));
			xhr.setRequestHeader('content-type', 'application/octet-stream');
			xhr.setRequestHeader('accept', 'application/json');
			xhr.upload.onprogress = (e) => update(e.loaded);
			xhr.onload = () => {
				const body = parse(xhr.responseText);
				const added = xhr.status === 201 ? body?.file : undefined;
				if (added) {
					this.files = [added, ...this.files.filter((f) => f.id !== added.id)];
					this.storage = { ...this.storage, usedBytes: this.storage.usedBytes + added.size };
					if (added.kind === 'image' && !added.hasThumbnail) this.#awaitThumbnail(0);
				} else {
					this.#problem(body?.message ?? this.#t('files.error.server', { name: shown }));
				}
				finish();
			};
			xhr.onerror = () => {
				this.#problem(this.#t('files.error.network', { name: shown }));
				finish();
			};
			xhr.onabort = finish;
			xhr.send(file);
		});
	}

	#awaitThumbnail(attempt: number) {
		const delay = THUMBNAIL_RETRIES_MS[attempt];
		if (delay === undefined || this.#destroyed) return;
		const timer = setTimeout(async () => {
			this.#timers.delete(timer);
			await this.load();
			if (this.files.some((f) => f.kind === 'image' && !f.hasThumbnail)) {
				this.#awaitThumbnail(attempt + 1);
			}
		}, delay);
		this.#timers.add(timer);
	}
}

function parse(text: string): { file?: DealFile; message?: string } | null {
	try {
		return JSON.parse(text) as { file?: DealFile; message?: string };
	} catch {
		// Not JSON (an error page): the caller falls back to its own message.
		return null;
	}
}
