/**
 * Conformance, apply and SQL levels: every case of test/fixtures/conformance/contember applies its
 * `diff` to `original` and gets `updated`, and produces its `sql`.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { applyModifications, foldModifications } from '../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../src/modifications/versions.js'
import { schemaDifferences } from '../../src/schema/compare.js'
import { createDatabaseMetadata, offlineMetadata } from '../../src/sql/metadata.js'
import { loadConformanceCases } from '../helpers/conformance.js'
import { normaliseSql } from '../helpers/sqlNormalize.js'

const score = { apply: { pass: 0, total: 0 }, sql: { pass: 0, total: 0 } }

describe.each(loadConformanceCases())('$group', ({ cases }) => {
	for (const testCase of cases) {
		if (testCase.checks.includes('apply') && testCase.updated) {
			it(`apply: ${testCase.name}`, () => {
				score.apply.total++
				const result = applyModifications(testCase.original, testCase.diff, FORMAT_VERSION_LATEST)
				expect(schemaDifferences(testCase.updated, result)).toEqual([])
				score.apply.pass++
			})
		}
		if (testCase.checks.includes('sql')) {
			it(`sql: ${testCase.name}`, () => {
				score.sql.total++
				const databaseMetadata = testCase.databaseMetadata ? createDatabaseMetadata(testCase.databaseMetadata) : offlineMetadata
				const generate = () =>
					foldModifications(testCase.original, testCase.diff, { formatVersion: FORMAT_VERSION_LATEST, databaseMetadata })
						.steps.map(step => step.sql.toString()).join('\n')
				if (testCase.sqlMustThrow) {
					expect(generate).toThrow()
				} else {
					expect(normaliseSql(generate())).toEqual(normaliseSql(testCase.sql ?? ''))
				}
				score.sql.pass++
			})
		}
	}
})

afterAll(() => {
	console.log(`conformance (contember): apply ${score.apply.pass}/${score.apply.total}, sql ${score.sql.pass}/${score.sql.total}`)
})
