/**
 * The benchmark workload generator (bench/make-workload.mjs): deterministic per seed, and what it
 * writes is a history strata replays to the generator's own model, with a declared schema that
 * strata's differ finds ahead of the replay.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateWorkload, SIZES, writeWorkload } from '../../../bench/make-workload.mjs'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { readMigrations } from '../../../src/migrations/files.js'
import { validateHistory } from '../../../src/migrations/replay.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { normalizeSchema } from '../../../src/schema/normalize.js'
import { validateSchema } from '../../../src/schema/validate.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'strata-bench-workload-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** every file under `dir`, relative path → content */
const snapshot = (dir: string): Map<string, string> =>
	new Map(readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter(entry => entry.isFile())
		.map(entry => {
			const file = path.join(entry.parentPath, entry.name)
			return [path.relative(dir, file), readFileSync(file, 'utf8')] as const
		}))

const small = (seed: string) => ({ ...SIZES.small, seed })

describe('bench workload generator', () => {
	const first = path.join(scratch, 'first')
	writeWorkload(small('7'), first)

	it('writes byte-identical output for the same seed, and different output for another', () => {
		const again = path.join(scratch, 'again')
		writeWorkload(small('7'), again)
		const expected = snapshot(first)
		expect(expected.size).toBeGreaterThan(SIZES.small.migrations)
		expect(snapshot(again)).toEqual(expected)

		const other = generateWorkload(small('8'))
		expect(JSON.stringify(other.files)).not.toEqual(JSON.stringify(generateWorkload(small('7')).files))
	})

	it('lays out Contember migration files with strictly increasing versions', () => {
		const names = readdirSync(path.join(first, 'migrations'))
		expect(names).toHaveLength(SIZES.small.migrations + 1)
		for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-[a-z0-9]+(-[a-z0-9]+)*\.json$/)
		const versions = names.map(name => name.slice(0, 17))
		expect(versions).toEqual([...new Set(versions)].sort())
		const text = readFileSync(path.join(first, 'migrations', names[0]!), 'utf8')
		expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, '\t')}\n`)
		const formatVersions = names.map(name => JSON.parse(readFileSync(path.join(first, 'migrations', name), 'utf8')).formatVersion)
		expect(new Set(formatVersions)).toEqual(new Set([5, 6]))
		expect(formatVersions).toEqual([...formatVersions].sort())
	})

	it('replays with strata to its own model, valid after every migration, and the declared schema is ahead', async () => {
		const files = await readMigrations(path.join(first, 'migrations'))
		const { schema, problems } = validateHistory(files, { each: true })
		expect(problems).toEqual([])
		expect(schemaDifferences(JSON.parse(readFileSync(path.join(first, 'expected/replayed-schema.json'), 'utf8')), schema)).toEqual([])

		const declared = JSON.parse(readFileSync(path.join(first, 'schema/schema.json'), 'utf8'))
		expect(validateSchema(declared)).toEqual([])
		// diffSchemas throws when its result does not replay to the declared schema (the round trip)
		const { modifications } = diffSchemas(schema, normalizeSchema(declared))
		expect(modifications.length).toBeGreaterThan(0)
	})

	it('covers the modification mix the benchmarks are built around', () => {
		const { files, pending } = generateWorkload({ entities: 30, migrations: 600, pending: 30, seed: '1' })
		const kinds = new Set(files.flatMap(file => file.content.modifications.map(it => it.modification)))
		for (const kind of [
			'createEntity', 'createColumn', 'createRelation', 'createRelationInverseSide', 'createUniqueConstraint', 'createIndex', 'removeIndex',
			'updateColumnDefinition', 'updateFieldName', 'updateColumnName', 'removeField', 'makeRelationNotNull', 'makeRelationNullable',
			'updateRelationOnDelete', 'createEnum', 'updateEnum', 'updateEntityName', 'updateEntityTableName', 'removeEntity', 'patchAclSchema',
		]) expect(kinds, kind).toContain(kind)
		const modifications = files.flatMap(file => file.content.modifications)
		expect(modifications.some(it => it.modification === 'createColumn' && it.fillValue !== undefined)).toBe(true)
		// pending changes are what a differ can see: no renames
		expect(pending.filter(it => /^update(Entity|Field|Column)Name$/.test(it.modification))).toEqual([])
	})
})
