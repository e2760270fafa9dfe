import { describe, expect, it } from 'vitest'
import {
	column,
	defineEnum,
	defineSchema,
	entity,
	manyHasMany,
	manyHasManyInverse,
	manyHasOne,
	oneHasMany,
	oneHasOne,
	oneHasOneInverse,
	view,
} from '../../../src/schema/define/index.js'
import { validateSchema } from '../../../src/schema/validate.js'

const id = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }

describe('column kinds', () => {
	const Thing = entity('Thing', {
		uuid: column.uuid(),
		string: column.string().notNull(),
		int: column.int().default(0),
		double: column.double(),
		numeric: column.numeric(),
		money: column.numeric(20, 9),
		precise: column.numeric(10),
		bool: column.bool().notNull().default(false),
		dateTime: column.dateTime(),
		date: column.date(),
		time: column.time(),
		json: column.json().jsonSchema({ type: 'object' }),
		inlineEnum: column.enum(['a', 'b']),
	})
	const fields = defineSchema({ entities: [Thing] }).model.entities.Thing!.fields

	it.each([
		['uuid', 'Uuid', 'uuid'],
		['string', 'String', 'text'],
		['int', 'Integer', 'integer'],
		['double', 'Double', 'double precision'],
		['numeric', 'Numeric', 'numeric'],
		['money', 'Numeric', 'numeric(20, 9)'],
		['precise', 'Numeric', 'numeric(10)'],
		['bool', 'Bool', 'boolean'],
		['dateTime', 'DateTime', 'timestamptz'],
		['date', 'Date', 'date'],
		['time', 'Time', 'time'],
		['json', 'Json', 'jsonb'],
		['inlineEnum', 'Enum', 'ThingInlineEnum'],
	])('%s → %s %s', (name, type, columnType) => {
		expect(fields[name]).toMatchObject({ type, columnType })
	})

	it('defaults to nullable and snake_case column names', () => {
		expect(fields.dateTime).toEqual({ name: 'dateTime', columnName: 'date_time', type: 'DateTime', columnType: 'timestamptz', nullable: true })
		expect(fields.string!).toMatchObject({ nullable: false })
		expect(fields.bool).toMatchObject({ default: false })
		expect(fields.json).toMatchObject({ schema: { type: 'object' } })
	})

	it('names inline enums entity + Field and registers them', () => {
		expect(defineSchema({ entities: [Thing] }).model.enums).toEqual({ ThingInlineEnum: ['a', 'b'] })
	})

	it('column modifiers', () => {
		const Doc = entity('Doc', {
			code: column.string().notNull().columnName('doc_code').columnType('varchar(20)').collation('cs-x-icu').typeAlias('DocCode'),
			tags: column.string().list(),
			seq: column.int().sequence({ precedence: 'ALWAYS', start: 100 }),
			slug: column.string().notNull().unique(),
			key: column.string().unique({ index: true, nulls: 'not distinct' }),
		})
		const schema = defineSchema({ entities: [Doc] })
		const doc = schema.model.entities.Doc!
		expect(doc.fields.code).toEqual({
			name: 'code', columnName: 'doc_code', type: 'String', columnType: 'varchar(20)', nullable: false, collation: 'cs-x-icu', typeAlias: 'DocCode',
		})
		expect(doc.fields.tags).toMatchObject({ list: true, nullable: true })
		expect(doc.fields.seq).toMatchObject({ sequence: { precedence: 'ALWAYS', start: 100 }, nullable: false })
		expect(doc.unique).toEqual([{ fields: ['slug'] }, { fields: ['key'], index: true, nulls: 'not distinct' }])
		expect(validateSchema(schema)).toEqual([])
	})

	it('builders are immutable', () => {
		const base = column.string()
		base.notNull()
		expect(entity('A', { x: base }).build().entity.fields.x).toMatchObject({ nullable: true })
	})

	it('a declared id column becomes the primary', () => {
		const Counter = entity('Counter', { id: column.int().sequence().columnName('counter_id') })
		const built = defineSchema({ entities: [Counter] }).model.entities.Counter!
		expect(built.primary).toBe('id')
		expect(built.primaryColumn).toBe('counter_id')
		expect(built.fields.id).toMatchObject({ type: 'Integer', nullable: false, sequence: { precedence: 'BY DEFAULT' } })
	})
})

describe('relations', () => {
	const Status = defineEnum('Status', ['draft', 'published'])
	const Author = entity('Author', {
		name: column.string().notNull(),
		posts: oneHasMany(() => Post, 'author').orderBy('publishedAt', 'desc'),
		profile: oneHasOneInverse(() => Profile, 'author'),
	})
	const Profile = entity('Profile', {
		author: oneHasOne(Author, 'profile').notNull().cascadeOnDelete().removeOrphan(),
	})
	const Category = entity('Category', {
		posts: manyHasManyInverse(() => Post, 'categories').orderBy(['author', 'name']),
		parent: manyHasOne('Category').setNullOnDelete().joiningColumn('parent_category'),
		related: manyHasMany('Category'),
	})
	const Post = entity('Post', {
		title: column.string().notNull(),
		status: column.enum(Status).notNull().default('draft'),
		publishedAt: column.dateTime(),
		author: manyHasOne(Author, 'posts').notNull().onDelete('cascade'),
		categories: manyHasMany(Category, 'posts').joiningTable({ tableName: 'post_category', eventLog: false }),
	}, {
		tableName: 'blog_post',
		unique: [['title', 'author'], { fields: ['title'], timing: 'deferred' }],
		indexes: [['status'], { fields: ['title'], method: 'btree', where: 'status = \'published\'', include: ['publishedAt'], columnOptions: { title: { order: 'desc', nulls: 'last' } } }],
		orderBy: [{ path: 'publishedAt', direction: 'desc' }],
		eventLog: false,
	})
	const schema = defineSchema({ entities: [Author, Profile, Category, Post] })
	const E = schema.model.entities

	it('is valid', () => {
		expect(validateSchema(schema)).toEqual([])
	})

	it('many-has-one and one-has-many', () => {
		expect(E.Post!.fields.author).toEqual({
			name: 'author', type: 'ManyHasOne', target: 'Author', inversedBy: 'posts', nullable: false,
			joiningColumn: { columnName: 'author_id', onDelete: 'cascade' },
		})
		expect(E.Author!.fields.posts).toEqual({
			name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author', orderBy: [{ path: ['publishedAt'], direction: 'desc' }],
		})
		expect(E.Category!.fields.parent).toEqual({
			name: 'parent', type: 'ManyHasOne', target: 'Category', nullable: true, joiningColumn: { columnName: 'parent_category', onDelete: 'set null' },
		})
	})

	it('one-has-one both sides', () => {
		expect(E.Profile!.fields.author).toEqual({
			name: 'author', type: 'OneHasOne', target: 'Author', inversedBy: 'profile', nullable: false, orphanRemoval: true,
			joiningColumn: { columnName: 'author_id', onDelete: 'cascade' },
		})
		expect(E.Author!.fields.profile).toEqual({ name: 'profile', type: 'OneHasOne', target: 'Profile', ownedBy: 'author', nullable: true })
	})

	it('many-has-many both sides, with defaults and overrides', () => {
		expect(E.Post!.fields.categories).toEqual({
			name: 'categories', type: 'ManyHasMany', target: 'Category', inversedBy: 'posts',
			joiningTable: {
				tableName: 'post_category',
				joiningColumn: { columnName: 'post_id', onDelete: 'cascade' },
				inverseJoiningColumn: { columnName: 'category_id', onDelete: 'cascade' },
				eventLog: { enabled: false },
			},
		})
		expect(E.Category!.fields.related).toEqual({
			name: 'related', type: 'ManyHasMany', target: 'Category',
			joiningTable: {
				tableName: 'category_related',
				joiningColumn: { columnName: 'category_id', onDelete: 'cascade' },
				inverseJoiningColumn: { columnName: 'related_id', onDelete: 'cascade' },
				eventLog: { enabled: true },
			},
		})
		expect(E.Category!.fields.posts).toEqual({
			name: 'posts', type: 'ManyHasMany', target: 'Post', ownedBy: 'categories', orderBy: [{ path: ['author', 'name'], direction: 'asc' }],
		})
	})

	it('has-one defaults: nullable, restrict', () => {
		const A = entity('A', { b: manyHasOne('B'), c: oneHasOne('B') })
		const fields = A.build().entity.fields
		expect(fields.b).toMatchObject({ nullable: true, joiningColumn: { columnName: 'b_id', onDelete: 'restrict' } })
		expect(fields.c).toMatchObject({ nullable: true, joiningColumn: { columnName: 'c_id', onDelete: 'restrict' } })
		expect(fields.c).not.toHaveProperty('orphanRemoval')
		expect(oneHasOne('B').orphanRemoval().build('A', 'c').field).toMatchObject({ orphanRemoval: true })
		expect(manyHasOne('B').onDelete('setNull').build('A', 'b').field).toMatchObject({ joiningColumn: { onDelete: 'set null' } })
	})

	it('entity options', () => {
		expect(E.Post).toMatchObject({
			name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'blog_post', eventLog: { enabled: false },
			orderBy: [{ path: ['publishedAt'], direction: 'desc' }],
			unique: [{ fields: ['title', 'author'] }, { fields: ['title'], timing: 'deferred' }],
			indexes: [{ fields: ['status'] }, { fields: ['title'], method: 'btree', where: 'status = \'published\'', include: ['publishedAt'], columnOptions: { title: { order: 'desc', nulls: 'last' } } }],
		})
		expect(E.Post!.fields.id).toEqual(id)
		expect(E.Author).toMatchObject({ tableName: 'author', eventLog: { enabled: true }, unique: [], indexes: [] })
		expect(schema.model.enums).toEqual({ Status: ['draft', 'published'] })
	})

	it('rejects unknown unique fields at compile time', () => {
		// @ts-expect-error 'slug' is not a field of the entity
		entity('X', { title: column.string() }, { unique: [['slug']] })
	})
})

describe('views and defineSchema', () => {
	it('views', () => {
		const Post = entity('Post', { title: column.string() })
		const Stats = view('PostStats', { sql: 'SELECT id, count(*) AS total FROM post GROUP BY id', dependencies: [Post], materialized: true },
			{ total: column.int().notNull() }, { unique: [{ fields: ['total'], index: true }] })
		const schema = defineSchema({ entities: [Post, Stats] })
		expect(schema.model.entities.PostStats).toMatchObject({
			tableName: 'post_stats',
			view: { sql: 'SELECT id, count(*) AS total FROM post GROUP BY id', dependencies: ['Post'], materialized: true },
		})
		expect(validateSchema(schema)).toEqual([])
	})

	it('accepts a module namespace and passes non-model parts through', () => {
		const Kind = defineEnum('Kind', ['a'])
		const Item = entity('Item', { kind: column.enum(Kind) })
		const schema = defineSchema({ entities: { Kind, Item, helper: () => 1 }, settings: { useExistsInHasManyFilter: true } })
		expect(Object.keys(schema.model.entities)).toEqual(['Item'])
		expect(schema.model.enums).toEqual({ Kind: ['a'] })
		expect(schema.settings).toEqual({ useExistsInHasManyFilter: true })
		expect(schema.acl).toEqual({ roles: {} })
	})

	it('refuses duplicates', () => {
		expect(() => defineSchema({ entities: [entity('A', {}), entity('A', {})] })).toThrow(/entity A is defined twice/)
		expect(() => defineSchema({ entities: [], enums: [defineEnum('E', ['a']), defineEnum('E', ['b'])] })).toThrow(/enum E is defined twice/)
	})

	it('refuses things that are not definitions, with a hint', () => {
		expect(() => defineSchema({ entities: [entity('A', {}), 'B' as never] })).toThrow(/item 1 of the entities list is not an entity\(\) definition/)
		expect(() => defineSchema({ entities: [entity('A', { x: column.string as never })] })).toThrow(/entity A: field "x" is not a column or relation builder/)
	})

	it('recognises definitions from another copy of the DSL module (brand, not instanceof)', () => {
		const copy = JSON.parse('{}')
		Object.assign(copy, { name: 'Foreign', build: () => entity('Foreign', {}).build() })
		copy[Symbol.for('strata.EntityDefinition')] = true
		expect(Object.keys(defineSchema({ entities: [copy] }).model.entities)).toEqual(['Foreign'])
	})

	it('leaves disagreeing sides to the validator', () => {
		const A = entity('A', { b: manyHasOne('B', 'as') })
		const B = entity('B', {})
		expect(validateSchema(defineSchema({ entities: [A, B] })).map(p => p.code)).toEqual(['RELATION_UNDEFINED_INVERSE'])
	})
})

describe('round-tripping what the modifiers do not cover', () => {
	it('.extra() keeps properties the DSL has no modifier for, on columns and relations', () => {
		const Kind = defineEnum('Kind', ['a'])
		const A = entity('A', {
			kind: column.enum(Kind).extra({ enumName: 'Kind' }),
			b: manyHasOne('B').extra({ note: 'kept', ['__proto__']: 1 }),
		})
		const fields = defineSchema({ entities: [A, entity('B', {})] }).model.entities.A!.fields
		expect(fields.kind).toEqual({ name: 'kind', columnName: 'kind', type: 'Enum', columnType: 'Kind', nullable: true, enumName: 'Kind' })
		expect(fields.b).toMatchObject({ type: 'ManyHasOne', note: 'kept' })
		expect(Object.hasOwn(fields.b!, '__proto__')).toBe(true)
	})

	it('.extra() refuses a property the DSL sets itself', () => {
		expect(() => defineSchema({ entities: [entity('A', { x: column.string().extra({ nullable: false }) })] }))
			.toThrow(/entity A: field "x": .extra\(\) cannot set "nullable"/)
		expect(() => defineSchema({ entities: [entity('A', { b: manyHasOne('A').extra({ joiningColumn: {} }) })] })).toThrow(/cannot set "joiningColumn"/)
	})

	it('uniques and indexes keep a legacy name', () => {
		const A = entity('A', { slug: column.string().unique({ name: 'unique_A_slug_1' }), title: column.string() }, {
			unique: [{ fields: ['title'], index: false, name: 'unique_A_title_2' }],
			indexes: [{ fields: ['title'], name: 'idx_a_title' }],
		})
		const built = defineSchema({ entities: [A] }).model.entities.A!
		expect(built.unique).toEqual([{ fields: ['slug'], name: 'unique_A_slug_1' }, { fields: ['title'], index: false, name: 'unique_A_title_2' }])
		expect(built.indexes).toEqual([{ fields: ['title'], name: 'idx_a_title' }])
	})
})
