import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/**
 * The files that take longest (measured with STRATA_SOAK=1 on a 2-core machine), started first.
 * Two workers finish together only when the long files start early: without vitest's duration
 * cache (a fresh clone, as in CI) it starts the larger files first, which put kill.test.ts (two
 * minutes under soak counts) among the last and left one worker running it alone at the end.
 */
const LONGEST_FIRST = [
	'test/integration/reliability/kill.test.ts',
	'test/cli/dev-amend.test.ts',
	'test/cli/diff-online.test.ts',
	'test/cli/diff.test.ts',
	// not beside kill.test.ts: both run many processes at once, and together each took half as long again
	'test/integration/reliability/concurrency.test.ts',
	'test/cli/export.test.ts',
	'test/integration/online/writerStalls.test.ts',
	'test/cli/no-terminal.test.ts',
	'test/integration/histories-live.test.ts',
	'test/integration/reliability/hostile.test.ts',
	'test/cli/dev-rebase.test.ts',
	'test/integration/reliability/commit-outcome.test.ts',
	'test/integration/dev/amendExecute.test.ts',
	'test/integration/reliability/server-stop.test.ts',
]

/** the files above first, in that order; the rest as vitest orders them (cached durations, else size) */
class LongestFirstSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files)
		const rank = (file: TestSpecification) => {
			const index = LONGEST_FIRST.findIndex(path => file.moduleId.endsWith(`/${path}`))
			return index === -1 ? LONGEST_FIRST.length : index
		}
		// Array.prototype.sort is stable: the rest keep vitest's order
		return sorted.sort((a, b) => rank(a) - rank(b))
	}
}

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// database suites each create their own database; keep parallelism modest on a 2-core machine
		maxWorkers: 2,
		sequence: { sequencer: LongestFirstSequencer },
		reporters: ['default'],
		// test/cli/globalSetup builds dist/ once for the spawned-CLI tests (skipped when dist/ is fresh);
		// suiteReport prints the adversarial suite's figures and the run's duration at the end
		globalSetup: ['test/cli/globalSetup.ts', 'test/helpers/suiteReport.ts'],
	},
})
