/** The pure mapping from a live database to a declared schema (src/schema/fromDatabase): names, types, relations, keys, and what it reports. */
import { describe, expect, it } from 'vitest'
import { schemaFromDatabase } from '../../../src/schema/fromDatabase/index.js'
import { camelCase, pascalCase, plural } from '../../../src/schema/fromDatabase/names.js'
import { validateSchema } from '../../../src/schema/validate.js'
import { col, database, fk, id, index, table, typed } from './fromDatabaseFixtures.js'

const map = (parts: Parameters<typeof database>[0]) => {
	const result = schemaFromDatabase(database(parts))
	expect(validateSchema(result.schema)).toEqual([])
	return { ...result, entities: result.schema.model.entities }
}

describe('names', () => {
	it('PascalCases tables and camelCases columns so that snake_case gives them back', () => {
		expect(pascalCase('post_tags')).toBe('PostTags')
		expect(pascalCase('2fa_codes')).toBe('_2faCodes')
		expect(pascalCase('__')).toBe('Table')
		expect(camelCase('created_at')).toBe('createdAt')
		expect(camelCase('URL_path')).toBe('urlPath')
		expect(camelCase('address2_line')).toBe('address2Line')
		expect(plural('category')).toBe('categories')
		expect(plural('box')).toBe('boxes')
		expect(plural('post')).toBe('posts')
	})

	it('resolves entity name collisions with a numeric suffix, also against reserved names and enums', () => {
		const { entities } = map({
			tables: [table('post', [id()]), table('Post', [id()]), table('query', [id()]), table('mood', [id()])],
			nativeEnums: [{ name: 'Mood', values: ['a'] }],
		})
		expect(Object.values(entities).map(entity => [entity.name, entity.tableName])).toEqual([['Post', 'Post'], ['Mood2', 'mood'], ['Post2', 'post'], ['Query2', 'query']])
	})

	it('keeps a column\'s name when a relation would take it: the relation gets the suffix', () => {
		const { entities } = map({
			tables: [table('author', [id()]), table('post', [id(), col('author_id', 'uuid'), col('author', 'text')])],
			foreignKeys: [fk('post', 'author_id', 'author')],
			indexes: [index('post', ['author_id'])],
		})
		expect(entities.Post!.fields.author).toMatchObject({ type: 'String', columnName: 'author' })
		expect(entities.Post!.fields.author2).toMatchObject({ type: 'ManyHasOne', joiningColumn: { columnName: 'author_id' } })
	})
})

describe('types', () => {
	it('maps SQL types to Contember types, keeping the exact SQL type where it is not the default', () => {
		const { entities } = map({
			tables: [table('thing', [id(), col('a', 'character varying(80)'), col('b', 'bigint'), col('c', 'numeric(10,2)'), col('d', 'timestamp with time zone'),
				col('e', 'jsonb'), col('f', 'text[]'), col('g', 'inet'), col('h', 'double precision'), col('i', 'boolean'), col('j', 'timestamp without time zone')])],
		})
		const fields = entities.Thing!.fields as Record<string, { type: string; columnType: string; list?: boolean }>
		expect(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, `${field.type} ${field.columnType}${field.list ? '[]' : ''}`]))).toEqual({
			id: 'Uuid uuid', a: 'String character varying(80)', b: 'Integer bigint', c: 'Numeric numeric(10,2)', d: 'DateTime timestamptz',
			e: 'Json jsonb', f: 'String text[]', g: 'String inet', h: 'Double double precision', i: 'Bool boolean', j: 'DateTime timestamp',
		})
	})

	it('leaves out columns of extension, composite or non-enum domain types and generated columns, and says why', () => {
		const { entities, unrepresentable } = map({
			tables: [table('thing', [id(), { ...col('email', 'citext'), typeSchema: 'public' }, typed('zip', 'zip_code', 'd'), col('total', 'integer', { generated: 'a + b' })])],
			domains: [{ name: 'zip_code', baseType: 'text', checks: ["CHECK ((VALUE ~ '^[0-9]{5}$'::text))"] }],
		})
		expect(Object.keys(entities.Thing!.fields)).toEqual(['id'])
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual(['domain zip_code', 'column thing.email', 'column thing.zip', 'column thing.total'])
	})

	it('turns enum domains and native enums into enums, and their columns into Enum columns', () => {
		const { entities, schema } = map({
			tables: [table('post', [id(), typed('status', 'PostStatus', 'd', { notNull: true, default: "'draft'::text" }), typed('mood', 'mood', 'e')])],
			domains: [{ name: 'PostStatus', baseType: 'text', checks: [], enumValues: ['draft', 'published'] }],
			nativeEnums: [{ name: 'mood', values: ['happy', 'sad'] }],
		})
		expect(schema.model.enums).toEqual({ PostStatus: ['draft', 'published'], mood: ['happy', 'sad'] })
		expect(entities.Post!.fields.status).toMatchObject({ type: 'Enum', columnType: 'PostStatus', nullable: false, default: 'draft' })
		expect(entities.Post!.fields.mood).toMatchObject({ type: 'Enum', columnType: 'mood' })
	})

	it('reports an enum whose values are not identifiers, and leaves its columns out', () => {
		const { schema, unrepresentable } = map({
			tables: [table('post', [id(), typed('size', 'size', 'e')])],
			nativeEnums: [{ name: 'size', values: ['x-large'] }],
		})
		expect(schema.model.enums).toEqual({})
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual(['enum size', 'column post.size'])
	})
})

describe('defaults and identity', () => {
	it('keeps constant defaults as fill values and reports the others', () => {
		const { entities, unrepresentable } = map({
			tables: [table('t', [
				col('id', 'integer', { notNull: true, default: "nextval('t_id_seq'::regclass)" }),
				col('n', 'integer', { default: '(-1)' }), col('s', 'character varying(10)', { default: "'it''s'::character varying" }),
				col('b', 'boolean', { default: 'true' }), col('j', 'jsonb', { default: `'{"a": 1}'::jsonb` }), col('l', 'text[]', { default: "'{}'::text[]" }),
				col('at', 'timestamp with time zone', { default: 'now()' }), col('x', 'numeric', { default: "'1.5'::numeric" }), col('z', 'text', { default: 'NULL::text' }),
			])],
		})
		const defaults = Object.fromEntries(Object.values(entities.T!.fields).map(field => [field.name, (field as { default?: unknown }).default]))
		expect(defaults).toEqual({ id: undefined, n: -1, s: "it's", b: true, j: { a: 1 }, l: [], at: undefined, x: 1.5, z: undefined })
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual(['default t.id', 'default t.at'])
		expect(unrepresentable[0]!.reason).toContain('serial')
	})

	it('maps identity columns to sequences with their precedence and start', () => {
		const { entities } = map({ tables: [table('t', [col('id', 'bigint', { notNull: true, identity: { precedence: 'ALWAYS', start: 1000 } })])] })
		expect(entities.T!.fields.id).toMatchObject({ type: 'Integer', columnType: 'bigint', nullable: false, sequence: { precedence: 'ALWAYS', start: 1000 } })
	})
})

describe('relations', () => {
	const blog = {
		tables: [
			table('author', [id(), col('mentor_id', 'uuid')]),
			table('post', [id(), col('author_id', 'uuid', { notNull: true }), col('editor_id', 'uuid')]),
			table('profile', [id(), col('author_id', 'uuid', { notNull: true })]),
		],
		foreignKeys: [fk('author', 'mentor_id', 'author', 'n'), fk('post', 'author_id', 'author', 'c'), fk('post', 'editor_id', 'author', 'r'), fk('profile', 'author_id', 'author', 'c')],
		indexes: [index('author', ['mentor_id']), index('post', ['author_id']), index('profile', ['author_id'], { unique: true })],
	}

	it('makes many-has-one and one-has-one relations with inverse sides named after the source entity', () => {
		const { entities } = map(blog)
		expect(entities.Post!.fields.author).toEqual({ name: 'author', type: 'ManyHasOne', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'cascade' }, nullable: false, inversedBy: 'postsByAuthor' })
		expect(entities.Post!.fields.editor).toMatchObject({ type: 'ManyHasOne', joiningColumn: { onDelete: 'restrict' }, nullable: true, inversedBy: 'postsByEditor' })
		expect(entities.Profile!.fields.author).toMatchObject({ type: 'OneHasOne', target: 'Author', inversedBy: 'profile' })
		expect(entities.Profile!.unique).toEqual([])
		expect(entities.Author!.fields.profile).toEqual({ name: 'profile', type: 'OneHasOne', target: 'Profile', ownedBy: 'author', nullable: true })
		// self-reference: disambiguated by the owning field
		expect(entities.Author!.fields.mentor).toMatchObject({ type: 'ManyHasOne', target: 'Author', joiningColumn: { onDelete: 'set null' }, inversedBy: 'authorsByMentor' })
		expect(entities.Author!.fields.authorsByMentor).toEqual({ name: 'authorsByMentor', type: 'OneHasMany', target: 'Author', ownedBy: 'mentor' })
		expect(entities.Post!.indexes).toEqual([])
	})

	it('reports RESTRICT, a many-has-one column without its index, and foreign keys that cannot be relations', () => {
		const { entities, unrepresentable } = map({
			...blog,
			tables: [...blog.tables, table('note', [id(), col('post_id', 'uuid'), col('author_id', 'integer'), col('a', 'uuid'), col('b', 'uuid')])],
			foreignKeys: [...blog.foreignKeys, fk('note', 'author_id', 'author'), { ...fk('note', 'a', 'post'), columns: ['a', 'b'], refColumns: ['id', 'id'], name: 'note_ab_fkey' }, fk('note', 'post_id', 'post')],
		})
		expect(entities.Note!.fields.post).toMatchObject({ type: 'ManyHasOne' })
		expect(entities.Note!.fields.authorId).toMatchObject({ type: 'Integer' })
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual([
			'foreignKey note_author_id_fkey', 'foreignKey note_ab_fkey', 'relationIndex note.post_id', 'foreignKey post_editor_id_fkey', 'relationIndex post.editor_id',
		])
		expect(unrepresentable[0]!.reason).toContain('type')
		expect(unrepresentable[1]!.reason).toContain('2 columns')
	})

	it('turns a pure junction table into many-has-many with an inverse side; a self-referencing one too', () => {
		const { entities } = map({
			tables: [table('post', [id()]), table('tag', [id('integer')]), table('post_tags', [col('post_id', 'uuid', { notNull: true }), col('tag_id', 'integer', { notNull: true })], ['post_id', 'tag_id']),
				table('person', [id()]), table('friendship', [col('person_id', 'uuid', { notNull: true }), col('friend_id', 'uuid', { notNull: true })], ['person_id', 'friend_id'])],
			foreignKeys: [fk('post_tags', 'post_id', 'post', 'c'), fk('post_tags', 'tag_id', 'tag', 'c'), fk('friendship', 'person_id', 'person', 'c'), fk('friendship', 'friend_id', 'person', 'c')],
		})
		expect(Object.keys(entities).sort()).toEqual(['Person', 'Post', 'Tag'])
		expect(entities.Post!.fields.tags).toEqual({
			name: 'tags', type: 'ManyHasMany', target: 'Tag', inversedBy: 'posts',
			joiningTable: { tableName: 'post_tags', joiningColumn: { columnName: 'post_id', onDelete: 'cascade' }, inverseJoiningColumn: { columnName: 'tag_id', onDelete: 'cascade' }, eventLog: { enabled: true } },
		})
		expect(entities.Tag!.fields.posts).toEqual({ name: 'posts', type: 'ManyHasMany', target: 'Post', ownedBy: 'tags' })
		expect(entities.Person!.fields.friends).toMatchObject({ type: 'ManyHasMany', target: 'Person', inversedBy: 'persons' })
		expect(entities.Person!.fields.persons).toMatchObject({ type: 'ManyHasMany', target: 'Person', ownedBy: 'friends' })
	})

	it('does not take a table with a third column for a junction: without a one-column key it is reported', () => {
		const { entities, unrepresentable } = map({
			tables: [table('post', [id()]), table('tag', [id()]), table('post_tags', [col('post_id', 'uuid', { notNull: true }), col('tag_id', 'uuid', { notNull: true }), col('position', 'integer')], ['post_id', 'tag_id'])],
			foreignKeys: [fk('post_tags', 'post_id', 'post', 'c'), fk('post_tags', 'tag_id', 'tag', 'c')],
		})
		expect(Object.keys(entities).sort()).toEqual(['Post', 'Tag'])
		expect(unrepresentable).toEqual([{ kind: 'table', name: 'post_tags', table: 'post_tags', reason: expect.stringContaining('2 columns (post_id, tag_id)') }])
	})
})

describe('keys', () => {
	it('maps unique constraints with timing, unique indexes and indexes with their options; reports expression and partial unique indexes', () => {
		const { entities, unrepresentable } = map({
			tables: [table('post', [id(), col('slug', 'text'), col('lang', 'text'), col('title', 'text'), col('at', 'timestamp with time zone')])],
			uniqueConstraints: [{ constraintName: 'post_slug_lang_key', tableName: 'post', columnNames: ['slug', 'lang'], deferrable: true, deferred: true }],
			indexes: [
				{ ...index('post', ['title'], { unique: true }), definition: { ...index('post', ['title']).definition!, nullsNotDistinct: true } },
				index('post', ['at'], { descending: true, predicate: "(lang = 'en'::text)" }),
				{ ...index('post', ['title'], { name: 'post_title_trgm' }), definition: { ...index('post', ['title']).definition!, method: 'gin', keys: [{ column: 'title', expression: false, opClass: 'gin_trgm_ops', defaultOpClass: false, descending: false, nullsFirst: false }] } },
				{ ...index('post', [], { name: 'post_lower' }), definition: { ...index('post', []).definition!, keys: [{ column: 'lower(title)', expression: true, opClass: 'text_ops', defaultOpClass: true, descending: false, nullsFirst: false }] } },
				index('post', ['slug'], { unique: true, name: 'post_slug_partial', predicate: '(lang IS NULL)' }),
			],
		})
		expect(entities.Post!.unique).toEqual([{ fields: ['slug', 'lang'], timing: 'deferred' }, { fields: ['title'], index: true, nulls: 'not distinct' }])
		expect(entities.Post!.indexes).toEqual([
			{ fields: ['at'], where: "(lang = 'en'::text)", columnOptions: { at: { order: 'desc' } } },
			{ fields: ['title'], method: 'gin', opClass: 'gin_trgm_ops' },
		])
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual(['index post_lower', 'unique post_slug_partial'])
	})
})

describe('what cannot be declared', () => {
	it('lists triggers, functions, checks, free sequences, partitions and tables without a one-column key by name', () => {
		const { unrepresentable, mapping } = map({
			tables: [table('log', [col('at', 'timestamp with time zone')], null), { ...table('event', [id()]), kind: 'partitioned' }, { ...table('event_2024', [id()]), partitionOf: 'event' }, table('post', [id()])],
			constraints: [{ name: 'post_check', table: 'post', kind: 'check', definition: 'CHECK ((id IS NOT NULL))' }],
			triggers: [{ name: 'post_touch', table: 'post', definition: 'CREATE TRIGGER post_touch …' }],
			functions: [{ signature: 'touch()', kind: 'f' }],
			sequences: [{ name: 'invoice_numbers' }, { name: 'post_id_seq', ownedBy: { table: 'post', column: 'id' } }],
		})
		expect(mapping.map(it => it.entity)).toEqual(['Post'])
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual([
			'table event', 'table event_2024', 'table log', 'check post_check', 'trigger post_touch', 'function touch()', 'sequence invoice_numbers',
		])
	})

	it('makes views with an id column view entities, and reports those reading what is not declared', () => {
		const view = (name: string, dependencies: string[], columns = [id(), col('total', 'bigint')]) => ({ name, materialized: false, definition: ' SELECT 1;', columns, dependencies, foreignDependencies: [] })
		const { entities, unrepresentable } = map({
			tables: [table('post', [id()]), table('log', [col('at', 'text')], null)],
			views: [view('post_stats', ['post']), view('log_stats', ['log']), view('no_id', ['post'], [col('total', 'bigint')])],
		})
		expect(entities.PostStats).toMatchObject({ tableName: 'post_stats', view: { sql: 'SELECT 1', dependencies: ['Post'] }, fields: { id: { type: 'Uuid' }, total: { type: 'Integer', nullable: true } } })
		expect(unrepresentable.map(it => `${it.kind} ${it.name}`)).toEqual(['table log', 'view log_stats', 'view no_id'])
	})

	it('leaves out what strata\'s validation refuses, and says so', () => {
		const { entities, unrepresentable } = map({
			tables: [table('post', [id(), col('title', 'text', { collation: 'C' }), col('n', 'integer', { collation: 'C' })])],
			indexes: [{ ...index('post', ['title'], { predicate: 'a;b' }) }],
		})
		expect(entities.Post!.fields.title).toMatchObject({ collation: 'C' })
		expect(entities.Post!.indexes).toEqual([])
		expect(unrepresentable).toEqual([{ kind: 'validation', name: 'Post.indexes.0.where', reason: expect.stringContaining('INDEX_INVALID_WHERE') }])
	})
})
