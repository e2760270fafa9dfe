/**
 * Renames: candidates are found, answers turn them into updateEntityName / updateFieldName
 * (keeping the data), unanswered ones stay drop + create and are reported.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { answersResolver, findEntityRenameCandidates, resolveRenames, type RenameCandidate } from '../../../src/diff/renames.js'
import { StrataError } from '../../../src/errors.js'
import { foldModifications } from '../../../src/modifications/fold.js'
import { FORMAT_VERSION_LATEST } from '../../../src/modifications/versions.js'
import { blog, column, edit } from './fixtures.js'

const base = blog()
const ids = (mods: readonly { modification: string }[]) => mods.map(it => it.modification)

const renameBody = edit(base, d => {
	delete d.model.entities.Post.fields.body
	d.model.entities.Post.fields.content = column('content', 'String')
})

const renameTag = edit(base, d => {
	const tag = d.model.entities.Tag
	delete d.model.entities.Tag
	d.model.entities.Label = { ...tag, name: 'Label', tableName: 'label', fields: { ...tag.fields, posts: { ...tag.fields.posts, target: 'Post' } } }
	d.model.entities.Post.fields.tags.target = 'Label'
})

describe('renames', () => {
	it('a removed and an added column of the same type are a candidate; unanswered they are drop + create', () => {
		const result = diffSchemas(base, renameBody)
		// the views reading post are dropped around the column drop
		expect(ids(result.modifications)).toEqual(['removeEntity', 'removeEntity', 'removeField', 'createColumn', 'createView', 'createView'])
		expect(result.renameCandidates).toEqual([{ kind: 'field', entityName: 'Post', from: 'body', to: ['content'] }])
	})

	it('a confirmed column rename is updateFieldName with the new column name', () => {
		const result = diffSchemas(base, renameBody, { renames: { 'Post.body': 'content' } })
		expect(result.modifications).toEqual([{ modification: 'updateFieldName', entityName: 'Post', fieldName: 'body', newFieldName: 'content', columnName: 'content' }])
		expect(result.renameCandidates).toEqual([])
		const sql = foldModifications(base, result.modifications, { formatVersion: FORMAT_VERSION_LATEST }).steps.map(it => it.sql.toString()).join('\n')
		expect(sql).toContain('RENAME "body" TO "content"')
	})

	it('a declined candidate is not reported again', () => {
		const result = diffSchemas(base, renameBody, { renames: { 'Post.body': null } })
		expect(ids(result.modifications)).toContain('removeField')
		expect(result.renameCandidates).toEqual([])
	})

	it('a rename with a type change: renamed, then retyped', () => {
		const updated = edit(renameBody, d => { Object.assign(d.model.entities.Post.fields.content, { type: 'Json', columnType: 'jsonb' }) })
		expect(diffSchemas(base, updated).renameCandidates).toEqual([])
		const result = diffSchemas(base, updated, { renames: { 'Post.body': 'content' } })
		expect(ids(result.modifications)).toEqual(['updateFieldName', 'removeEntity', 'removeEntity', 'updateColumnDefinition', 'createView', 'createView'])
	})

	it('a many-has-one relation rename renames the joining column and the inverse side follows', () => {
		const updated = edit(base, d => {
			const author = d.model.entities.Post.fields.author
			delete d.model.entities.Post.fields.author
			d.model.entities.Post.fields.writer = { ...author, name: 'writer', joiningColumn: { ...author.joiningColumn, columnName: 'writer_id' } }
			d.model.entities.Author.fields.posts.ownedBy = 'writer'
		})
		expect(diffSchemas(base, updated).renameCandidates).toEqual([{ kind: 'field', entityName: 'Post', from: 'author', to: ['writer'] }])
		const result = diffSchemas(base, updated, { renames: { 'Post.author': 'writer' } })
		expect(result.modifications).toEqual([{ modification: 'updateFieldName', entityName: 'Post', fieldName: 'author', newFieldName: 'writer', columnName: 'writer_id' }])
	})

	it('an inverse side rename has no column', () => {
		const updated = edit(base, d => {
			const posts = d.model.entities.Author.fields.posts
			delete d.model.entities.Author.fields.posts
			d.model.entities.Author.fields.articles = { ...posts, name: 'articles' }
			d.model.entities.Post.fields.author.inversedBy = 'articles'
		})
		const result = diffSchemas(base, updated, { renames: { 'Author.posts': 'articles' } })
		expect(result.modifications).toEqual([{ modification: 'updateFieldName', entityName: 'Author', fieldName: 'posts', newFieldName: 'articles' }])
	})

	it('an entity rename is a candidate by its similar fields; confirmed it is updateEntityName with the table name', () => {
		expect(findEntityRenameCandidates(base, renameTag)).toEqual([{ kind: 'entity', from: 'Tag', to: ['Label'] }])
		const unanswered = diffSchemas(base, renameTag)
		expect(ids(unanswered.modifications)).toContain('removeEntity')
		expect(unanswered.renameCandidates.map(it => it.from)).toEqual(['Tag'])
		const result = diffSchemas(base, renameTag, { renames: { Tag: 'Label' } })
		expect(result.modifications).toEqual([{ modification: 'updateEntityName', entityName: 'Tag', newEntityName: 'Label', tableName: 'label' }])
	})

	it('fields renamed inside a renamed entity (answers may use the old entity name)', () => {
		const updated = edit(renameTag, d => {
			delete d.model.entities.Label.fields.label
			d.model.entities.Label.fields.title = column('title', 'String', { nullable: false })
		})
		for (const key of ['Label.label', 'Tag.label']) {
			const result = diffSchemas(base, updated, { renames: { Tag: 'Label', [key]: 'title' } })
			expect(ids(result.modifications)).toEqual(['updateEntityName', 'updateFieldName'])
		}
	})

	it('resolveRenames asks about entities first, then about fields inside the renamed ones', async () => {
		const updated = edit(renameTag, d => {
			delete d.model.entities.Label.fields.label
			d.model.entities.Label.fields.title = column('title', 'String', { nullable: false })
		})
		const asked: RenameCandidate[] = []
		const answers = await resolveRenames(base, updated, {
			resolve: async candidate => {
				asked.push(candidate)
				return candidate.to[0]
			},
		})
		expect(asked.map(it => `${it.kind}:${it.entityName ?? ''}:${it.from}`)).toEqual(['entity::Tag', 'field:Label:label'])
		expect(answers).toEqual({ Tag: 'Label', 'Label.label': 'title' })
		expect(ids(diffSchemas(base, updated, { renames: answers }).modifications)).toEqual(['updateEntityName', 'updateFieldName'])
	})

	it('scripted answers resolve only what they name', async () => {
		const answers = await resolveRenames(base, renameBody, answersResolver({}))
		expect(answers).toEqual({})
	})

	it('an impossible answer is a user error naming the problem', () => {
		expect(() => diffSchemas(base, renameBody, { renames: { 'Post.title': 'content' } })).toThrow(StrataError)
		expect(() => diffSchemas(base, renameBody, { renames: { 'Post.body': 'nothing' } })).toThrow(/Post.nothing is not a field the declared schema adds/)
	})

	it('an enum rename keeps the data: new domain, columns retyped, old domain dropped', () => {
		const updated = edit(base, d => {
			d.model.enums.Status = d.model.enums.PostStatus
			delete d.model.enums.PostStatus
			d.model.entities.Post.fields.status.columnType = 'Status'
		})
		const result = diffSchemas(base, updated)
		expect(result.enumRenames).toEqual([{ from: 'PostStatus', to: 'Status' }])
		expect(ids(result.modifications)).toEqual(['removeEntity', 'removeEntity', 'createEnum', 'updateColumnDefinition', 'createView', 'createView', 'removeEnum'])
		const sql = foldModifications(base, result.modifications, { formatVersion: FORMAT_VERSION_LATEST }).steps.map(it => it.sql.toString()).join('\n')
		expect(sql).toMatch(/ALTER TABLE "post" ALTER "status" SET DATA TYPE "Status" USING "status"::"Status"/)
	})
})
