/**
 * Relation modifications beyond the conformance cases: offline comments instead of catalog
 * names, live lookups that only match the right constraint, view entities and targets, the
 * schema updates' edge cases and the descriptions.
 */
import { describe, expect, it } from 'vitest'
import { defaultPrimaryKeyName } from '../../../../src/modifications/relations/convertManyHasManyToJoiningEntity.js'
import { WarningCode } from '../../../../src/modifications/warnings.js'
import type { Entity, Field } from '../../../../src/schema/model.js'
import { apply, describeOf, emptyMetadata, entity, id, schemaOf, sqlOf } from '../entities/fixtures.js'

const rel = (field: object) => field as Field
const category = entity('Category', [rel({ name: 'posts', type: 'OneHasMany', target: 'Post', ownedBy: 'category' })])
const post = entity('Post', [
	rel({ name: 'category', type: 'ManyHasOne', target: 'Category', inversedBy: 'posts', nullable: true, joiningColumn: { columnName: 'category_id', onDelete: 'restrict' } }),
	rel({ name: 'image', type: 'OneHasOne', target: 'Image', nullable: true, orphanRemoval: true, joiningColumn: { columnName: 'image_id', onDelete: 'restrict' } }),
	rel({
		name: 'tags',
		type: 'ManyHasMany',
		target: 'Tag',
		joiningTable: {
			tableName: 'post_tags',
			joiningColumn: { columnName: 'post_id', onDelete: 'cascade' },
			inverseJoiningColumn: { columnName: 'tag_id', onDelete: 'cascade' },
			eventLog: { enabled: true },
		},
	}),
])
const stats = entity('Stats', [], { view: { sql: 'SELECT 1' } })
const schema = schemaOf([category, post, entity('Image', []), entity('Tag', []), stats])
const fieldOf = (result: typeof schema, entityName: string, fieldName: string) => result.model.entities[entityName]!.fields[fieldName]
const target = (entityName: string, fieldName: string) => ({ entityName, fieldName })

describe('createRelation', () => {
	it('normalises a junction without eventLog and adds the inverse side to the target', () => {
		const owningSide = { name: 'labels', type: 'ManyHasMany', target: 'Tag', inversedBy: 'posts', joiningTable: { tableName: 'post_labels', joiningColumn: { columnName: 'post_id', onDelete: 'cascade' }, inverseJoiningColumn: { columnName: 'tag_id', onDelete: 'cascade' } } }
		const inverseSide = { name: 'posts', type: 'ManyHasMany', target: 'Post', ownedBy: 'labels' }
		const result = apply(schema, 'createRelation', { entityName: 'Post', owningSide, inverseSide })
		expect(fieldOf(result, 'Post', 'labels')).toEqual({ ...owningSide, joiningTable: { ...owningSide.joiningTable, eventLog: { enabled: true } } })
		expect(fieldOf(result, 'Tag', 'posts')).toEqual(inverseSide)
	})

	it('adds no foreign key to a view target and no SQL on a view entity', () => {
		const toView = { name: 'stats', type: 'ManyHasOne', target: 'Stats', nullable: true, joiningColumn: { columnName: 'stats_id', onDelete: 'restrict' } }
		expect(sqlOf(schema, 'createRelation', { entityName: 'Post', owningSide: toView }).statements).toEqual([
			'ALTER TABLE "post" ADD "stats_id" uuid',
			'CREATE INDEX ON "post" ("stats_id")',
		])
		const fromView = { name: 'post', type: 'OneHasOne', target: 'Post', nullable: true, joiningColumn: { columnName: 'post_id', onDelete: 'restrict' } }
		expect(sqlOf(schema, 'createRelation', { entityName: 'Stats', owningSide: fromView }).isEmpty).toBe(true)
	})

	it('uses the target primary column and quotes hostile names', () => {
		const odd = schemaOf([entity('Post', [], { tableName: 'po"st' }), entity('Author', [], { primaryColumn: 'author key', fields: { id: id('author key') } })])
		const owningSide = { name: 'author', type: 'ManyHasOne', target: 'Author', nullable: false, joiningColumn: { columnName: 'a"; DROP TABLE x; --', onDelete: 'set null' } }
		expect(sqlOf(odd, 'createRelation', { entityName: 'Post', owningSide }).statements).toEqual([
			'ALTER TABLE "po""st" ADD "a""; DROP TABLE x; --" uuid NOT NULL',
			'ALTER TABLE "po""st" ADD FOREIGN KEY ("a""; DROP TABLE x; --") REFERENCES "author"("author key") ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE',
			'CREATE INDEX ON "po""st" ("a""; DROP TABLE x; --")',
		])
	})

	it('warns about NOT NULL relations on existing tables only', () => {
		const owningSide = { name: 'author', type: 'ManyHasOne', target: 'Category', nullable: false, joiningColumn: { columnName: 'author_id', onDelete: 'restrict' } }
		expect(describeOf(schema, 'createRelation', { entityName: 'Post', owningSide }).warnings.map(it => it.code)).toEqual([WarningCode.notNullWithoutFill])
		expect(describeOf(schema, 'createRelation', { entityName: 'Post', owningSide }, ['Post']).warnings).toEqual([])
		expect(describeOf(schema, 'createRelation', { entityName: 'Post', owningSide: { ...owningSide, nullable: true } }).warnings).toEqual([])
	})
})

describe('createRelationInverseSide', () => {
	it('sets inversedBy on the owning side', () => {
		const result = apply(schema, 'createRelationInverseSide', { entityName: 'Image', relation: { name: 'post', type: 'OneHasOne', target: 'Post', ownedBy: 'image', nullable: true } })
		expect(fieldOf(result, 'Post', 'image')).toMatchObject({ inversedBy: 'post' })
		expect(fieldOf(result, 'Image', 'post')).toEqual({ name: 'post', type: 'OneHasOne', target: 'Post', ownedBy: 'image', nullable: true })
	})

	it('fails exactly like Contember when the owning side does not exist yet', () => {
		const early = { entityName: 'Category', relation: { name: 'entries', type: 'OneHasMany', target: 'Post', ownedBy: 'set' } }
		expect(() => apply(schema, 'createRelationInverseSide', early)).toThrow('Field Post::set not found')
	})

	it('refuses an inverse side of something that is not an owning relation', () => {
		expect(() => apply(schema, 'createRelationInverseSide', { entityName: 'Category', relation: { name: 'x', type: 'OneHasMany', target: 'Category', ownedBy: 'posts' } })).toThrow('not an owning relation')
	})
})

describe('updateRelationOnDelete', () => {
	const data = { ...target('Post', 'category'), onDelete: 'set null' }
	const addForeignKey = 'ALTER TABLE "post" ADD FOREIGN KEY ("category_id") REFERENCES "category"("id") ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE'

	it('offline, says which foreign key is dropped and leaves its name to execution', () => {
		const builder = sqlOf(schema, 'updateRelationOnDelete', data)
		expect(builder.statements).toEqual([addForeignKey])
		expect(builder.toString()).toMatch(/^-- The foreign key to "category" on table "post" \("category_id"\) is dropped here; its name is resolved from the database catalog at execution\n/)
	})

	it('live, drops only the foreign keys of that column to the target primary key', () => {
		const foreignKey = (constraintName: string, toTable: string, toColumn = 'id') =>
			({ constraintName, fromTable: 'post', fromColumn: 'category_id', toTable, toColumn, deleteAction: 'a', deferrable: true, deferred: false })
		const metadata = { ...emptyMetadata, foreignKeys: [foreignKey('post_category_id_fkey', 'category'), foreignKey('other_fk', 'image'), foreignKey('old "fk"', 'category')] }
		expect(sqlOf(schema, 'updateRelationOnDelete', data, { metadata }).statements).toEqual([
			'ALTER TABLE "post" DROP CONSTRAINT "post_category_id_fkey"',
			'ALTER TABLE "post" DROP CONSTRAINT "old ""fk"""',
			addForeignKey,
		])
	})

	it('has no SQL for many-has-many and updates the stored onDelete', () => {
		expect(sqlOf(schema, 'updateRelationOnDelete', { ...target('Post', 'tags'), onDelete: 'restrict' }).isEmpty).toBe(true)
		expect(fieldOf(apply(schema, 'updateRelationOnDelete', data), 'Post', 'category')).toMatchObject({ joiningColumn: { columnName: 'category_id', onDelete: 'set null' } })
	})
})

describe('nullability, order and orphan removal', () => {
	it('makes joining columns NOT NULL / nullable, and warns for existing tables', () => {
		expect(sqlOf(schema, 'makeRelationNotNull', target('Post', 'image')).statements).toEqual(['ALTER TABLE "post" ALTER "image_id" SET NOT NULL'])
		expect(fieldOf(apply(schema, 'makeRelationNotNull', target('Post', 'image')), 'Post', 'image')).toMatchObject({ nullable: false })
		expect(describeOf(schema, 'makeRelationNotNull', target('Post', 'image')).warnings.map(it => it.code)).toEqual([WarningCode.setNotNullMayFail])
		expect(describeOf(schema, 'makeRelationNotNull', target('Post', 'image'), ['Post']).warnings).toEqual([])
		expect(() => apply(schema, 'makeRelationNullable', target('Post', 'tags'))).toThrow('expected a many-has-one or one-has-one relation')
	})

	it('sets orderBy on has-many sides only', () => {
		const orderBy = [{ path: ['title'], direction: 'desc' }]
		expect(fieldOf(apply(schema, 'updateRelationOrderBy', { ...target('Category', 'posts'), orderBy }), 'Category', 'posts')).toMatchObject({ orderBy })
		expect(() => apply(schema, 'updateRelationOrderBy', { ...target('Post', 'category'), orderBy })).toThrow('expected a has-many relation')
	})

	it('enables and disables orphan removal on one-has-one owning sides', () => {
		const disabled = apply(schema, 'disableOrphanRemoval', target('Post', 'image'))
		expect(fieldOf(disabled, 'Post', 'image')).not.toHaveProperty('orphanRemoval')
		expect(fieldOf(apply(disabled, 'enableOrphanRemoval', target('Post', 'image')), 'Post', 'image')).toMatchObject({ orphanRemoval: true })
		expect(() => apply(schema, 'enableOrphanRemoval', target('Post', 'category'))).toThrow('expected a one-has-one owning relation')
	})

	it('toggles the junction event log in the schema and writes no SQL at all', () => {
		const data = { ...target('Post', 'tags'), enabled: false }
		expect(fieldOf(apply(schema, 'toggleJunctionEventLog', data), 'Post', 'tags')).toMatchObject({ joiningTable: { eventLog: { enabled: false } } })
		expect(sqlOf(schema, 'toggleJunctionEventLog', data).isEmpty).toBe(true)
		expect(sqlOf(schema, 'toggleJunctionEventLog', { ...data, enabled: true }).isEmpty).toBe(true)
	})
})

describe('conversions', () => {
	it('convertOneToManyRelation: offline comment for the unique constraint; orphan removal goes', () => {
		const builder = sqlOf(schema, 'convertOneToManyRelation', target('Post', 'image'))
		expect(builder.statements).toEqual(['CREATE INDEX ON "post" ("image_id")'])
		expect(builder.toString()).toContain('-- The unique key on table "post" ("image_id") is dropped here')
		expect(fieldOf(apply(schema, 'convertOneToManyRelation', target('Post', 'image')), 'Post', 'image')).toEqual({
			name: 'image', type: 'ManyHasOne', target: 'Image', nullable: true, joiningColumn: { columnName: 'image_id', onDelete: 'restrict' },
		})
	})

	it('convertOneHasManyToOneHasOneRelation: drops plain indexes only, renames and converts the inverse side', () => {
		const index = (indexName: string, unique: boolean, columnNames = ['category_id']) => ({ indexName, tableName: 'post', columnNames, unique })
		const metadata = { ...emptyMetadata, indexes: [index('post_category_id_idx', false), index('post_category_id_key', true), index('two', false, ['category_id', 'x'])] }
		expect(sqlOf(schema, 'convertOneHasManyToOneHasOneRelation', target('Post', 'category'), { metadata }).statements).toEqual([
			'DROP INDEX "post_category_id_idx"',
			'ALTER TABLE "post" ADD UNIQUE ("category_id")',
		])
		const result = apply(schema, 'convertOneHasManyToOneHasOneRelation', { ...target('Post', 'category'), newInverseSideFieldName: 'post' })
		expect(fieldOf(result, 'Post', 'category')).toMatchObject({ type: 'OneHasOne', inversedBy: 'post' })
		expect(fieldOf(result, 'Category', 'post')).toEqual({ name: 'post', type: 'OneHasOne', target: 'Post', ownedBy: 'category', nullable: true })
		expect(fieldOf(result, 'Category', 'posts')).toBeUndefined()
		expect(describeOf(schema, 'convertOneHasManyToOneHasOneRelation', target('Post', 'category')).warnings.map(it => it.code)).toEqual([WarningCode.conversionMayFail])
	})

	it('convertOneHasManyToManyHasManyRelation: destructive, copies then drops the column', () => {
		const owningSide = { name: 'categories', type: 'ManyHasMany', target: 'Category', joiningTable: { tableName: 'post_categories', joiningColumn: { columnName: 'post_id', onDelete: 'cascade' }, inverseJoiningColumn: { columnName: 'category_id', onDelete: 'cascade' } } }
		const data = { ...target('Post', 'category'), owningSide }
		const statements = sqlOf(schema, 'convertOneHasManyToManyHasManyRelation', data).statements
		expect(statements.slice(2)).toEqual([
			'INSERT INTO "post_categories" ("post_id", "category_id") SELECT "id", "category_id" FROM "post" WHERE "category_id" IS NOT NULL',
			'ALTER TABLE "post" DROP "category_id"',
		])
		const result = apply(schema, 'convertOneHasManyToManyHasManyRelation', data)
		expect(fieldOf(result, 'Post', 'category')).toBeUndefined()
		expect(fieldOf(result, 'Post', 'categories')).toMatchObject({ joiningTable: { eventLog: { enabled: true } } })
		expect(fieldOf(result, 'Category', 'posts')).toBeUndefined() // the old inverse side goes with the old relation
		const description = describeOf(schema, 'convertOneHasManyToManyHasManyRelation', data)
		expect(description.destructive).toBe(true)
		expect(description.destructiveReason).toBe('column "post"."category_id" is dropped after its values are copied into junction table "post_categories"')
	})
})

describe('convertManyHasManyToJoiningEntity', () => {
	const joiningEntity = (extra: Partial<Entity> = {}): Entity => entity('PostTag', [
		rel({ name: 'post', type: 'ManyHasOne', target: 'Post', nullable: false, joiningColumn: { columnName: 'post_id', onDelete: 'cascade' } }),
		rel({ name: 'tag', type: 'ManyHasOne', target: 'Tag', nullable: false, joiningColumn: { columnName: 'tag_id', onDelete: 'cascade' } }),
	], { tableName: 'post_tags', ...extra })
	const data = (extra: Partial<Entity> = {}) => ({ ...target('Post', 'tags'), joiningEntity: joiningEntity(extra) })

	it('back-fills ids with gen_random_uuid() and never touches the system schema', () => {
		const builder = sqlOf(schema, 'convertManyHasManyToJoiningEntity', data())
		expect(builder.statements).toEqual([
			'ALTER TABLE "post_tags" ADD COLUMN "id" uuid',
			'UPDATE "post_tags" SET "id" = gen_random_uuid()',
			'ALTER TABLE "post_tags" ALTER COLUMN "id" SET NOT NULL',
			'ALTER TABLE "post_tags" DROP CONSTRAINT "post_tags_pkey"',
			'ALTER TABLE "post_tags" ADD PRIMARY KEY ("id")',
			'ALTER TABLE "post_tags" ADD UNIQUE ("post_id", "tag_id")',
		])
		expect(builder.toString()).not.toMatch(/system|log_event|uuid_generate/)
		expect(builder.toString()).toContain("-- The primary key of \"post_tags\" is assumed to have PostgreSQL's default name \"post_tags_pkey\"")
	})

	it('numbers rows with an identity when the primary key has a sequence', () => {
		const sequenced = { fields: { ...joiningEntity().fields, id: { name: 'id', columnName: 'id', type: 'Integer', columnType: 'integer', nullable: false, sequence: { precedence: 'BY DEFAULT' } } as Field } }
		expect(sqlOf(schema, 'convertManyHasManyToJoiningEntity', data(sequenced)).statements[0]).toBe(
			'ALTER TABLE "post_tags" ADD COLUMN "id" integer GENERATED BY DEFAULT AS IDENTITY',
		)
	})

	it('adds the entity with the pair unique and removes the relation', () => {
		const result = apply(schema, 'convertManyHasManyToJoiningEntity', { ...data(), sourceInverseSide: { name: 'postTags', type: 'OneHasMany', target: 'PostTag', ownedBy: 'post' } })
		expect(result.model.entities.PostTag!.unique).toEqual([{ fields: ['post', 'tag'] }])
		expect(fieldOf(result, 'Post', 'tags')).toBeUndefined()
		expect(fieldOf(result, 'Post', 'postTags')).toEqual({ name: 'postTags', type: 'OneHasMany', target: 'PostTag', ownedBy: 'post' })
		const again = apply(schema, 'convertManyHasManyToJoiningEntity', data({ unique: [{ fields: ['post', 'tag'] }] }))
		expect(again.model.entities.PostTag!.unique).toHaveLength(1)
	})

	it('refuses a joining entity on another table or without the junction columns', () => {
		expect(() => apply(schema, 'convertManyHasManyToJoiningEntity', data({ tableName: 'other' }))).toThrow('must use the junction table "post_tags"')
		const { tag: _tag, ...fields } = joiningEntity().fields
		expect(() => apply(schema, 'convertManyHasManyToJoiningEntity', data({ fields }))).toThrow('stored in column "tag_id"')
	})

	it('clips long primary key names as PostgreSQL does', () => {
		expect(defaultPrimaryKeyName('t')).toBe('t_pkey')
		expect(defaultPrimaryKeyName('x'.repeat(70))).toBe(`${'x'.repeat(58)}_pkey`)
		expect(Buffer.byteLength(defaultPrimaryKeyName('ž'.repeat(40)))).toBeLessThanOrEqual(63)
	})
})
