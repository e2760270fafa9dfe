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

/**
 * The expected SQL of the histories was produced by Contember 2.0.8, which predates list
 * columns and collation changes; strata follows Contember HEAD there (the contember/ cases
 * expect `text[]` and `COLLATE "…"`), so these migrations differ on purpose. The test asserts
 * that exactly these differ: fixing one or adding another turns it red.
 */
const knownDeviations: Record<string, Record<string, string>> = {
	contember__contember__playground: {
		'2025-02-10-171733-input-arr': 'list columns: 2.0.8 drops the [] of `list: true` columns',
		'2025-02-12-140358-grid-enum-list': 'list columns: 2.0.8 drops the [] of `list: true` columns',
		'2025-03-07-155355-collation': 'collations: 2.0.8 emits no SQL for a changed collation',
	},
}

describe.each(loadHistories())('$name', history => {
	it('replays to its expected outcome, with the expected SQL per migration', () => {
		score.replay.total++
		let schema: Schema = emptySchema
		const sqlMismatches: string[] = []
		const deviations: string[] = []
		let failure: { migration: string; error: unknown } | undefined
		for (const migration of history.migrations) {
			try {
				const { steps, schema: next } = foldModifications(schema, migration.modifications, { formatVersion: migration.formatVersion })
				score.sql.total++
				const actual = normaliseSql(steps.map(step => step.sql.toString()).join('\n'))
				const expected = normaliseSql(history.expectedSql(migration.name))
				if (JSON.stringify(actual) === JSON.stringify(expected)) score.sql.pass++
				else if (knownDeviations[history.name]?.[migration.name]) deviations.push(migration.name)
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
			// names too: the replay must reproduce the legacy names of uniques and indexes exactly
			expect(schemaDifferences(history.expectedSchema, schema, [], 50, { names: true })).toEqual([])
		}
		expect(sqlMismatches).toEqual([])
		expect(deviations).toEqual(Object.keys(knownDeviations[history.name] ?? {}))
		score.replay.pass++
	})
})

afterAll(() => {
	console.log(`conformance (histories): replay ${score.replay.pass}/${score.replay.total}, migrations with matching SQL ${score.sql.pass}/${score.sql.total} (+${Object.values(knownDeviations).flatMap(Object.keys).length} documented deviations from 2.0.8)`)
})
