/**
 * The ACL follows every field a relation modification renames or removes as a side effect
 * (format ≥ 2; removing the inverse with the owning side from format 3): permission keys of
 * every role, and predicate parts that go through the field, as updateFieldName / removeField do.
 */
import { describe, expect, it } from 'vitest'
import type { AclSchema, Field, JsonObject, Schema } from '../../../../src/schema/model.js'
import { apply, entity, schemaOf } from '../entities/fixtures.js'

const rel = (field: object) => field as Field
const joiningColumn = (columnName: string) => ({ columnName, onDelete: 'restrict' })

/** both roles can read the inverse field `inverse` of Author and filter authors through it */
const aclOn = (inverse: string): AclSchema => {
	const role = (): JsonObject => ({
		entities: {
			Author: {
				predicates: { published: { [inverse]: { title: { eq: 'yes' } } } },
				operations: { read: { id: true, [inverse]: true }, update: { [inverse]: 'published' } },
			},
		},
	})
	return { roles: { editor: role(), reader: role() } }
}

const withAcl = (fields: Field[], inverse: Field, acl: AclSchema): Schema =>
	schemaOf([entity('Post', [{ name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: true }, ...fields]), entity('Author', [inverse])], { acl })

const oneHasOne = withAcl(
	[rel({ name: 'author', type: 'OneHasOne', target: 'Author', inversedBy: 'post', nullable: true, joiningColumn: joiningColumn('author_id') })],
	rel({ name: 'post', type: 'OneHasOne', target: 'Post', ownedBy: 'author', nullable: true }),
	aclOn('post'),
)
const manyHasOne = withAcl(
	[rel({ name: 'author', type: 'ManyHasOne', target: 'Author', inversedBy: 'posts', nullable: true, joiningColumn: joiningColumn('author_id') })],
	rel({ name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'author' }),
	aclOn('posts'),
)

const junction = {
	tableName: 'post_authors',
	joiningColumn: { columnName: 'post_id', onDelete: 'cascade' },
	inverseJoiningColumn: { columnName: 'author_id', onDelete: 'cascade' },
	eventLog: { enabled: true },
}

const roleOf = (schema: Schema, role = 'editor') => schema.acl.roles[role] as JsonObject

describe('relation conversions rename the inverse side in the ACL', () => {
	it('convertOneToManyRelation with newInverseSideFieldName (format ≥ 2)', () => {
		const result = apply(oneHasOne, 'convertOneToManyRelation', { entityName: 'Post', fieldName: 'author', newInverseSideFieldName: 'posts' })
		expect(result.model.entities.Author!.fields.posts).toMatchObject({ type: 'OneHasMany' })
		expect(result.acl).toEqual(aclOn('posts'))
	})

	it('convertOneHasManyToOneHasOneRelation with newInverseSideFieldName (format ≥ 2)', () => {
		const result = apply(manyHasOne, 'convertOneHasManyToOneHasOneRelation', { entityName: 'Post', fieldName: 'author', newInverseSideFieldName: 'post' })
		expect(result.model.entities.Author!.fields.post).toMatchObject({ type: 'OneHasOne' })
		expect(result.acl).toEqual(aclOn('post'))
	})

	it('format 1 and an unrenamed inverse side leave the ACL alone', () => {
		expect(apply(oneHasOne, 'convertOneToManyRelation', { entityName: 'Post', fieldName: 'author', newInverseSideFieldName: 'posts' }, 1).acl).toEqual(aclOn('post'))
		expect(apply(oneHasOne, 'convertOneToManyRelation', { entityName: 'Post', fieldName: 'author' }).acl).toEqual(aclOn('post'))
	})

	it('refuses a new inverse name the target already uses', () => {
		const taken = { ...oneHasOne, model: { ...oneHasOne.model, entities: { ...oneHasOne.model.entities, Author: entity('Author', [oneHasOne.model.entities.Author!.fields.post!, rel({ name: 'posts', columnName: 'posts', type: 'String', columnType: 'text', nullable: true })]) } } }
		expect(() => apply(taken, 'convertOneToManyRelation', { entityName: 'Post', fieldName: 'author', newInverseSideFieldName: 'posts' })).toThrow(/Field Author::posts already exists/)
	})

	it('convertOneHasManyToManyHasManyRelation renames a replaced inverse side and drops one that goes', () => {
		const owningSide = { name: 'author', type: 'ManyHasMany', target: 'Author', inversedBy: 'writings', joiningTable: junction }
		const renamed = apply(manyHasOne, 'convertOneHasManyToManyHasManyRelation', {
			entityName: 'Post', fieldName: 'author', owningSide, inverseSide: { name: 'writings', type: 'ManyHasMany', target: 'Post', ownedBy: 'author' },
		})
		expect(renamed.acl).toEqual(aclOn('writings'))

		const { inversedBy: _none, ...unidirectional } = owningSide
		const dropped = apply(manyHasOne, 'convertOneHasManyToManyHasManyRelation', { entityName: 'Post', fieldName: 'author', owningSide: unidirectional })
		expect(dropped.model.entities.Author!.fields.posts).toBeUndefined()
		expect(roleOf(dropped)).toEqual({ entities: { Author: { predicates: { published: {} }, operations: { read: { id: true }, update: {} } } } })
	})
})

describe('removing an owning relation removes its inverse side from the ACL (format ≥ 3)', () => {
	const stripped = { entities: { Author: { predicates: { published: {} }, operations: { read: { id: true }, update: {} } } } }

	it('removeField of the owning side, in every role', () => {
		const result = apply(manyHasOne, 'removeField', { entityName: 'Post', fieldName: 'author' }, 3)
		expect(result.model.entities.Author!.fields.posts).toBeUndefined()
		expect(roleOf(result, 'editor')).toEqual(stripped)
		expect(roleOf(result, 'reader')).toEqual(stripped)
	})

	it('format 2 keeps the inverse side and its permissions', () => {
		const result = apply(manyHasOne, 'removeField', { entityName: 'Post', fieldName: 'author' }, 2)
		expect(result.model.entities.Author!.fields.posts).toBeDefined()
		expect(result.acl).toEqual(aclOn('posts'))
	})

	it('removeEntity of the owning entity removes the inverse sides of its relations', () => {
		const result = apply(manyHasOne, 'removeEntity', { entityName: 'Post' }, 3)
		expect(result.model.entities.Author!.fields.posts).toBeUndefined()
		expect(roleOf(result)).toEqual(stripped)
	})

	it('convertManyHasManyToJoiningEntity drops the permissions of the relation and its inverse side', () => {
		const tags = withAcl(
			[rel({ name: 'authors', type: 'ManyHasMany', target: 'Author', inversedBy: 'posts', joiningTable: junction })],
			rel({ name: 'posts', type: 'ManyHasMany', target: 'Post', ownedBy: 'authors' }),
			{ roles: { editor: { entities: { Post: { operations: { read: { id: true, authors: true } } }, Author: { operations: { read: { id: true, posts: true } } } } } } },
		)
		const joiningEntity = entity('PostAuthor', [
			rel({ name: 'post', type: 'ManyHasOne', target: 'Post', nullable: false, joiningColumn: { columnName: 'post_id', onDelete: 'cascade' } }),
			rel({ name: 'author', type: 'ManyHasOne', target: 'Author', nullable: false, joiningColumn: { columnName: 'author_id', onDelete: 'cascade' } }),
		], { tableName: 'post_authors' })
		const data = { entityName: 'Post', fieldName: 'authors', joiningEntity }
		const result = apply(tags, 'convertManyHasManyToJoiningEntity', data)
		expect(roleOf(result)).toEqual({ entities: { Post: { operations: { read: { id: true } } }, Author: { operations: { read: { id: true } } } } })
		// a new one-has-many side under the old name keeps the permissions; format 1 keeps everything
		const kept = apply(tags, 'convertManyHasManyToJoiningEntity', { ...data, sourceInverseSide: { name: 'authors', type: 'OneHasMany', target: 'PostAuthor', ownedBy: 'post' } })
		expect(roleOf(kept)).toEqual({ entities: { Post: { operations: { read: { id: true, authors: true } } }, Author: { operations: { read: { id: true } } } } })
		expect(apply(tags, 'convertManyHasManyToJoiningEntity', data, 1).acl).toEqual(tags.acl)
	})
})
