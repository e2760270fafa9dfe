/**
 * The repository is itself an example project: schema/index.ts (written with the DSL, imported
 * from 'strata/schema' through the package self-reference, so dist/ must be built: `npm run build`)
 * and migrations/, whose replay must equal the declared schema exactly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import type { Modification } from '../../../src/modifications/types.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { loadDeclaredSchema } from '../../../src/schema/loader.js'
import { type Schema, emptySchema, isOwningRelation, isRelation } from '../../../src/schema/model.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const migrationsDir = join(root, 'migrations')
const files = readdirSync(migrationsDir).filter(name => name.endsWith('.json')).sort()

let declared: Schema

beforeAll(async () => {
	const dist = join(root, 'dist', 'schema', 'dsl.js')
	if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` first (schema/index.ts imports 'strata/schema')`)
	declared = (await loadDeclaredSchema({ root })).schema
})

describe('example project', () => {
	it('declares a blog-sized model using every relation kind, an enum, a unique and an index', () => {
		const entities = Object.values(declared.model.entities)
		expect(entities.length).toBeGreaterThanOrEqual(6)
		const kinds = new Set(entities.flatMap(entity => Object.values(entity.fields).filter(isRelation)
			.map(field => `${field.type}-${isOwningRelation(field) ? 'owning' : 'inverse'}`)))
		expect([...kinds].sort()).toEqual([
			'ManyHasMany-inverse', 'ManyHasMany-owning', 'ManyHasOne-owning', 'OneHasMany-inverse', 'OneHasOne-inverse', 'OneHasOne-owning',
		])
		expect(Object.keys(declared.model.enums).length).toBeGreaterThan(0)
		expect(entities.some(entity => entity.unique.length > 0)).toBe(true)
		expect(entities.some(entity => entity.indexes.length > 0)).toBe(true)
	})

	it('holds several well-formed migration files', () => {
		expect(files.length).toBeGreaterThanOrEqual(4)
		for (const name of files) {
			expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-[a-z0-9]+(-[a-z0-9]+)*\.json$/)
			const text = readFileSync(join(migrationsDir, name), 'utf8')
			const json = JSON.parse(text) as { formatVersion: number; modifications: Modification[] }
			expect(json.formatVersion).toBe(6)
			expect(text.endsWith('}\n')).toBe(true)
			expect(text).toBe(`${JSON.stringify(json, null, '\t')}\n`)
			for (const modification of json.modifications) expect(Object.keys(modification)[0]).toBe('modification')
		}
	})

	it('replays exactly to the declared schema', () => {
		const replayed = files.reduce((schema, name) => {
			const json = JSON.parse(readFileSync(join(migrationsDir, name), 'utf8')) as { formatVersion: number; modifications: Modification[] }
			return applyModifications(schema, json.modifications, json.formatVersion)
		}, emptySchema)
		expect(schemaDifferences(declared, replayed)).toEqual([])
		expect(diffSchemas(replayed, declared).modifications).toEqual([])
	})
})
