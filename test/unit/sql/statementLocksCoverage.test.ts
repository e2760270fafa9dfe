/**
 * Every statement strata generates for every Contember conformance case, every real history
 * and this repository's own migrations classifies to a known kind: a new statement shape in a
 * generator must get its row in src/sql/statementLocks.ts (and docs/online.md) first.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeMigration } from '../../../src/migrations/describe.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { createDatabaseMetadata } from '../../../src/sql/metadata.js'
import type { Modification } from '../../../src/modifications/types.js'
import { loadConformanceCases, loadHistories } from '../../helpers/conformance.js'

interface Seen { statements: number; kinds: Set<string>; unknown: string[] }

const classifyAll = (seen: Seen, where: string, schema: Schema, file: { formatVersion: number; modifications: Modification[] }, metadata?: Parameters<typeof createDatabaseMetadata>[0]) => {
	for (const step of describeMigration(schema, file, metadata ? { databaseMetadata: createDatabaseMetadata(metadata) } : {})) {
		// every statement of the step is classified (placeholders for drops resolved at execution too)
		const executable = step.sql.split('\n').filter(line => line !== '' && !line.startsWith('--')).length
		expect(step.statements.filter(it => !it.resolvedAtExecution).length).toBeLessThanOrEqual(executable)
		for (const statement of step.statements) {
			seen.statements++
			seen.kinds.add(statement.kind)
			if (statement.kind === 'unknown') seen.unknown.push(`${where} #${step.index}: ${statement.sql}`)
		}
	}
}

const fresh = (): Seen => ({ statements: 0, kinds: new Set(), unknown: [] })

describe('every generated statement has a known lock classification', () => {
	it('in the Contember conformance cases', () => {
		const seen = fresh()
		for (const folder of ['contember', 'contember-v2.0.8']) {
			for (const { group, cases } of loadConformanceCases(folder)) {
				for (const testCase of cases.filter(it => !it.sqlMustThrow)) {
					classifyAll(seen, `${folder}/${group} > ${testCase.name}`, testCase.original, { formatVersion: FORMAT_VERSION_LATEST, modifications: [...testCase.diff] }, testCase.databaseMetadata)
				}
			}
		}
		expect(seen.unknown).toEqual([])
		expect(seen.statements).toBeGreaterThan(300)
		expect(seen.kinds.size).toBeGreaterThan(20)
	})

	it('in the real histories and this repository\'s migrations', () => {
		const seen = fresh()
		for (const history of loadHistories()) {
			let schema: Schema = emptySchema
			for (const migration of history.migrations) {
				if (migration.name === history.expectedFailure?.migration) break
				classifyAll(seen, `${history.name}/${migration.name}`, schema, migration)
				schema = applyModifications(schema, migration.modifications, migration.formatVersion)
			}
		}
		const dir = resolve(import.meta.dirname, '../../../migrations')
		let schema: Schema = emptySchema
		for (const name of readdirSync(dir).filter(it => it.endsWith('.json')).sort()) {
			const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { formatVersion: number; modifications: Modification[] }
			classifyAll(seen, name, schema, file)
			schema = applyModifications(schema, file.modifications, file.formatVersion)
		}
		expect(seen.unknown).toEqual([])
		expect(seen.statements).toBeGreaterThan(1000)
	})
})
