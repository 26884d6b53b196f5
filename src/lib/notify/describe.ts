import { formatDate, formatDateTime } from '$lib/format/date';
import { formatVnd } from '$lib/format/money';
import type { Locale, MessageKey, Params, Translate } from '$lib/i18n';

// A notification is stored as facts (`type` + `data`) and put into words when read, in the
// reader's language: the bell, the list and the email all call `describe`.

export type NotificationView = {
	type: string;
	data: Record<string, unknown>;
};

export type ChangeItem = {
	kind: string;
	/**
	 * Who made the change: a name; `null` when Chốt made it itself (a job, such as a standby deal
	 * coming back on its date); absent when it was a person whose name is not known any more.
	 */
	actor?: string | null;
	at: string;
	detail: Record<string, unknown>;
};

const MAX_LINES = 6;

export function describe(
	n: NotificationView,
	{ t, locale, timeZone }: { t: Translate; locale: Locale; timeZone?: string }
): { title: string; lines: string[] } {
	const d = n.data;
	const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
	const date = (v: unknown) =>
		typeof v === 'string' && v ? formatDate(v, { locale, timeZone }) : '';
	switch (n.type) {
		case 'task_reminder':
			return {
				title: t('notify.task.title', { title: s(d.title) }),
				lines: [
					t('notify.task.due', { due: formatDateTime(s(d.dueAt), { locale, timeZone }) }),
					...(d.dealTitle ? [t('notify.task.onDeal', { deal: s(d.dealTitle) })] : [])
				]
			};
		case 'standby_reopened':
			return {
				title: t('notify.standby.title', { deal: s(d.dealTitle) }),
				lines: [t('notify.standby.body', { date: date(d.until) })]
			};
		case 'contract_notice': {
			const kind = d.kind === 'day' || d.kind === 'week' ? d.kind : 'notice';
			return {
				title: t(`notify.contract.title.${kind}`, { number: s(d.number), days: s(d.days) }),
				lines: [t('notify.contract.body', { deal: s(d.dealTitle), date: date(d.endsOn) })]
			};
		}
		case 'contracts_digest': {
			const items = Array.isArray(d.items) ? (d.items as Record<string, unknown>[]) : [];
			return {
				title: t('notify.contractsDigest.title', { count: items.length }),
				lines: capped(
					items.map((i) =>
						t('notify.contractsDigest.line', {
							number: s(i.number),
							deal: s(i.dealTitle),
							date: date(i.endsOn)
						})
					),
					t
				)
			};
		}
		case 'idle_digest': {
			const items = Array.isArray(d.items) ? (d.items as Record<string, unknown>[]) : [];
			return {
				title: t('notify.idle.title', { count: items.length }),
				lines: capped(
					items.map((i) => t('notify.idle.line', { deal: s(i.title), days: s(i.days) })),
					t
				)
			};
		}
		case 'deal_changes': {
			const items = Array.isArray(d.items) ? (d.items as ChangeItem[]) : [];
			return {
				title: t('notify.changes.title', { deal: s(d.dealTitle) }),
				lines: capped(
					items.map((i) => describeChange(i, { t })),
					t
				)
			};
		}
	}
	return { title: n.type, lines: [] };
}

export function describeChange(i: ChangeItem, { t }: { t: Translate }): string {
	const d = i.detail ?? {};
	const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
	const money = (v: unknown) => {
		const n = Number(v);
		return v !== null && v !== undefined && v !== '' && Number.isFinite(n) ? formatVnd(n) : '—';
	};
	const p: Params = {
		actor: i.actor || t(i.actor === null ? 'notify.system' : 'notify.someone')
	};
	let key: MessageKey;
	switch (i.kind) {
		case 'stage':
			key = 'notify.change.stage';
			p.to = s(d.toName) || s(d.to);
			break;
		case 'amount':
			key = 'notify.change.amount';
			p.from = money(d.from);
			p.to = money(d.to);
			break;
		case 'status': {
			const to = s(d.to);
			key =
				to === 'won' || to === 'lost' || to === 'standby'
					? (`notify.change.status.${to}` as const)
					: 'notify.change.status.open';
			break;
		}
		case 'owner':
			key = 'notify.change.owner';
			p.to = s(d.toName) || '—';
			break;
		case 'payment':
			key = 'notify.change.payment';
			p.amount = money(d.amount);
			break;
		case 'file':
			key = 'notify.change.file';
			p.name = s(d.name);
			break;
		case 'customer':
			// The name the card shows now (SPEC B24); none when it was cleared.
			if (s(d.to)) {
				key = 'notify.change.customer';
				p.to = s(d.to);
			} else {
				key = 'notify.change.customerCleared';
				p.from = s(d.from);
			}
			break;
		default:
			key = 'notify.change.contact';
			p.summary = s(d.summary);
	}
	return t(key, p);
}

function capped(lines: string[], t: Translate) {
	if (lines.length <= MAX_LINES) return lines;
	return [
		...lines.slice(0, MAX_LINES - 1),
		t('notify.more', { count: lines.length - MAX_LINES + 1 })
	];
}
