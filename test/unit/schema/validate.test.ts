import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/errors.js'
import { assertValidSchema, validateSchema } from '../../../src/schema/validate.js'
import { type Mutable, validSchema } from './fixtures.js'

const broken = (mutate: (schema: Mutable) => void) => {
	const schema: Mutable = validSchema()
	mutate(schema)
	return validateSchema(schema)
}

const E = (schema: Mutable) => schema.model.entities
const F = (schema: Mutable, entity: string) => schema.model.entities[entity].fields

describe('validateSchema', () => {
	it('accepts the fixture', () => {
		expect(validateSchema(validSchema())).toEqual([])
	})

	it('accepts a schema missing non-model parts, eventLog, unique and indexes', () => {
		const schema: Mutable = validSchema()
		delete schema.acl; delete schema.validation; delete schema.actions; delete schema.settings
		delete E(schema).Author.eventLog; delete E(schema).Author.unique; delete E(schema).Author.indexes
		expect(validateSchema(schema)).toEqual([])
	})

	it('accepts legacy object-map unique and indexes', () => {
		const schema: Mutable = validSchema()
		E(schema).Post.unique = { unique_Post_title_author: { name: 'unique_Post_title_author', fields: ['title', 'author'] } }
		E(schema).Post.indexes = { idx: { fields: ['status'] } }
		expect(validateSchema(schema)).toEqual([])
	})

	it('never throws on garbage', () => {
		for (const value of [null, 1, 'x', [], {}, { model: 1 }, { model: { entities: { A: 1 } } }, { model: { entities: { A: { fields: { x: null } } } } }]) {
			expect(validateSchema(value).length).toBeGreaterThan(0)
		}
	})

	// each rule, one failing example: [name, mutation, expected path, expected code]
	const cases: [string, (s: Mutable) => void, string, string][] = [
		['unknown property', s => { F(s, 'Post').title.colour = 'red' }, 'model.entities.Post.fields.title.colour', 'INVALID_STRUCTURE'],
		['missing joiningColumn', s => { delete F(s, 'Post').author.joiningColumn }, 'model.entities.Post.fields.author', 'INVALID_STRUCTURE'],
		['bad column type value', s => { F(s, 'Post').title.type = 'Text' }, 'model.entities.Post.fields.title.type', 'INVALID_STRUCTURE'],
		['bad onDelete', s => { F(s, 'Post').author.joiningColumn.onDelete = 'setNull' }, 'model.entities.Post.fields.author.joiningColumn.onDelete', 'INVALID_STRUCTURE'],
		['orphanRemoval on many-has-one', s => { F(s, 'Post').author.orphanRemoval = true }, 'model.entities.Post.fields.author.orphanRemoval', 'INVALID_STRUCTURE'],
		['bad index method', s => { E(s).Post.indexes = [{ fields: ['title'], method: 'rtree' }] }, 'model.entities.Post.indexes.0.method', 'INVALID_STRUCTURE'],
		['empty unique fields', s => { E(s).Post.unique = [{ fields: [] }] }, 'model.entities.Post.unique.0.fields', 'INVALID_STRUCTURE'],
		['entity key ≠ name', s => { E(s).Author.name = 'Writer' }, 'model.entities.Author.name', 'MODEL_NAME_MISMATCH'],
		['field key ≠ name', s => { F(s, 'Post').title.name = 'headline' }, 'model.entities.Post.fields.title.name', 'MODEL_NAME_MISMATCH'],
		['invalid field identifier', s => { F(s, 'Post')['2nd'] = { ...F(s, 'Post').title, name: '2nd', columnName: 'second' } }, 'model.entities.Post.fields.2nd', 'MODEL_INVALID_IDENTIFIER'],
		['invalid enum name', s => { s.model.enums['Post-Status'] = ['a'] }, 'model.enums.Post-Status', 'MODEL_INVALID_IDENTIFIER'],
		['invalid enum value', s => { s.model.enums.PostStatus = ['draft', 'in review'] }, 'model.enums.PostStatus.1', 'MODEL_INVALID_ENUM_VALUE'],
		['reserved enum value', s => { s.model.enums.PostStatus = ['draft', 'published', 'not'] }, 'model.enums.PostStatus.2', 'MODEL_INVALID_ENUM_VALUE'],
		['duplicate enum value', s => { s.model.enums.PostStatus = ['draft', 'published', 'draft'] }, 'model.enums.PostStatus.2', 'MODEL_DUPLICATE_ENUM_VALUE'],
		['empty enum', s => { s.model.enums.Empty = [] }, 'model.enums.Empty', 'MODEL_EMPTY_ENUM'],
		['reserved entity name', s => { E(s).Query = { ...E(s).Category, name: 'Query', tableName: 'query', fields: { id: F(s, 'Category').id } } }, 'model.entities.Query', 'MODEL_RESERVED_NAME'],
		['XMeta collides with X', s => { E(s).PostMeta = { ...E(s).Category, name: 'PostMeta', tableName: 'post_meta', fields: { id: F(s, 'Category').id } } }, 'model.entities.PostMeta', 'MODEL_NAME_COLLISION'],
		['entity named like an enum', s => { s.model.enums.Category = ['a'] }, 'model.entities.Category', 'MODEL_NAME_COLLISION'],
		['primary is missing', s => { E(s).Post.primary = 'uuid' }, 'model.entities.Post.primary', 'MODEL_UNDEFINED_PRIMARY'],
		['primary is a relation', s => { E(s).Post.primary = 'author' }, 'model.entities.Post.primary', 'MODEL_UNDEFINED_PRIMARY'],
		['undefined enum', s => { F(s, 'Post').status.columnType = 'Status' }, 'model.entities.Post.fields.status.columnType', 'MODEL_UNDEFINED_ENUM'],
		['malformed columnType', s => { F(s, 'Post').title.columnType = 'text; drop table x' }, 'model.entities.Post.fields.title.columnType', 'MODEL_INVALID_COLUMN_TYPE'],
		['nullable sequence', s => { F(s, 'Post').rank = { name: 'rank', columnName: 'rank', type: 'Integer', columnType: 'integer', nullable: true, sequence: { precedence: 'ALWAYS' } } }, 'model.entities.Post.fields.rank.sequence', 'MODEL_NULLABLE_SEQUENCE'],
		['collation on non-string', s => { F(s, 'Post').publishedAt.collation = 'cs-x-icu' }, 'model.entities.Post.fields.publishedAt.collation', 'MODEL_INVALID_COLLATION'],
		['table name collision', s => { E(s).Category.tableName = 'post' }, 'model.entities.Category.tableName', 'MODEL_TABLE_NAME_COLLISION'],
		['junction table collides with an entity table', s => { F(s, 'Post').categories.joiningTable.tableName = 'author' }, 'model.entities.Post.fields.categories.joiningTable.tableName', 'MODEL_TABLE_NAME_COLLISION'],
		['column name collision', s => { F(s, 'Post').publishedAt.columnName = 'title' }, 'model.entities.Post.fields.publishedAt', 'MODEL_COLUMN_NAME_COLLISION'],
		['joining column collides with a column', s => { F(s, 'Post').author.joiningColumn.columnName = 'title' }, 'model.entities.Post.fields.author', 'MODEL_COLUMN_NAME_COLLISION'],
		['both junction columns the same', s => { F(s, 'Post').categories.joiningTable.inverseJoiningColumn.columnName = 'post_id' }, 'model.entities.Post.fields.categories.joiningTable.inverseJoiningColumn.columnName', 'MODEL_COLUMN_NAME_COLLISION'],
		['relation target missing', s => { F(s, 'Post').author.target = 'Writer' }, 'model.entities.Post.fields.author.target', 'RELATION_UNDEFINED_TARGET'],
		['inversedBy missing on target', s => { F(s, 'Post').author.inversedBy = 'articles' }, 'model.entities.Post.fields.author.inversedBy', 'RELATION_UNDEFINED_INVERSE'],
		['ownedBy missing on target', s => { F(s, 'Author').posts.ownedBy = 'writer' }, 'model.entities.Author.fields.posts.ownedBy', 'RELATION_UNDEFINED_OWNING'],
		['types do not pair', s => { F(s, 'Author').posts.type = 'ManyHasMany' }, 'model.entities.Post.fields.author.inversedBy', 'RELATION_SIDES_DISAGREE'],
		['owning side forgets its inverse', s => { delete F(s, 'Post').author.inversedBy }, 'model.entities.Author.fields.posts.ownedBy', 'RELATION_SIDES_DISAGREE'],
		['inversedBy points at a column', s => { F(s, 'Post').author.inversedBy = 'name' }, 'model.entities.Post.fields.author.inversedBy', 'RELATION_SIDES_DISAGREE'],
		['set null on a not-null relation', s => { F(s, 'Post').author.joiningColumn.onDelete = 'set null' }, 'model.entities.Post.fields.author.joiningColumn.onDelete', 'RELATION_SET_NULL_NOT_NULLABLE'],
		['entity orderBy unknown field', s => { E(s).Post.orderBy = [{ path: ['published'], direction: 'asc' }] }, 'model.entities.Post.orderBy.0.path', 'ORDER_BY_INVALID_PATH'],
		['relation orderBy ending at a relation', s => { F(s, 'Category').posts.orderBy = [{ path: ['author'], direction: 'asc' }] }, 'model.entities.Category.fields.posts.orderBy.0.path', 'ORDER_BY_INVALID_PATH'],
		['unique unknown field', s => { E(s).Post.unique = [{ fields: ['slug'] }] }, 'model.entities.Post.unique.0.fields', 'UNIQUE_UNDEFINED_FIELD'],
		['unique on a list column', s => { E(s).Post.unique = [{ fields: ['tags'] }] }, 'model.entities.Post.unique.0.fields', 'UNIQUE_INVALID_FIELD'],
		['unique on has-many', s => { E(s).Author.unique = [{ fields: ['posts'] }] }, 'model.entities.Author.unique.0.fields', 'UNIQUE_INVALID_FIELD'],
		['unique on one-has-one owning', s => { E(s).Profile.unique = [{ fields: ['author'] }] }, 'model.entities.Profile.unique.0.fields', 'UNIQUE_INVALID_FIELD'],
		['nulls on a unique constraint', s => { E(s).Post.unique = [{ fields: ['title'], nulls: 'not distinct' }] }, 'model.entities.Post.unique.0', 'UNIQUE_INVALID_OPTION'],
		['timing on a unique index', s => { E(s).Post.unique = [{ fields: ['title'], index: true, timing: 'deferred' }] }, 'model.entities.Post.unique.0', 'UNIQUE_INVALID_OPTION'],
		['duplicate unique', s => { E(s).Post.unique = [{ fields: ['title', 'author'] }, { fields: ['author', 'title'], timing: 'deferred' }] }, 'model.entities.Post.unique.1', 'UNIQUE_DUPLICATE'],
		['unique field listed twice', s => { E(s).Post.unique = [{ fields: ['title', 'title'] }] }, 'model.entities.Post.unique.0.fields', 'UNIQUE_DUPLICATE'],
		['duplicate index', s => { E(s).Post.indexes = [{ fields: ['title'], name: 'a' }, { fields: ['title'], name: 'b' }] }, 'model.entities.Post.indexes.1', 'INDEX_DUPLICATE'],
		['index field listed twice', s => { E(s).Post.indexes = [{ fields: ['title', 'title'] }] }, 'model.entities.Post.indexes.0.fields', 'INDEX_DUPLICATE'],
		['index unknown field', s => { E(s).Post.indexes = [{ fields: ['slug'] }] }, 'model.entities.Post.indexes.0.fields', 'INDEX_UNDEFINED_FIELD'],
		['index on an inverse relation', s => { E(s).Author.indexes = [{ fields: ['posts'] }] }, 'model.entities.Author.indexes.0.fields', 'INDEX_INVALID_FIELD'],
		['index where with ;', s => { E(s).Post.indexes = [{ fields: ['title'], where: 'true; drop table post' }] }, 'model.entities.Post.indexes.0.where', 'INDEX_INVALID_WHERE'],
		['index empty where', s => { E(s).Post.indexes = [{ fields: ['title'], where: '  ' }] }, 'model.entities.Post.indexes.0.where', 'INDEX_INVALID_WHERE'],
		['bad opClass', s => { E(s).Post.indexes = [{ fields: ['title'], method: 'gin', opClass: 'gin trgm_ops' }] }, 'model.entities.Post.indexes.0.opClass', 'INDEX_INVALID_OPCLASS'],
		['columnOptions for a non-key field', s => { E(s).Post.indexes = [{ fields: ['title'], columnOptions: { status: { order: 'desc' } } }] }, 'model.entities.Post.indexes.0.columnOptions.status', 'INDEX_INVALID_COLUMN_OPTIONS'],
		['order on a gin index', s => { E(s).Post.indexes = [{ fields: ['title'], method: 'gin', columnOptions: { title: { order: 'desc' } } }] }, 'model.entities.Post.indexes.0.columnOptions.title', 'INDEX_INVALID_COLUMN_OPTIONS'],
		['field both key and include', s => { E(s).Post.indexes = [{ fields: ['title'], include: ['title'] }] }, 'model.entities.Post.indexes.0.include', 'INDEX_FIELD_IN_KEY_AND_INCLUDE'],
		['view dependency missing', s => { E(s).Category.view = { sql: 'SELECT 1', dependencies: ['Tag'] } }, 'model.entities.Category.view.dependencies.0', 'VIEW_UNDEFINED_DEPENDENCY'],
		['materialized view unique not an index', s => { E(s).Category.view = { sql: 'SELECT 1', materialized: true }; E(s).Category.unique = [{ fields: ['name'] }] }, 'model.entities.Category.unique.0', 'VIEW_UNIQUE_NOT_INDEX'],
		['view owning many-has-many', s => { E(s).Post.view = { sql: 'SELECT 1' } }, 'model.entities.Post.fields.categories', 'VIEW_INVALID_RELATION'],
		['view has-many to a table', s => { E(s).Author.view = { sql: 'SELECT 1' } }, 'model.entities.Author.fields.posts', 'VIEW_INVALID_RELATION'],
		['view inverse one-has-one to a table', s => { E(s).Author.view = { sql: 'SELECT 1' } }, 'model.entities.Author.fields.profile', 'VIEW_INVALID_RELATION'],
	]

	it.each(cases)('%s', (_name, mutate, path, code) => {
		const problems = broken(mutate)
		expect(problems.map(p => `${p.code} ${p.path}`)).toContain(`${code} ${path}`)
	})

	it('reports every problem, not only the first', () => {
		const problems = broken(s => {
			E(s).Author.name = 'Writer'
			F(s, 'Post').title.type = 'Text'
			s.model.enums.PostStatus = ['draft', 'or']
		})
		expect(problems.map(p => p.code).sort()).toEqual(['INVALID_STRUCTURE', 'MODEL_INVALID_ENUM_VALUE', 'MODEL_NAME_MISMATCH'])
	})
})

describe('assertValidSchema', () => {
	it('returns the schema normalised', () => {
		const schema: Mutable = validSchema()
		delete schema.acl
		delete E(schema).Author.eventLog
		const result = assertValidSchema(schema, 'schema/schema.json')
		expect(result.acl).toEqual({ roles: {} })
		expect(result.model.entities.Author!.eventLog).toEqual({ enabled: true })
	})

	it('throws ValidationError naming the source and every problem', () => {
		const schema: Mutable = validSchema()
		F(schema, 'Post').title.columnType = 'text;'
		E(schema).Post.unique = [{ fields: ['slug'] }]
		let error: unknown
		try {
			assertValidSchema(schema, 'schema/index.ts')
		} catch (caught) {
			error = caught
		}
		expect(error).toBeInstanceOf(ValidationError)
		const validation = error as ValidationError
		expect(validation.problems).toHaveLength(2)
		expect(validation.message).toContain('schema/index.ts')
		expect(validation.message).toContain('model.entities.Post.fields.title.columnType')
	})
})
