/**
 * The real histories, run the way execute runs them: on a fresh database, migration by
 * migration, each in its own transaction, every modification's SQL generated against the live
 * catalog as it is at that moment and executed at once. The SQL of each migration must equal
 * expected-sql-live/<name>.sql where the folder has one (Contember's engine, reading the live
 * database, drops the old foreign key or unique constraint there), else expected-sql/<name>.sql,
 * and every migration must run cleanly. pilsner runs its first 18 migrations and must then refuse
 * its 19th (see the histories README). Afterwards the catalog must match expected-schema.json.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { readDatabaseMetadata } from '../../src/db/introspect.js'
import { stepModification } from '../../src/modifications/fold.js'
import { emptySchema, type Schema } from '../../src/schema/model.js'
import type { DatabaseMetadata } from '../../src/sql/metadata.js'
import { catalogDifferences, readCatalog, resolveExpected } from '../helpers/catalog.js'
import { loadHistories } from '../helpers/conformance.js'
import { normaliseSql } from '../helpers/sqlNormalize.js'
import { createScratchDatabase, releaseScratchServer } from '../helpers/sqlrunDatabase.js'

const score = { histories: { pass: 0, total: 0 }, migrations: { pass: 0, total: 0 } }

/**
 * The same documented deviations as test/conformance/histories.test.ts: the expected SQL comes
 * from Contember 2.0.8, which predates list columns and collation changes; strata follows
 * Contember HEAD (the contember/ cases expect `text[]` and `COLLATE "…"`). These migrations must
 * still run cleanly, and the catalog check afterwards confirms the arrays and collations exist.
 * Asserted exactly: a migration that starts matching, or another that differs, turns this red.
 */
const knownDeviations: Record<string, Record<string, string>> = {
	contember__contember__playground: {
		'2025-02-10-171733-input-arr': 'list columns: 2.0.8 drops the [] of `list: true` columns',
		'2025-02-12-140358-grid-enum-list': 'list columns: 2.0.8 drops the [] of `list: true` columns',
		'2025-03-07-155355-collation': 'collations: 2.0.8 emits no SQL for a changed collation',
	},
}

afterAll(async () => {
	await releaseScratchServer()
	const deviating = Object.values(knownDeviations).flatMap(Object.keys).length
	console.log(`histories (live catalog): ${score.histories.pass}/${score.histories.total} histories, ${score.migrations.pass}/${score.migrations.total} migrations with matching SQL that ran cleanly (+${deviating} documented deviations from 2.0.8)`)
})

describe.each(loadHistories())('$name', history => {
	it('runs migration by migration against the live catalog with the expected SQL', async () => {
		score.histories.total++
		const db = await createScratchDatabase(history.name.slice(0, 20))
		const problems: string[] = []
		let schema: Schema = emptySchema
		let refusal: { migration: string; error: Error } | undefined
		let ranAll = true
		const deviations: string[] = []
		try {
			for (const migration of history.migrations) {
				if (migration.name === history.expectedFailure?.migration) {
					// must refuse before any SQL runs; nothing after it is replayable
					try {
						let probe = schema
						migration.modifications.forEach((modification, index) => {
							probe = stepModification(probe, modification, index, { formatVersion: migration.formatVersion, createdEntities: new Set() }).schema
						})
					} catch (error) {
						refusal = { migration: migration.name, error: error as Error }
					}
					break
				}
				score.migrations.total++
				const sql: string[] = []
				const createdEntities = new Set<string>()
				// the catalog is re-read before a modification whenever SQL ran since the last read
				let metadata: DatabaseMetadata | undefined
				await db.client.query('BEGIN')
				try {
					for (const [index, modification] of migration.modifications.entries()) {
						metadata ??= await readDatabaseMetadata(db.client, 'public')
						const step = stepModification(schema, modification, index, { formatVersion: migration.formatVersion, databaseMetadata: metadata, createdEntities })
						const text = step.sql.toString()
						if (text.trim() !== '') {
							try {
								await db.client.query(text)
							} catch (error) {
								throw new Error(`modification #${index} (${modification.modification}) failed on PostgreSQL: ${(error as Error).message}\n${text}`)
							}
							metadata = undefined
							sql.push(text)
						}
						schema = step.schema
					}
					await db.client.query('COMMIT')
				} catch (error) {
					await db.client.query('ROLLBACK')
					problems.push(`${migration.name}: ${(error as Error).message}`)
					ranAll = false
					break // later migrations depend on this one
				}
				const expected = normaliseSql(history.expectedLiveSql(migration.name) ?? history.expectedSql(migration.name))
				const actual = normaliseSql(sql.join('\n'))
				if (JSON.stringify(actual) === JSON.stringify(expected)) score.migrations.pass++
				else if (knownDeviations[history.name]?.[migration.name]) deviations.push(migration.name)
				else problems.push(`${migration.name}: SQL differs\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`)
			}
			if (history.expectedFailure) {
				expect(refusal?.migration, 'pilsner must be refused at its known migration').toBe(history.expectedFailure.migration)
				expect(refusal?.error.message).toMatch(/not found/i)
			} else if (ranAll) {
				expect(history.expectedSchema).toBeDefined()
				const differences = catalogDifferences(await resolveExpected(db.client, history.expectedSchema!), await readCatalog(db.client, 'public'))
				problems.push(...differences.map(it => `catalog vs expected-schema.json: ${it}`))
			}
		} finally {
			await db.close()
		}
		expect(problems).toEqual([])
		expect(deviations).toEqual(Object.keys(knownDeviations[history.name] ?? {}))
		score.histories.pass++
	}, 300_000)
})
