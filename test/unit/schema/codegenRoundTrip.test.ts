/**
 * schemaToTypeScript's promise: the module it writes, loaded by strata's loader, declares exactly
 * the schema it was given (legacy names included), whatever the names, SQL and data hold, and
 * with a post-processing step where the DSL cannot say something.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { schemaToTypeScript } from '../../../src/schema/codegen/index.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import { column, defineEnum, defineSchema, entity, manyHasMany, manyHasManyInverse, manyHasOne, oneHasMany, oneHasOne, oneHasOneInverse, view } from '../../../src/schema/define/index.js'
import { loadDeclaredSchema } from '../../../src/schema/loader.js'
import type { Entity, Schema } from '../../../src/schema/model.js'
import { project } from './loaderProject.js'

const here = dirname(fileURLToPath(import.meta.url))
// the DSL's source stands in for the 'strata/schema' package entry (type-only imports are erased on load)
const dsl = resolve(here, '../../../src/schema/define/index.js')

const loadGenerated = async (schema: Schema): Promise<{ code: string; loaded: Schema }> => {
	const code = schemaToTypeScript(schema)
	const root = project({ 'schema/index.ts': code.replace("} from 'strata/schema'", `} from ${JSON.stringify(dsl)}`) })
	return { code, loaded: (await loadDeclaredSchema({ root })).schema }
}

const withEntity = (schema: Schema, name: string, change: (entity: Entity) => Entity): Schema => ({
	...schema,
	model: { ...schema.model, entities: { ...schema.model.entities, [name]: change(schema.model.entities[name]!) } },
})

const Mood = defineEnum('Mood', ['happy', 'sad'])
const Author = entity('delete', {
	name: column.string().notNull().default("O'Brien \\ \"quoted\"\nnext line ${not} `ticked`"),
	mood: column.enum(Mood).notNull().default('happy').extra({ enumName: 'Mood' }),
	tags: column.enum(['a', 'b']).list().default(['a']),
	slug: column.string().unique({ name: 'unique_delete_slug_1f2e3d' }),
	posts: oneHasMany(() => Post, 'author').orderBy('title', 'desc'),
	profile: oneHasOneInverse(() => Profile, 'author'),
	counter: column.int().sequence({ precedence: 'ALWAYS', start: 5 }).columnName('cnt'),
})
const Post = entity('Post', {
	id: column.int().sequence(),
	title: column.string().notNull().columnType('varchar(200)'),
	author: manyHasOne(Author, 'posts').notNull().cascadeOnDelete().joiningColumn('writer'),
	categories: manyHasMany(() => Category, 'posts').joiningTable({ tableName: 'post_in_category', eventLog: false }),
	data: column.json().jsonSchema({ type: 'object', ['__proto__']: { odd: true } }),
}, {
	tableName: 'posts',
	unique: [{ fields: ['title', 'author'], name: 'unique_Post_title_author_0a1b2c' }],
	indexes: [{ fields: ['title'], where: "\"title\" <> 'it''s'", name: 'legacy_index' }],
	orderBy: [{ path: ['author', 'name'], direction: 'descNullsLast' }],
	eventLog: false,
})
const Category = entity('column', { posts: manyHasManyInverse(Post, 'categories') })
const Profile = entity('Profile', { author: oneHasOne(Author, 'profile').setNullOnDelete().removeOrphan() })
const Stats = view('Stats', {
	sql: "SELECT p.id, p.id AS post_id, 'a\\b ${x} `y`' AS label\r\nFROM posts p",
	dependencies: [Post],
	idSource: ['post_id'],
}, { post: oneHasOne(Post), label: column.string() })

const kitchenSink = defineSchema({
	entities: [Author, Post, Category, Profile, Stats],
	enums: [defineEnum('Unused', ['x'])],
	acl: { roles: { editor: { variables: {}, entities: { Post: { predicates: {}, operations: { read: { id: true, ['__proto__']: true } } } }, 'odd-key': "it's" } } },
	validation: { Post: { title: [{ validator: { operation: 'defined', args: [] }, message: { text: 'Needs a "title"\n' } }] } },
	actions: { triggers: { published: { type: 'basic', entity: 'Post', create: true, webhook: 'https://example.com/?a=1&b=${x}' } }, targets: {} },
	settings: { useExistsInHasManyFilter: true },
})

describe('schemaToTypeScript round trip (through the loader)', () => {
	it('declares exactly the schema it was given: names, SQL and data with quotes, backslashes, line breaks and ${', async () => {
		const { code, loaded } = await loadGenerated(kitchenSink)
		expect(schemaDifferences(kitchenSink, loaded, [], 50, { names: true })).toEqual([])
		expect(code).not.toContain('Post-processing')
	})

	it('carries what the DSL cannot express in a post-processing step that still loads to the same schema', async () => {
		let schema = withEntity(kitchenSink, 'Profile', profile => {
			const { id: _id, ...fields } = profile.fields
			return { ...profile, primary: 'code', primaryColumn: 'code', fields: { code: { name: 'code', columnName: 'code', type: 'String', columnType: 'text', nullable: false }, ...fields } }
		})
		schema = withEntity(schema, 'Post', post => {
			const categories = post.fields.categories as Extract<Entity['fields'][string], { joiningTable: unknown }>
			const joiningTable = { ...categories.joiningTable, joiningColumn: { ...categories.joiningTable.joiningColumn, onDelete: 'restrict' as const } }
			return { ...post, fields: { ...post.fields, categories: { ...categories, joiningTable } } }
		})
		const { code, loaded } = await loadGenerated(schema)
		expect(schemaDifferences(schema, loaded, [], 50, { names: true })).toEqual([])
		expect(code).toContain('// Post-processing.')
		expect(code).toContain("{ path: ['model', 'entities', 'Profile', 'primary'], value: 'code' }")
		expect(code).toContain("{ path: ['model', 'entities', 'Post', 'fields', 'categories'], value: {")
	})
})
