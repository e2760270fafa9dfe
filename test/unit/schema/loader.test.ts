import { mkdirSync, symlinkSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { StrataError, ValidationError } from '../../../src/errors.js'
import { loadDeclaredSchema } from '../../../src/schema/loader.js'
import { failure, project } from './loaderProject.js'

const here = dirname(fileURLToPath(import.meta.url))
const dsl = resolve(here, '../../../src/schema/define/index.js')

const dslSchema = `
import { column, defineSchema, entity, manyHasOne, oneHasMany } from ${JSON.stringify(dsl)}
const Author = entity('Author', { name: column.string().notNull(), posts: oneHasMany(() => Post, 'author') })
const Post = entity('Post', { title: column.string(), author: manyHasOne(Author, 'posts') })
export default defineSchema({ entities: [Author, Post] })
`

describe('loadDeclaredSchema', () => {
	it('loads schema/index.ts (TypeScript, default export) without a build step', async () => {
		const root = project({ 'schema/index.ts': dslSchema, 'schema/schema.json': '{}' })
		const { schema, source } = await loadDeclaredSchema({ root })
		expect(source).toBe(join('schema', 'index.ts'))
		expect(Object.keys(schema.model.entities)).toEqual(['Author', 'Post'])
		expect(schema.model.entities.Post!.fields.author).toMatchObject({ joiningColumn: { columnName: 'author_id' } })
	})

	it("loads the DSL from the installed package, as 'strata/schema' and as 'strata' (dist/ built), to the same schema", async () => {
		const repoRoot = resolve(here, '../../..')
		const [light, whole] = await Promise.all(['strata/schema', 'strata'].map(async specifier => {
			const root = project({ 'schema/index.ts': dslSchema.replace(JSON.stringify(dsl), `'${specifier}'`) })
			mkdirSync(join(root, 'node_modules'))
			symlinkSync(repoRoot, join(root, 'node_modules', 'strata'), 'dir')
			return (await loadDeclaredSchema({ root })).schema
		}))
		expect(Object.keys(light!.model.entities)).toEqual(['Author', 'Post'])
		expect(whole).toEqual(light)
	})

	it('accepts a default export that is a function returning the schema', async () => {
		const root = project({ 'schema/index.ts': 'export default async () => ({ model: { entities: {}, enums: {} } })\n' })
		const { schema } = await loadDeclaredSchema({ root })
		expect(schema.acl).toEqual({ roles: {} })
	})

	it('falls back to schema/schema.json and fills missing parts', async () => {
		const root = project({
			'schema/schema.json': JSON.stringify({
				model: { enums: {}, entities: { A: { name: 'A', primary: 'id', primaryColumn: 'id', tableName: 'a', fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } } } } },
			}),
		})
		const { schema, source } = await loadDeclaredSchema({ root })
		expect(source).toBe(join('schema', 'schema.json'))
		expect(schema.model.entities.A).toMatchObject({ eventLog: { enabled: true }, unique: [], indexes: [] })
		expect(schema).toMatchObject({ acl: { roles: {} }, validation: {}, actions: { triggers: {}, targets: {} }, settings: {} })
	})

	it('prefers an explicit path (file or folder)', async () => {
		const root = project({ 'schema/index.ts': 'syntax error here(', 'other/model.ts': dslSchema, 'third/schema.json': '{"model":{"entities":{}}}' })
		expect((await loadDeclaredSchema({ root, schemaPath: 'other/model.ts' })).source).toBe(join('other', 'model.ts'))
		expect((await loadDeclaredSchema({ root, schemaPath: 'third' })).source).toBe(join('third', 'schema.json'))
	})

	it('lists where it looked when nothing is found', async () => {
		const root = project({})
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_NOT_FOUND')
		expect(error.message).toContain(join(root, 'schema/index.ts'))
		expect(error.message).toContain(join(root, 'schema/schema.json'))
		expect((await failure(loadDeclaredSchema({ root, schemaPath: 'nope.ts' }))).message).toContain('nope.ts does not exist')
	})

	it('reports a syntax error naming the file, without a stack trace', async () => {
		const root = project({ 'schema/index.ts': 'export default {\n  model: { entities: { ,, } }\n' })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error).toBeInstanceOf(StrataError)
		expect(error.code).toBe('SCHEMA_LOAD_FAILED')
		expect(error.message).toContain(join('schema', 'index.ts'))
		expect(error.message).not.toMatch(/\n\s+at /)
	})

	it('reports invalid JSON naming the file', async () => {
		const root = project({ 'schema/schema.json': '{ "model": ' })
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error.code).toBe('SCHEMA_LOAD_FAILED')
		expect(error.message).toContain('schema.json is not valid JSON')
	})

	it('reports a missing default export', async () => {
		const root = project({ 'schema/index.ts': 'export const x = 1\n' })
		expect((await failure(loadDeclaredSchema({ root }))).message).toContain('has no default export')
	})

	it('validates and names the file in every problem', async () => {
		const root = project({
			'schema/index.ts': `
import { column, defineSchema, entity, manyHasOne } from ${JSON.stringify(dsl)}
export default defineSchema({ entities: [entity('Post', { title: column.string(), author: manyHasOne('Author', 'posts') }, { unique: [['title']] })] })
`,
		})
		const error = await failure(loadDeclaredSchema({ root }))
		expect(error).toBeInstanceOf(ValidationError)
		const problems = (error as ValidationError).problems
		expect(problems.map(p => [p.file, p.path, p.code])).toEqual([
			[join('schema', 'index.ts'), 'model.entities.Post.fields.author.target', 'RELATION_UNDEFINED_TARGET'],
		])
	})
})
