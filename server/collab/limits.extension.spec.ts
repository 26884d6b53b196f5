import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { limits as fieldLimits } from '$lib/board/validate';
import { moveDeal } from '$lib/board/ops';
import { testBoard, user } from '$lib/board/testing/board';
import { readConfig } from '$lib/server/config';

// The default frame limit must let a 5,000-deal board's sync step 2 through: a client that built
// or changed a whole shard offline sends all of it in one frame. A shard's encoding grows
// linearly with its cards (one map entry each), so 500 cards are built and the size scaled by
// ten: building 5,000 through the named ops takes ~9 s (each append scans its column).

const stages = ['Tiếp cận', 'Khảo sát nhu cầu', 'Báo giá', 'Đàm phán', 'Ký hợp đồng', 'Triển khai'];

function shardBytes(card: (i: number) => { title: string; customerName: string }) {
	const b = testBoard({ stages });
	const ids: string[] = [];
	for (let i = 0; i < 500; i++) {
		ids.push(
			b.deal(card(i).title, {
				customerName: card(i).customerName,
				customerPhone: '0912 345 678',
				amount: 125_000_000 + i * 1000,
				starred: i % 7 === 0,
				stageId: b.stageIds[i % stages.length]
			})
		);
	}
	// Some history too: every card moved once.
	for (const [i, id] of ids.entries())
		moveDeal(
			b.scope,
			{ dealId: id, toStageId: b.stageIds[(i + 1) % stages.length]!, at: b.tick() },
			user
		);
	return Y.encodeStateAsUpdate(b.dealDoc).length;
}

describe('the default message size limit', () => {
	const limit = readConfig({}).collabLimits.maxMessageBytes;

	it('holds a realistic 5,000-deal shard twice over', () => {
		const bytes =
			10 *
			shardBytes((i) => ({
				title: `Hợp đồng cung cấp thiết bị văn phòng số ${i} cho chi nhánh Hà Nội`,
				customerName: `Công ty TNHH Thương mại Dịch vụ Minh Phát ${i}`
			}));
		expect(bytes).toBeGreaterThan(3_000_000);
		expect(2 * bytes).toBeLessThan(limit);
	});

	it('holds a 5,000-deal shard whose titles and customer names are all at their maximum length', () => {
		const long = (n: number, i: number) =>
			`${i} ${'Nguyễn Thị Phương Thảo '.repeat(20)}`.slice(0, n);
		const bytes =
			10 *
			shardBytes((i) => ({
				title: long(fieldLimits.title, i),
				customerName: long(fieldLimits.customerName, i)
			}));
		expect(bytes).toBeLessThan(limit);
	});
});
