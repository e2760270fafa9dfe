import { defineConfig } from 'vitest/config'

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// database suites each create their own database; keep parallelism modest on a 2-core machine
		maxWorkers: 2,
		reporters: ['default'],
		// builds dist/ once for the spawned-CLI tests in test/cli (skipped when dist/ is fresh)
		globalSetup: ['test/cli/globalSetup.ts'],
	},
})
