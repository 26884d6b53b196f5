import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Kept apart from vite.config.ts so unit tests neither start the dev backend nor pick up
// Playwright specs.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.spec.ts', 'server/**/*.spec.ts'],
		globalSetup: ['tests/support/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks'
	}
});
