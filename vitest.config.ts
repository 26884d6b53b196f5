import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Kept apart from vite.config.ts so unit tests neither start the dev backend nor pick up
// Playwright specs.

const all = ['src/**/*.spec.ts', 'tests/integration/**/*.spec.ts', 'server/**/*.spec.ts'];

// Files that assert how fast something happens on a shared machine: a removed member's sockets
// closed within 5 s, event-loop lag under a hostile client, a follower told within 5 s, an
// append acknowledged within 1.5 s, presence relayed every 100 ms. They run after the others,
// one at a time, so no other file's load is in their figures.
const alone = [
	'tests/integration/collab/collab-access.spec.ts',
	'tests/integration/collab/hostile.spec.ts',
	'tests/integration/notify/follow.spec.ts',
	'server/collab/persistence.extension.spec.ts',
	'server/collab/awareness-throttle.spec.ts'
];

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		globalSetup: ['tests/support/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks',
		projects: [
			{
				// Two files at a time: one file alone kept about one of the two cores busy (107 %
				// of a core over a full run), mostly waiting on servers, PostgreSQL and timers.
				extends: true,
				test: {
					name: 'together',
					include: all,
					exclude: alone,
					maxWorkers: 2,
					sequence: { groupOrder: 0 }
				}
			},
			{
				extends: true,
				test: { name: 'alone', include: alone, maxWorkers: 1, sequence: { groupOrder: 1 } }
			}
		]
	}
});
