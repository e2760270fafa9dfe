/**
 * The benchmark workload (bench/make-workload.mjs, small size) executed by strata against a fresh
 * PostgreSQL database: every migration of the generated history runs and is recorded, and a
 * second run has nothing to do. A second workload is the first seed whose history drops an index
 * on a many-has-one column that also has the relation's own index (a realistic case the generator
 * makes on purpose), so that case is executed too.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateWorkload, SIZES, writeWorkload, type GeneratedWorkload } from '../../../bench/make-workload.mjs'
import { executeMigrations } from '../../../src/db/executor.js'
import { readLedger } from '../../../src/db/ledger.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { applyModification } from '../../../src/modifications/fold.js'
import type { Modification } from '../../../src/modifications/types.js'
import { emptySchema, hasJoiningColumn, type Schema } from '../../../src/schema/model.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('bench_workload')
const scratch = mkdtempSync(path.join(tmpdir(), 'strata-bench-execute-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** the number of removeIndex modifications dropping an index on exactly one many-has-one field (its column has the relation's own index too) */
const dropsOfRelationIndexes = (workload: GeneratedWorkload): number => {
	let schema: Schema = emptySchema
	let found = 0
	for (const file of workload.files) {
		for (const modification of file.content.modifications as unknown as Modification[]) {
			if (modification.modification === 'removeIndex') {
				const { entityName, fields } = modification as unknown as { entityName: string; fields: string[] }
				const field = schema.model.entities[entityName]?.fields[fields[0]!]
				if (fields.length === 1 && field && hasJoiningColumn(field) && field.type === 'ManyHasOne') found++
			}
			schema = applyModification(schema, modification, file.content.formatVersion)
		}
	}
	return found
}

const executeWorkload = async (seed: string) => {
	const dir = path.join(scratch, `seed-${seed}`)
	writeWorkload({ ...SIZES.small, seed }, dir)
	const files = await readMigrations(path.join(dir, 'migrations'))
	const target = await db.fresh(`seed_${seed}`)
	const client = await target.client()
	client.on('notice', () => undefined)
	const result = await executeMigrations(client, files, { ledgerSchema: 'strata' })
	expect(result.executed).toHaveLength(files.length)
	expect((await readLedger(client, 'strata')).map(row => row.checksum)).toEqual(files.map(file => file.checksum))
	expect((await executeMigrations(client, files, { ledgerSchema: 'strata' })).executed).toEqual([])
}

describe('executing the generated bench workload', () => {
	it('runs the whole small workload (seed 1)', async () => {
		await executeWorkload('1')
	}, 300_000)

	it('runs a small workload that drops an index on a many-has-one column', async () => {
		const seed = Array.from({ length: 30 }, (_, i) => String(i + 1))
			.find(candidate => dropsOfRelationIndexes(generateWorkload({ ...SIZES.small, seed: candidate })) > 0)
		expect(seed, 'no seed of 1..30 drops an index on a many-has-one column').toBeDefined()
		await executeWorkload(seed!)
	}, 300_000)
})
