import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readStages } from './doc';
import { initPipeline } from './ops';

describe('initPipeline', () => {
	it('keeps the given stage order through fractional keys, and survives a round trip', () => {
		const doc = new Y.Doc();
		const stages = ['Tiếp cận', 'Báo giá', 'Chốt'].map((name, i) => ({
			id: `s${3 - i}`, // ids deliberately in reverse so order cannot come from them
			name,
			color: '#0f766e',
			winProbability: (i + 1) * 30,
			rotDays: 7
		}));
		initPipeline(doc, { name: 'Bán hàng', stages }, { kind: 'server', reason: 'test' });
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		expect(readStages(copy).map((s) => s.name)).toEqual(['Tiếp cận', 'Báo giá', 'Chốt']);
	});

	it('tags the transaction with its origin', () => {
		const doc = new Y.Doc();
		const origins: unknown[] = [];
		doc.on('afterTransaction', (tr) => origins.push(tr.origin));
		const origin = { kind: 'job', job: 'seed' } as const;
		initPipeline(doc, { name: 'P', stages: [] }, origin);
		expect(origins).toEqual([origin]);
	});
});
