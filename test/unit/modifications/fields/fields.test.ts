import { describe, expect, it } from 'vitest'
import type { Entity } from '../../../../src/schema/model.js'
import { apply, describeOf, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const author: Entity = entity('Author', [text('name'), { name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' }])
const post: Entity = entity('Post', [
	text('title'),
	{ name: 'author', type: 'ManyHasOne', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'cascade' }, nullable: true, inversedBy: 'posts' },
], {
	unique: [{ fields: ['title', 'author'] }],
	indexes: [{ fields: ['title'], columnOptions: { title: { order: 'desc' } } }, { fields: ['author'], include: ['title'] }],
})
const schema = schemaOf([author, post])

describe('removeField', () => {
	it('removes the inverse side with the owning one from v3 only', () => {
		expect(apply(schema, 'removeField', { entityName: 'Post', fieldName: 'author' }).model.entities.Author!.fields.posts).toBeUndefined()
		expect(apply(schema, 'removeField', { entityName: 'Post', fieldName: 'author' }, 2).model.entities.Author!.fields.posts).toBeDefined()
	})

	it('removing an inverse side clears inversedBy on the owning side', () => {
		const result = apply(schema, 'removeField', { entityName: 'Author', fieldName: 'posts' })
		expect('inversedBy' in result.model.entities.Post!.fields.author!).toBe(false)
		expect(sqlOf(schema, 'removeField', { entityName: 'Author', fieldName: 'posts' }).isEmpty).toBe(true)
	})

	it('removes uniques and indexes mentioning the field (also as include)', () => {
		const result = apply(schema, 'removeField', { entityName: 'Post', fieldName: 'title' })
		expect(result.model.entities.Post!.unique).toEqual([])
		expect(result.model.entities.Post!.indexes).toEqual([])
	})

	it('removes ACL field permissions and predicate parts from v2', () => {
		const acl = { roles: { r: { entities: { Post: { predicates: { p: { title: { eq: 'x' }, id: { isNull: false } } }, operations: { read: { title: 'p', id: true } } } } } } }
		const result = apply({ ...schema, acl }, 'removeField', { entityName: 'Post', fieldName: 'title' })
		expect(result.acl).toEqual({ roles: { r: { entities: { Post: { predicates: { p: { id: { isNull: false } } }, operations: { read: { id: true } } } } } } })
		expect(apply({ ...schema, acl }, 'removeField', { entityName: 'Post', fieldName: 'title' }, 1).acl).toEqual(acl)
	})

	it('is destructive when storage goes, not for an inverse side', () => {
		expect(describeOf(schema, 'removeField', { entityName: 'Post', fieldName: 'title' })).toMatchObject({ destructive: true })
		expect(describeOf(schema, 'removeField', { entityName: 'Author', fieldName: 'posts' })).toMatchObject({ destructive: false })
	})

	it('quotes hostile names', () => {
		const hostile = schemaOf([entity('X', [text('a', 'c"; --')], { tableName: 't"x' })])
		expect(sqlOf(hostile, 'removeField', { entityName: 'X', fieldName: 'a' }).toString()).toBe('ALTER TABLE "t""x" DROP "c""; --";')
	})
})

describe('updateFieldName', () => {
	const rename = { entityName: 'Post', fieldName: 'title', newFieldName: 'headline' }

	it('keeps the field position and renames uniques (v≥2) and indexes with columnOptions (v≥5)', () => {
		const result = apply(schema, 'updateFieldName', rename).model.entities.Post!
		expect(Object.keys(result.fields)).toEqual(['id', 'headline', 'author'])
		expect(result.fields.headline).toMatchObject({ name: 'headline', columnName: 'title' })
		expect(result.unique).toEqual([{ fields: ['headline', 'author'] }])
		expect(result.indexes).toEqual([{ fields: ['headline'], columnOptions: { headline: { order: 'desc' } } }, { fields: ['author'], include: ['headline'] }])
	})

	it('leaves indexes before v5 and uniques before v2', () => {
		const v4 = apply(schema, 'updateFieldName', rename, 4).model.entities.Post!
		expect(v4.unique).toEqual([{ fields: ['headline', 'author'] }])
		expect(v4.indexes[0]).toEqual({ fields: ['title'], columnOptions: { title: { order: 'desc' } } })
		expect(apply(schema, 'updateFieldName', rename, 1).model.entities.Post!.unique).toEqual([{ fields: ['title', 'author'] }])
	})

	it('updates the partner relation', () => {
		const result = apply(schema, 'updateFieldName', { entityName: 'Post', fieldName: 'author', newFieldName: 'writer' })
		expect(result.model.entities.Author!.fields.posts).toMatchObject({ ownedBy: 'writer' })
		const back = apply(schema, 'updateFieldName', { entityName: 'Author', fieldName: 'posts', newFieldName: 'articles' })
		expect(back.model.entities.Post!.fields.author).toMatchObject({ inversedBy: 'articles' })
	})

	it('renames the column (or joining column) only with columnName', () => {
		expect(sqlOf(schema, 'updateFieldName', rename).isEmpty).toBe(true)
		expect(sqlOf(schema, 'updateFieldName', { ...rename, columnName: 'headline' }).toString()).toBe('ALTER TABLE "post" RENAME "title" TO "headline";')
		const withColumn = apply(schema, 'updateFieldName', { entityName: 'Post', fieldName: 'author', newFieldName: 'writer', columnName: 'writer_id' })
		expect(withColumn.model.entities.Post!.fields.writer).toMatchObject({ joiningColumn: { columnName: 'writer_id', onDelete: 'cascade' } })
	})

	it('renames ACL permissions and nested predicate paths from v2', () => {
		const acl = { roles: { r: { entities: {
			Post: { predicates: { own: { author: { name: { eq: 'x' } } } }, operations: { read: { title: 'own' } } },
			Author: { predicates: { viaPosts: { posts: { title: { eq: 'y' } } } }, operations: {} },
		} } } }
		const result = apply({ ...schema, acl }, 'updateFieldName', rename)
		expect(result.acl).toEqual({ roles: { r: { entities: {
			Post: { predicates: { own: { author: { name: { eq: 'x' } } } }, operations: { read: { headline: 'own' } } },
			Author: { predicates: { viaPosts: { posts: { headline: { eq: 'y' } } } }, operations: {} },
		} } } })
	})

	it('warns that clients see the rename', () => {
		expect(describeOf(schema, 'updateFieldName', rename).warnings.map(it => it.code)).toEqual(['S010'])
	})
})
