/**
 * The differ on strata's own table of schema edits: each case diffs the blog fixture against an
 * edited copy, checks the kinds and order of the modifications, and checks that applying them
 * gives the declared schema (diffSchemas checks that too; asserting it here keeps the table
 * honest if the round trip is ever weakened).
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas, type DiffOptions, type DiffResult } from '../../../src/diff/diffSchemas.js'
import { withoutEmptyRelationOrderBy } from '../../../src/diff/helpers.js'
import { InternalError } from '../../../src/errors.js'
import { applyModifications } from '../../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { schemaDifferences } from '../../../src/schema/compare.js'
import type { Relation, Schema } from '../../../src/schema/model.js'
import { blog, column, edit, entity } from './fixtures.js'

interface Case {
	readonly name: string
	readonly original?: Schema
	readonly updated: Schema
	readonly options?: DiffOptions
	readonly expect: readonly string[]
	readonly check?: (result: DiffResult) => void
}

const base = blog()
const oneHasOne = edit(base, d => {
	d.model.entities.Author!.fields.avatar = { name: 'avatar', type: 'OneHasOne', target: 'Tag', nullable: true, joiningColumn: { columnName: 'avatar_id', onDelete: 'set null' } }
})
const notNullAuthor = edit(base, d => {
	(d.model.entities.Post!.fields.author as { nullable: boolean }).nullable = false
})

const cases: Case[] = [
	{ name: 'add a nullable column', updated: edit(base, d => { d.model.entities.Post!.fields.subtitle = column('subtitle', 'String') }), expect: ['createColumn'] },
	{
		name: 'add a NOT NULL column with a default: filled from it',
		updated: edit(base, d => { d.model.entities.Post!.fields.rating = column('rating', 'Integer', { nullable: false, default: 3 }) }),
		expect: ['createColumn'],
		check: r => expect(r.modifications[0]).toMatchObject({ fillValue: 3, valueMigrationStrategy: 'using' }),
	},
	{
		name: 'add a NOT NULL column without default: a missing fill',
		updated: edit(base, d => { d.model.entities.Post!.fields.slug = column('slug', 'String', { nullable: false }) }),
		expect: ['createColumn'],
		check: r => expect(r.missingFills.map(it => [it.key, it.fillable])).toEqual([['Post.slug', true]]),
	},
	{
		name: 'add a NOT NULL column with a fill value',
		updated: edit(base, d => { d.model.entities.Post!.fields.slug = column('slug', 'String', { nullable: false }) }),
		options: { fills: { 'Post.slug': { value: 'untitled' } } },
		expect: ['createColumn'],
		check: r => {
			expect(r.modifications[0]).toMatchObject({ fillValue: 'untitled' })
			expect(r.missingFills).toEqual([])
		},
	},
	{
		name: 'add a NOT NULL column copied from another field',
		updated: edit(base, d => { d.model.entities.Post!.fields.slug = column('slug', 'String', { nullable: false }) }),
		options: { fills: { 'Post.slug': { copy: 'title' } } },
		expect: ['createColumn'],
		check: r => expect(r.modifications[0]).toMatchObject({ copyValue: 'title' }),
	},
	{
		name: 'a NOT NULL column of a new entity needs no fill',
		updated: edit(base, d => { d.model.entities.Category = entity('Category', [column('name', 'String', { nullable: false })]) }),
		expect: ['createEntity', 'createColumn'],
		check: r => expect(r.missingFills).toEqual([]),
	},
	{
		name: 'make a column NOT NULL: a missing fill',
		updated: edit(base, d => { (d.model.entities.Author!.fields.email as { nullable: boolean }).nullable = false }),
		expect: ['updateColumnDefinition'],
		check: r => expect(r.missingFills.map(it => it.key)).toEqual(['Author.email']),
	},
	{
		name: 'make a column NOT NULL with a fill value',
		updated: edit(base, d => { (d.model.entities.Author!.fields.email as { nullable: boolean }).nullable = false }),
		options: { fills: { 'Author.email': { value: '' } } },
		expect: ['updateColumnDefinition'],
		check: r => expect(r.modifications[0]).toMatchObject({ fillValue: '' }),
	},
	{
		name: 'make a column NOT NULL that declares a default: filled from it',
		updated: edit(base, d => { Object.assign(d.model.entities.Author!.fields.email!, { nullable: false, default: 'unknown@example.com' }) }),
		expect: ['updateColumnDefinition'],
		check: r => {
			expect(r.modifications[0]).toMatchObject({ fillValue: 'unknown@example.com' })
			expect(r.missingFills).toEqual([])
		},
	},
	{
		name: 'retype a column read by views: dependants dropped first, recreated after',
		updated: edit(base, d => { Object.assign(d.model.entities.Post!.fields.views!, { type: 'Double', columnType: 'double precision' }) }),
		expect: ['removeEntity', 'removeEntity', 'updateColumnDefinition', 'createView', 'createView'],
		check: r => expect(r.modifications.map(it => it['entityName'] ?? (it['entity'] as { name: string }).name)).toEqual(['TopAuthors', 'AuthorStats', 'Post', 'AuthorStats', 'TopAuthors']),
	},
	{ name: 'rename a column only', updated: edit(base, d => { Object.assign(d.model.entities.Post!.fields.body!, { columnName: 'content' }) }), expect: ['updateColumnName'] },
	{
		name: 'rename a joining column only: renamed in place (strata), not dropped and recreated',
		updated: edit(base, d => { d.model.entities.Post.fields.author.joiningColumn.columnName = 'writer_id' }),
		expect: ['updateColumnName'],
	},
	{ name: 'remove a column', updated: edit(base, d => { delete d.model.entities.Author!.fields.name }), expect: ['removeField'] },
	{
		name: 'remove a column of a table views read: the views are dropped first and recreated',
		updated: edit(base, d => { delete d.model.entities.Post!.fields.body }),
		expect: ['removeEntity', 'removeEntity', 'removeField', 'createView', 'createView'],
	},
	{
		name: 'remove an entity (the relations to it go with it)',
		updated: edit(base, d => { delete d.model.entities.Tag; delete d.model.entities.Post!.fields.tags }),
		expect: ['removeEntity'],
	},
	{
		name: 'add an entity with a unique column',
		updated: edit(base, d => { d.model.entities.Category = entity('Category', [column('slug', 'String')], { unique: [{ fields: ['slug'] }] }) }),
		expect: ['createEntity', 'createColumn', 'createUniqueConstraint'],
	},
	{ name: 'rename a table', updated: edit(base, d => { d.model.entities.Tag!.tableName = 'label' }), expect: ['updateEntityTableName'] },
	{ name: 'toggle the event log', updated: edit(base, d => { d.model.entities.Tag!.eventLog = { enabled: false } }), expect: ['toggleEventLog'] },
	{
		name: 'toggle a junction event log',
		updated: edit(base, d => { (d.model.entities.Post!.fields.tags as { joiningTable: { eventLog: { enabled: boolean } } }).joiningTable.eventLog.enabled = false }),
		expect: ['toggleJunctionEventLog'],
	},
	{
		name: 'change ON DELETE',
		updated: edit(base, d => { (d.model.entities.Post!.fields.author as { joiningColumn: { onDelete: string } }).joiningColumn.onDelete = 'cascade' }),
		expect: ['updateRelationOnDelete'],
	},
	{
		name: 'make a relation NOT NULL: reported as a missing fill that makeRelationNotNull can carry',
		updated: notNullAuthor,
		expect: ['makeRelationNotNull'],
		check: r => expect(r.missingFills.map(it => [it.key, it.fillable])).toEqual([['Post.author', true]]),
	},
	{ name: 'make a relation nullable', original: notNullAuthor, updated: base, expect: ['makeRelationNullable'] },
	{
		name: 'order a has-many side',
		updated: edit(base, d => { (d.model.entities.Author!.fields.posts as { orderBy?: unknown }).orderBy = [{ path: ['title'], direction: 'asc' }] }),
		expect: ['updateRelationOrderBy'],
	},
	{
		// the handler stores `orderBy: []`, which means the same as no ordering (the round trip compares it so)
		name: 'remove the ordering of a has-many side',
		original: edit(base, d => { (d.model.entities.Author!.fields.posts as { orderBy?: unknown }).orderBy = [{ path: ['title'], direction: 'asc' }] }),
		updated: base,
		expect: ['updateRelationOrderBy'],
	},
	{ name: 'order an entity', updated: edit(base, d => { d.model.entities.Tag!.orderBy = [{ path: ['label'], direction: 'desc' }] }), expect: ['updateEntityOrderBy'] },
	{
		name: 'add an enum and a column using it',
		updated: edit(base, d => {
			d.model.enums.Mood = ['happy', 'sad']
			d.model.entities.Author!.fields.mood = column('mood', 'Enum', { columnType: 'Mood' })
		}),
		expect: ['createEnum', 'createColumn'],
	},
	{ name: 'add an enum value', updated: edit(base, d => { d.model.enums.PostStatus = ['draft', 'published', 'archived'] }), expect: ['updateEnum'] },
	{
		name: 'remove an enum and its column (column first)',
		updated: edit(base, d => { delete d.model.enums.PostStatus; delete d.model.entities.Post!.fields.status }),
		expect: ['removeEntity', 'removeEntity', 'removeField', 'createView', 'createView', 'removeEnum'],
	},
	{ name: 'add an index', updated: edit(base, d => { d.model.entities.Author!.indexes = [{ fields: ['name'] }] }), expect: ['createIndex'] },
	{ name: 'change an index into a partial one', updated: edit(base, d => { d.model.entities.Post!.indexes = [{ fields: ['title'], where: 'views > 0' }] }), expect: ['removeIndex', 'createIndex'] },
	{ name: 'make a unique deferrable', updated: edit(base, d => { d.model.entities.Author!.unique = [{ fields: ['email'], timing: 'deferrable' }] }), expect: ['removeUniqueConstraint', 'createUniqueConstraint'] },
	{ name: 'change a leaf view', updated: edit(base, d => { d.model.entities.TopAuthors!.view!.sql = 'SELECT * FROM author_stats WHERE post_count > 5' }), expect: ['updateView'] },
	{
		name: 'change a view others depend on: in place, no cascade',
		updated: edit(base, d => { d.model.entities.AuthorStats!.view!.sql = 'SELECT author_id AS id, count(id) AS post_count FROM post GROUP BY 1' }),
		expect: ['updateView'],
	},
	{
		name: 'change a view with recreateViews: dependants dropped and recreated too',
		updated: edit(base, d => { d.model.entities.AuthorStats!.view!.sql = 'SELECT author_id AS id, count(id) AS post_count FROM post GROUP BY 1' }),
		options: { recreateViews: true },
		expect: ['removeEntity', 'removeEntity', 'createView', 'createView'],
	},
	{
		name: 'new views depending on each other: dependencies created first',
		updated: edit(base, d => {
			d.model.entities.Busy = entity('Busy', [], { view: { sql: 'SELECT id FROM base_view', dependencies: ['BaseView'] } })
			d.model.entities.BaseView = entity('BaseView', [], { view: { sql: 'SELECT id FROM post', dependencies: ['Post'] } })
		}),
		expect: ['createView', 'createView'],
		check: r => expect(r.modifications.map(it => (it['entity'] as { name: string }).name)).toEqual(['BaseView', 'Busy']),
	},
	{
		name: 'remove a view and its dependant',
		updated: edit(base, d => { delete d.model.entities.AuthorStats; delete d.model.entities.TopAuthors }),
		expect: ['removeEntity', 'removeEntity'],
		check: r => expect(r.modifications.map(it => it['entityName'])).toEqual(['TopAuthors', 'AuthorStats']),
	},
	{
		name: 'many-has-one becomes one-has-one',
		updated: edit(base, d => {
			d.model.entities.Post!.fields.author = { ...(d.model.entities.Post!.fields.author as object), type: 'OneHasOne', inversedBy: 'post' } as Relation
			delete d.model.entities.Author!.fields.posts
			d.model.entities.Author!.fields.post = { name: 'post', type: 'OneHasOne', target: 'Post', ownedBy: 'author', nullable: true }
		}),
		expect: ['convertOneHasManyToOneHasOneRelation'],
	},
	{
		name: 'one-has-one becomes many-has-one',
		original: oneHasOne,
		updated: edit(oneHasOne, d => { (d.model.entities.Author!.fields.avatar as { type: string }).type = 'ManyHasOne' }),
		expect: ['convertOneToManyRelation'],
	},
	{ name: 'enable orphan removal', original: oneHasOne, updated: edit(oneHasOne, d => { (d.model.entities.Author!.fields.avatar as { orphanRemoval?: true }).orphanRemoval = true }), expect: ['enableOrphanRemoval'] },
	{
		name: 'add a relation with its inverse side',
		updated: edit(base, d => {
			d.model.entities.Tag!.fields.creator = { name: 'creator', type: 'ManyHasOne', target: 'Author', inversedBy: 'tags', nullable: true, joiningColumn: { columnName: 'creator_id', onDelete: 'set null' } }
			d.model.entities.Author!.fields.tags = { name: 'tags', type: 'OneHasMany', target: 'Tag', ownedBy: 'creator' }
		}),
		expect: ['createRelation'],
		check: r => expect(r.modifications[0]!['inverseSide']).toMatchObject({ name: 'tags' }),
	},
	{
		name: 'add an inverse side to an existing relation',
		original: edit(base, d => { delete (d.model.entities.Post!.fields.author as { inversedBy?: string }).inversedBy; delete d.model.entities.Author!.fields.posts }),
		updated: base,
		expect: ['createRelationInverseSide'],
	},
	{
		name: 'a column becomes a relation: dropped and recreated',
		updated: edit(base, d => {
			d.model.entities.Post!.fields.body = { name: 'body', type: 'ManyHasOne', target: 'Tag', nullable: true, joiningColumn: { columnName: 'body_id', onDelete: 'restrict' } }
		}),
		expect: ['removeEntity', 'removeEntity', 'removeField', 'createRelation', 'createView', 'createView'],
	},
	{
		name: 'ACL: a small change is a patch, over the threshold a replacement',
		updated: edit(base, d => { d.acl.roles.editor = { variables: {}, entities: { Post: { predicates: {}, operations: { read: { id: true } } } }, stages: '*' } }),
		expect: ['patchAclSchema'],
	},
	{
		name: 'ACL over the patch-size threshold',
		updated: edit(base, d => { d.acl.roles.editor = { variables: {}, entities: {}, stages: '*' } }),
		options: { maxPatchSize: 0 },
		expect: ['updateAclSchema'],
	},
	{ name: 'validation rules', updated: edit(base, d => { d.validation.Post = { title: [{ validator: { operation: 'defined', args: [] }, message: { text: 'required' } }] } }), expect: ['patchValidationSchema'] },
	{
		name: 'settings: one step per key',
		original: edit(base, d => { d.settings.tenant = { inviteExpirationMinutes: 60 } }),
		updated: edit(base, d => { d.settings.content = { useExistsInHasManyFilter: true } }),
		expect: ['updateSettings', 'updateSettings'],
	},
	{
		name: 'actions: targets before triggers',
		updated: edit(base, d => {
			d.actions.targets.hook = { name: 'hook', type: 'webhook', url: 'https://example.com' }
			d.actions.triggers.onPost = { name: 'onPost', type: 'basic', entity: 'Post', create: true, delete: false, update: false, target: 'hook' }
		}),
		expect: ['createTarget', 'createTrigger'],
	},
	{
		name: 'legacy names are not identity: no removeIndexNames, no drop and re-create of a named unique',
		original: edit(base, d => { d.model.entities.Author.unique = [{ fields: ['email'], name: 'unique_author_email' }] }),
		updated: edit(base, d => { d.model.entities.Author.indexes = [{ fields: ['name'] }] }),
		expect: ['createIndex'],
	},
	{
		name: 'legacy names only (replayed named, declared not): nothing to do',
		original: edit(base, d => {
			d.model.entities.Author.unique = [{ fields: ['email'], name: 'unique_Author_email_5b9e2f' }]
			d.model.entities.Post.indexes = [{ fields: ['title'], name: 'idx_Post_title_2dc66a' }]
		}),
		updated: base,
		expect: [],
	},
	{
		name: 'legacy names only (declared named, replayed not): nothing to do',
		updated: edit(base, d => {
			d.model.entities.Author.unique = [{ fields: ['email'], name: 'unique_Author_email_5b9e2f' }]
			d.model.entities.Post.indexes = [{ fields: ['title'], name: 'idx_Post_title_2dc66a' }]
		}),
		expect: [],
	},
	{
		name: 'a named unique whose definition changed is removed by its fields (the shape Contember 2.0.x reads) and re-created',
		original: edit(base, d => { d.model.entities.Author.unique = [{ fields: ['email'], name: 'unique_Author_email_5b9e2f' }] }),
		updated: edit(base, d => { d.model.entities.Author.unique = [{ fields: ['email'], timing: 'deferred' }] }),
		expect: ['removeUniqueConstraint', 'createUniqueConstraint'],
		check: r => expect(r.modifications[0]).toEqual({ modification: 'removeUniqueConstraint', entityName: 'Author', fields: ['email'] }),
	},
	{
		name: 'a changed trigger is written whole (updateTrigger: Contember 2.0.x cannot read patchTrigger)',
		original: edit(base, d => {
			d.actions.targets.hook = { name: 'hook', type: 'webhook', url: 'https://example.com' }
			d.actions.triggers.onPost = { name: 'onPost', type: 'basic', entity: 'Post', create: true, delete: false, update: false, target: 'hook' }
		}),
		updated: edit(base, d => {
			d.actions.targets.hook = { name: 'hook', type: 'webhook', url: 'https://example.com' }
			d.actions.triggers.onPost = { name: 'onPost', type: 'basic', entity: 'Post', create: true, delete: true, update: false, target: 'hook' }
		}),
		expect: ['updateTrigger'],
	},
	{
		name: 'skipNonModelDiffers leaves acl, validation, actions and settings alone',
		updated: edit(base, d => {
			d.acl.roles.editor = { variables: {}, entities: {}, stages: '*' }
			d.settings.tenant = { inviteExpirationMinutes: 5 }
			d.model.entities.Post.fields.subtitle = column('subtitle', 'String')
		}),
		options: { skipNonModelDiffers: true },
		expect: ['createColumn'],
	},
	{ name: 'nothing changed', updated: base, expect: [] },
]

describe('diffSchemas: edit table', () => {
	it.each(cases)('$name', testCase => {
		const original = testCase.original ?? base
		const result = diffSchemas(original, testCase.updated, testCase.options)
		expect(result.modifications.map(it => it.modification)).toEqual(testCase.expect)
		const applied = applyModifications(original, result.modifications, FORMAT_VERSION_LATEST)
		const declared = testCase.options?.skipNonModelDiffers ? { ...original, model: testCase.updated.model } : testCase.updated
		expect(schemaDifferences(withoutEmptyRelationOrderBy(declared), withoutEmptyRelationOrderBy(applied))).toEqual([])
		testCase.check?.(result)
	})
})

describe('diffSchemas: round trip', () => {
	it('a change no differ can express is an internal error (exit 70) listing the differing paths', () => {
		const updated = edit(base, d => { d.model.entities.Tag.primaryColumn = 'tag_id' })
		let error: unknown
		try {
			diffSchemas(base, updated)
		} catch (caught) {
			error = caught
		}
		expect(error).toBeInstanceOf(InternalError)
		expect((error as InternalError).exitCode).toBe(70)
		expect((error as Error).message).toContain('model.entities.Tag.primaryColumn')
	})
})
