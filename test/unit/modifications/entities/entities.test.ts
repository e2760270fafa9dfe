import { describe, expect, it } from 'vitest'
import type { Entity } from '../../../../src/schema/model.js'
import { apply, describeOf, entity, id, schemaOf, sqlOf, text } from './fixtures.js'

const author = entity('Author', [text('name')])
const post = entity('Post', [
	{ name: 'author', type: 'ManyHasOne', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'cascade' }, nullable: true, inversedBy: 'posts' },
	{ name: 'tags', type: 'ManyHasMany', target: 'Tag', joiningTable: { tableName: 'post_tags', joiningColumn: { columnName: 'post_id', onDelete: 'cascade' }, inverseJoiningColumn: { columnName: 'tag_id', onDelete: 'cascade' }, eventLog: { enabled: true } } },
])
const authorWithPosts: Entity = { ...author, fields: { ...author.fields, posts: { name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' } } }
const tag = entity('Tag', [])

describe('createEntity', () => {
	const legacy = {
		name: 'Image', primary: 'id', primaryColumn: 'id', tableName: 'image',
		fields: { id: id('image_id') },
		unique: { unique_Image_x: { fields: ['id'], name: 'unique_Image_x' } },
	}

	it('turns a legacy map of uniques into an array, adds indexes and an enabled event log', () => {
		const result = apply(schemaOf([]), 'createEntity', { entity: legacy }, 1)
		expect(result.model.entities.Image).toMatchObject({ unique: [{ fields: ['id'], name: 'unique_Image_x' }], indexes: [], eventLog: { enabled: true } })
	})

	it('names the primary key column after the field before format 6 and after its columnName from 6', () => {
		expect(sqlOf(schemaOf([]), 'createEntity', { entity: legacy }, { formatVersion: 5 }).toString()).toBe('CREATE TABLE "image" ( "id" uuid PRIMARY KEY NOT NULL );')
		expect(sqlOf(schemaOf([]), 'createEntity', { entity: legacy }, { formatVersion: 6 }).toString()).toBe('CREATE TABLE "image" ( "image_id" uuid PRIMARY KEY NOT NULL );')
	})

	it('writes identity columns and never event-log triggers', () => {
		const seq = { ...legacy, fields: { id: { name: 'id', columnName: 'id', type: 'Integer', columnType: 'integer', nullable: false, sequence: { precedence: 'ALWAYS', start: 100 } } } }
		expect(sqlOf(schemaOf([]), 'createEntity', { entity: seq }).statements).toEqual([
			'CREATE TABLE "image" ( "id" integer PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (START WITH 100) )',
		])
	})

	it('quotes hostile table and column names', () => {
		const hostile = { ...legacy, tableName: 'x"; DROP TABLE y; --', fields: { id: id('a"b') } }
		expect(sqlOf(schemaOf([]), 'createEntity', { entity: hostile }).toString()).toBe('CREATE TABLE "x""; DROP TABLE y; --" ( "a""b" uuid PRIMARY KEY NOT NULL );')
	})

	it('refuses an entity that already exists', () => {
		expect(() => apply(schemaOf([author]), 'createEntity', { entity: author })).toThrow(/already exists/)
	})
})

describe('removeEntity', () => {
	const schema = schemaOf([authorWithPosts, post, tag])

	it('v≥3 drops referencing relations first (with their SQL), then junctions, then the table', () => {
		expect(sqlOf(schema, 'removeEntity', { entityName: 'Author' }).statements).toEqual(['ALTER TABLE "post" DROP "author_id"', 'DROP TABLE "author"'])
		expect(apply(schema, 'removeEntity', { entityName: 'Author' }).model.entities.Post!.fields.author).toBeUndefined()
		expect(sqlOf(schema, 'removeEntity', { entityName: 'Post' }).statements).toEqual(['DROP TABLE "post_tags"', 'DROP TABLE "post"'])
	})

	it('before v3 leaves referencing relations alone', () => {
		expect(sqlOf(schema, 'removeEntity', { entityName: 'Author' }, { formatVersion: 2 }).statements).toEqual(['DROP TABLE "author"'])
		expect(apply(schema, 'removeEntity', { entityName: 'Author' }, 2).model.entities.Post!.fields.author).toBeDefined()
	})

	it('drops views and materialized views', () => {
		const view = entity('Stats', [], { view: { sql: 'SELECT 1' } })
		const mat = entity('Mat', [], { view: { sql: 'SELECT 1', materialized: true } })
		expect(sqlOf(schemaOf([view]), 'removeEntity', { entityName: 'Stats' }).toString()).toBe('DROP VIEW "stats";')
		expect(sqlOf(schemaOf([mat]), 'removeEntity', { entityName: 'Mat' }).toString()).toBe('DROP MATERIALIZED VIEW "mat";')
	})

	it('rewrites the ACL from v2 only', () => {
		const acl = { roles: { admin: { variables: { a: { type: 'entity', entityName: 'Author' } }, entities: { Author: { predicates: {}, operations: {} }, Post: { predicates: { p: { author: { id: 'a' } } }, operations: {} } } } } }
		const withAcl = { ...schema, acl }
		expect(apply(withAcl, 'removeEntity', { entityName: 'Author' }, 2).acl).toEqual({ roles: { admin: { variables: {}, entities: { Post: { predicates: { p: {} }, operations: {} } } } } })
		expect(apply(withAcl, 'removeEntity', { entityName: 'Author' }, 1).acl).toEqual(acl)
	})

	it('is destructive and warns about dependent views', () => {
		const view = entity('Stats', [], { view: { sql: 'SELECT 1', dependencies: ['Author'] } })
		const description = describeOf(schemaOf([author, view]), 'removeEntity', { entityName: 'Author' })
		expect(description.destructive).toBe(true)
		expect(description.destructiveReason).toMatch(/table "author"/)
		expect(description.warnings.map(it => it.code)).toEqual(['S009'])
	})
})

describe('updateEntityName', () => {
	it('renames the key in place, relation targets, ACL keys and entity variables (v≥2)', () => {
		const acl = { roles: { r: { variables: { v: { type: 'entity', entityName: 'Author' } }, entities: { Author: { predicates: {}, operations: { read: { id: true } } } } } } }
		const result = apply(schemaOf([tag, authorWithPosts, post], { acl }), 'updateEntityName', { entityName: 'Author', newEntityName: 'User' })
		expect(Object.keys(result.model.entities)).toEqual(['Tag', 'User', 'Post'])
		expect(result.model.entities.User!.name).toBe('User')
		expect(result.model.entities.User!.tableName).toBe('author')
		expect((result.model.entities.Post!.fields.author as { target: string }).target).toBe('User')
		expect(result.acl).toEqual({ roles: { r: { variables: { v: { type: 'entity', entityName: 'User' } }, entities: { User: { predicates: {}, operations: { read: { id: true } } } } } } })
		expect(apply(schemaOf([authorWithPosts, post], { acl }), 'updateEntityName', { entityName: 'Author', newEntityName: 'User' }, 1).acl).toEqual(acl)
	})

	it('renames the table only when tableName is given', () => {
		const schema = schemaOf([author])
		expect(sqlOf(schema, 'updateEntityName', { entityName: 'Author', newEntityName: 'User' }).isEmpty).toBe(true)
		expect(sqlOf(schema, 'updateEntityName', { entityName: 'Author', newEntityName: 'User', tableName: 'user' }).toString()).toBe('ALTER TABLE "author" RENAME TO "user";')
	})
})

describe('updateEntityTableName / toggleEventLog / updateEntityOrderBy', () => {
	it('renames views with ALTER VIEW', () => {
		const view = entity('Stats', [], { view: { sql: 'SELECT 1' } })
		expect(sqlOf(schemaOf([view]), 'updateEntityTableName', { entityName: 'Stats', tableName: 'st' }).toString()).toBe('ALTER VIEW "stats" RENAME TO "st";')
	})

	it('toggleEventLog changes the schema and emits no SQL (engine-only triggers)', () => {
		const schema = schemaOf([author])
		expect(apply(schema, 'toggleEventLog', { entityName: 'Author', enabled: false }).model.entities.Author!.eventLog).toEqual({ enabled: false })
		expect(sqlOf(schema, 'toggleEventLog', { entityName: 'Author', enabled: false }).isEmpty).toBe(true)
	})

	it('updateEntityOrderBy without orderBy removes the key', () => {
		const schema = schemaOf([{ ...author, orderBy: [{ path: ['name'], direction: 'asc' }] }])
		expect('orderBy' in apply(schema, 'updateEntityOrderBy', { entityName: 'Author' }).model.entities.Author!).toBe(false)
	})
})
