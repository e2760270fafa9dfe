/** `strata.lint.allow` in a migration: a finding it accepts is kept, marked suppressed with the reason; one that accepts nothing is reported. */
import { describe, expect, it } from 'vitest'
import { failingFindings } from '../../../src/lint/report.js'
import { lint } from './lintFixture.js'

const indexes = [
	{ modification: 'createIndex', entityName: 'Post', index: { fields: ['views'] } },
	{ modification: 'createIndex', entityName: 'Post', index: { fields: ['body'] } },
]

describe('lint suppressions', () => {
	it('with a modification index, only that modification\'s finding is accepted', () => {
		const report = lint(indexes, { strata: { lint: { allow: [{ code: 'L007', modification: 1, reason: 'post has 200 rows' }] } } })
		expect(report.findings.map(it => [it.modification, it.suppressed])).toEqual([[0, undefined], [1, { reason: 'post has 200 rows' }]])
		expect(failingFindings(report, 'warning').map(it => it.modification)).toEqual([0])
		expect(report.unusedSuppressions).toEqual([])
	})
	it('without one, every finding of the code in the migration', () => {
		const report = lint(indexes, { strata: { lint: { allow: [{ code: 'L007', reason: 'small tables' }] } } })
		expect(report.findings.every(it => it.suppressed?.reason === 'small tables')).toBe(true)
		expect(failingFindings(report, 'notice')).toEqual([])
	})
	it('a suppression that accepts nothing is reported as unused (L001 only when sizes were read)', () => {
		const allow = [{ code: 'L006', reason: 'nothing is dropped' }, { code: 'L001', reason: 'checked with sizes only' }]
		const report = lint(indexes, { strata: { lint: { allow } } })
		expect(report.unusedSuppressions).toEqual([{ migration: '2024-02-01-100000-next', suppression: allow[0] }])
	})
	it('--fail-on: the weakest severity that fails', () => {
		const report = lint([{ modification: 'createColumn', entityName: 'Post', field: { name: 'slug', columnName: 'slug', type: 'String', columnType: 'text', nullable: false } }, ...indexes])
		expect(failingFindings(report, 'error').map(it => it.code)).toEqual(['L003'])
		expect(failingFindings(report, 'warning').map(it => it.code)).toEqual(['L003', 'L007', 'L007'])
	})
})
