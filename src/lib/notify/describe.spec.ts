import { describe as group, expect, it } from 'vitest';
import { translate, type MessageKey, type Params } from '$lib/i18n';
import { describeChange, type ChangeItem } from './describe';

// A follower's line for each change of a deal, in Vietnamese.
const t = (key: MessageKey, params?: Params) => translate('vi', key, params);
const line = (item: Omit<ChangeItem, 'at'>) =>
	describeChange({ at: '2026-11-30T09:00:00.000Z', ...item }, { t });

group('a change of a deal, put into words', () => {
	it('[B24] names the customer a card now shows, or the one it no longer names', () => {
		// A rename or a merge, by the manager who made it (the server's own phone match is not
		// told: fanout.ts).
		expect(
			line({
				kind: 'customer',
				actor: 'Trần Quốc Huy',
				detail: { from: 'Anh Vinh', to: 'Phạm Quang Vinh' }
			})
		).toBe('Trần Quốc Huy đổi khách hàng thành “Phạm Quang Vinh”');
		expect(
			line({ kind: 'customer', actor: 'Lê Văn Nam', detail: { from: 'Chị Hoa', to: null } })
		).toBe('Lê Văn Nam bỏ khách hàng “Chị Hoa”');
	});

	it('words a change Chốt made itself as the timeline does, apart from an unknown person', () => {
		expect(line({ kind: 'status', actor: null, detail: { to: 'open' } })).toBe(
			'Hệ thống mở lại giao dịch'
		);
		expect(line({ kind: 'status', detail: { to: 'open' } })).toBe('Ai đó mở lại giao dịch');
	});

	it('keeps a logged contact apart from a customer change', () => {
		expect(line({ kind: 'contact', actor: 'Lê Văn Nam', detail: { summary: 'Gọi báo giá' } })).toBe(
			'Lê Văn Nam ghi liên hệ: Gọi báo giá'
		);
	});
});
