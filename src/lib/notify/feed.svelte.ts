import { untrack } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import type { I18n } from '$lib/i18n/context';
import { describe, describeChange, type ChangeItem } from './describe';
import { markReadInBackground } from './mark';
import type { NotificationFeed as Feed, NotificationItem } from './types';

// The bell's state in the browser: one live stream per page (the shell shows the bell twice,
// sidebar and phone header, both reading this), the unread count and the latest notifications.
// Created by the app shell during its initialisation, so the stream's lifetime is the shell's.

const MIN_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

export class NotificationFeed {
	#orgId: () => string;
	#initialUnread: () => number;
	#i18n: I18n;
	/** What the stream last said, and for which organisation (the shell outlives an org switch). */
	#live = $state.raw<(Feed & { orgId: string }) | null>(null);
	/** Read marks made here, shown at once; the stream confirms them a moment later. */
	#readHere = new SvelteSet<string>();
	/** When each notification last changed, as last seen: tells news from what was there. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
	#seen = new Map<string, string>();

	constructor({
		orgId,
		unread,
		i18n
	}: {
		orgId: () => string;
		/** The count the page was rendered with, so the badge shows before the stream connects. */
		unread: () => number;
		i18n: I18n;
	}) {
		this.#orgId = orgId;
		this.#initialUnread = unread;
		this.#i18n = i18n;
		$effect(() => {
			const id = this.#orgId();
			return untrack(() => this.#connect(id));
		});
	}

	get #current() {
		const live = this.#live;
		return live && live.orgId === this.#orgId() ? live : null;
	}

	/** False until the stream has sent the list once. */
	get loaded() {
		return this.#current !== null;
	}

	get items(): NotificationItem[] {
		const readHere = this.#readHere;
		return (this.#current?.items ?? []).map((n) =>
			!n.read && readHere.has(n.id) ? { ...n, read: true } : n
		);
	}

	get unread() {
		const current = this.#current;
		if (!current) return this.#initialUnread();
		const pending = current.items.filter((n) => !n.read && this.#readHere.has(n.id)).length;
		return Math.max(0, current.unread - pending);
	}

	/** Marks one read (the popover does this when it is opened). */
	markRead(id: string) {
		this.#readHere.add(id);
		void markReadInBackground({ orgId: this.#orgId(), id });
	}

	async markAllRead() {
		for (const n of this.#current?.items ?? []) this.#readHere.add(n.id);
		// The unread ones beyond the latest few are only known to the server: its answer (through
		// the stream) brings the count to zero.
		return markReadInBackground({ orgId: this.#orgId(), action: 'readAll' });
	}

	#connect(orgId: string) {
		if (typeof EventSource === 'undefined') return;
		let source: EventSource | undefined;
		let retry: ReturnType<typeof setTimeout> | undefined;
		let delay = MIN_RETRY_MS;
		let first = true;
		const open = () => {
			source = new EventSource(`/o/${orgId}/notifications/stream`);
			source.addEventListener('feed', (e) => {
				delay = MIN_RETRY_MS;
				const feed = JSON.parse((e as MessageEvent<string>).data) as Feed;
				// The first message after (re)connecting is what was already there, not news.
				if (!first) this.#announce(feed.items);
				first = false;
				for (const n of feed.items) this.#seen.set(n.id, n.at);
				// A mark made here is forgotten once the server has it (or the item left the list).
				for (const id of [...this.#readHere]) {
					if (!feed.items.some((n) => n.id === id && !n.read)) this.#readHere.delete(id);
				}
				this.#live = { ...feed, orgId };
			});
			source.addEventListener('error', () => {
				// A network failure reconnects by itself; an error answer (a 5xx from a proxy, the
				// session gone) closes the source for good: try again, more slowly each time.
				if (source?.readyState !== EventSource.CLOSED) return;
				retry = setTimeout(open, delay);
				delay = Math.min(delay * 2, MAX_RETRY_MS);
			});
		};
		open();
		return () => {
			clearTimeout(retry);
			source?.close();
		};
	}

	/** A system notification for what arrived while the tab was in the background. */
	#announce(items: NotificationItem[]) {
		if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
		if (document.visibilityState !== 'hidden') return;
		const fresh = items.filter((n) => !n.read && this.#seen.get(n.id) !== n.at);
		const i18n = this.#i18n;
		const timeZone = (page.data.org as { timeZone?: string } | undefined)?.timeZone;
		for (const n of fresh.slice(0, 3)) {
			const { title, lines } = describe(n, { t: i18n.t, locale: i18n.locale, timeZone });
			// A batch of a deal's changes says what is new: its latest change, not its first.
			const changes = n.type === 'deal_changes' && Array.isArray(n.data.items) ? n.data.items : [];
			const newest = changes.at(-1) as ChangeItem | undefined;
			const body = newest ? describeChange(newest, { t: i18n.t }) : (lines[0] ?? '');
			// The tag lets a batch that grows replace its earlier system notification, and keeps
			// two open tabs from showing the same one twice.
			const shown = new Notification(title, { body, tag: n.id });
			shown.onclick = () => {
				window.focus();
				shown.close();
				this.markRead(n.id);
				if (n.link) void goto(n.link);
			};
		}
	}
}
