/**
 * Conformance on real histories: each replays to expected-schema.json, and each migration's
 * offline SQL equals expected-sql/<name>.sql. pilsner must fail at its known migration.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { foldModifications } from '../../src/modifications/fold.js'
import { emptySchema, type Schema } from '../../src/schema/model.js'
import { schemaDifferences } from '../../src/schema/compare.js'
import { loadHistories } from '../helpers/conformance.js'
import { normaliseSql } from '../helpers/sqlNormalize.js'

const score = { replay: { pass: 0, total: 0 }, sql: { pass: 0, total: 0 } }

describe.each(loadHistories())('$name', history => {
	it('replays to its expected outcome, with the expected SQL per migration', () => {
		score.replay.total++
		let schema: Schema = emptySchema
		const sqlMismatches: string[] = []
		let failure: { migration: string; error: unknown } | undefined
		for (const migration of history.migrations) {
			try {
				const { steps, schema: next } = foldModifications(schema, migration.modifications, { formatVersion: migration.formatVersion })
				score.sql.total++
				const actual = normaliseSql(steps.map(step => step.sql.toString()).join('\n'))
				const expected = normaliseSql(history.expectedSql(migration.name))
				if (JSON.stringify(actual) === JSON.stringify(expected)) score.sql.pass++
				else sqlMismatches.push(`${migration.name}:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`)
				schema = next
			} catch (error) {
				failure = { migration: migration.name, error }
				break
			}
		}
		if (history.expectedFailure) {
			expect(failure?.migration).toBe(history.expectedFailure.migration)
			expect(String((failure?.error as Error)?.message)).toMatch(/not found/i)
		} else {
			if (failure) throw failure.error
			expect(schemaDifferences(history.expectedSchema, schema)).toEqual([])
		}
		expect(sqlMismatches).toEqual([])
		score.replay.pass++
	})
})

afterAll(() => {
	console.log(`conformance (histories): replay ${score.replay.pass}/${score.replay.total}, migrations with matching SQL ${score.sql.pass}/${score.sql.total}`)
})
