import { defineConfig } from 'vitest/config'

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// database suites each create their own database; keep parallelism modest on a 2-core machine
		maxWorkers: 2,
		reporters: ['default'],
		// test/cli/globalSetup builds dist/ once for the spawned-CLI tests (skipped when dist/ is fresh);
		// suiteReport prints the adversarial suite's figures and the run's duration at the end
		globalSetup: ['test/cli/globalSetup.ts', 'test/helpers/suiteReport.ts'],
	},
})
