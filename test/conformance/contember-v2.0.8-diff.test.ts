/**
 * Conformance, diff level, against Contember 2.0.8 (the release on npm): for every case of
 * test/fixtures/conformance/contember-v2.0.8 that carries the diff check, strata's differ gives
 * exactly 2.0.8's `diff`, so a team running Contember 2.0.x beside strata can apply every file
 * strata writes.
 *
 * `deliberate` lists the cases where strata differs on purpose, with the reason. Each is still
 * checked: strata's diff uses only shapes 2.0.x reads, replays to what 2.0.8's diff builds, and
 * with the option named in the reason it is identical to 2.0.8's. A case that starts or stops
 * differing turns the test red.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { diffSchemas, type DiffOptions } from '../../src/diff/diffSchemas.js'
import { type ConformanceCase, loadConformanceCases } from '../helpers/conformance.js'
import { replayDifferences, unreadableByContember20 } from './contember20.js'

const score = { exact: 0, deliberate: 0, total: 0 }

const inPlaceViews = {
	reason: 'a view whose SQL alone changed is replaced in place (updateView, which 2.0.8 applies too; its own differ never emits it) instead of dropping and re-creating it with its dependants',
	identicalWith: { recreateViews: true },
}

const deliberate: Record<string, { reason: string; identicalWith: DiffOptions }> = {
	'updateView > update a view 1': inPlaceViews,
	'updateView > update a view 2': inPlaceViews,
	'updateView > update a view 3': inPlaceViews,
	'updateView > update a view 4': inPlaceViews,
}

const hasDiffCheck = (testCase: ConformanceCase) => testCase.checks.includes('diff') && !testCase.noDiff && testCase.updated !== null
const groups = loadConformanceCases('contember-v2.0.8').filter(group => group.cases.some(hasDiffCheck))

describe.each(groups)('$group', ({ group, cases }) => {
	for (const testCase of cases.filter(hasDiffCheck)) {
		const updated = testCase.updated!
		const key = `${group} > ${testCase.name}`
		const options = { recreateViews: testCase.diffOptions?.recreateViews }
		it(`diff: ${testCase.name}`, () => {
			score.total++
			const result = diffSchemas(testCase.original, updated, options)
			expect(result.modifications.map(unreadableByContember20).filter(Boolean)).toEqual([])
			// 2.0.8 handles everything in its own cases: no step warns that it needs a newer Contember
			expect(result.compatibility).toEqual([])
			const difference = deliberate[key]
			if (!difference) {
				expect(result.modifications).toEqual(testCase.diff)
				score.exact++
				return
			}
			expect(result.modifications).not.toEqual(testCase.diff)
			expect(replayDifferences(testCase.original, testCase.diff, result.modifications)).toEqual([])
			expect(diffSchemas(testCase.original, updated, { ...options, ...difference.identicalWith }).modifications).toEqual(testCase.diff)
			score.deliberate++
		})
	}
})

afterAll(() => {
	const reasons = [...new Set(Object.values(deliberate).map(it => it.reason))]
	console.log(
		`conformance (contember v2.0.8): diff ${score.exact}/${score.total} identical, ${score.deliberate} deliberate differences (replay-equivalent, identical with the named option):\n` +
			reasons.map(reason => `  - ${Object.entries(deliberate).filter(([, it]) => it.reason === reason).map(([key]) => key).join(', ')}: ${reason}`).join('\n'),
	)
})
