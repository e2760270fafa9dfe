/**
 * Conformance, diff level: for every case of test/fixtures/conformance/contember that carries the
 * diff check, strata's differ (round trip included) gives exactly the case's `diff`:
 * same modifications, same data, same order.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { diffSchemas } from '../../src/diff/diffSchemas.js'
import { type ConformanceCase, loadConformanceCases } from '../helpers/conformance.js'

const score = { pass: 0, total: 0 }

const hasDiffCheck = (testCase: ConformanceCase) => testCase.checks.includes('diff') && !testCase.noDiff && testCase.updated !== null
const groups = loadConformanceCases().filter(group => group.cases.some(hasDiffCheck))

describe.each(groups)('$group', ({ cases }) => {
	for (const testCase of cases.filter(hasDiffCheck)) {
		const updated = testCase.updated!
		it(`diff: ${testCase.name}`, () => {
			score.total++
			const result = diffSchemas(testCase.original, updated, { recreateViews: testCase.diffOptions?.recreateViews })
			expect(result.modifications).toEqual(testCase.diff)
			score.pass++
		})
	}
})

afterAll(() => {
	console.log(`conformance (contember): diff ${score.pass}/${score.total}`)
})
