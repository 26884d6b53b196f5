import { measureGrowth } from '$lib/board/testing/growth';
import type { Figure } from './figures';

// The `board` area. So far: how a deals shard grows under moves (SPEC B17). The live-board
// figures (fan-out, open, drag, durability, memory) come with the collab server and the board UI.
export async function boardBench({ report }: { report: (figure: Figure) => void }) {
	const r = measureGrowth({ deals: 500, moves: 100_000 });
	report({
		metric: 'board.doc_growth_ratio',
		value: r.ratio,
		unit: 'ratio',
		target: '<=2.0',
		note:
			`${r.moves} moves over ${r.deals} deals: ${r.movedBytes} B vs fresh ${r.freshBytes} B ` +
			`(Y.encodeStateAsUpdate; v2 encoding ${r.ratioV2.toFixed(2)}), ${r.bytesPerMove.toFixed(1)} B/move`
	});
}
