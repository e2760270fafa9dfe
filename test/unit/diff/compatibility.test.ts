/**
 * Contember 2.0.x compatibility warnings (S012): every step of a diff that uses a feature 2.0.x
 * lacks is named, with the feature; steps 2.0.x handles get none.
 */
import { describe, expect, it } from 'vitest'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { WarningCode } from '../../../src/modifications/warnings.js'
import type { Schema } from '../../../src/schema/model.js'
import { blog, column, edit } from './fixtures.js'

const base = blog()
const warningsOf = (updated: Schema, original: Schema = base) =>
	diffSchemas(original, updated).compatibility.map(it => `${it.code} ${it.modification}: ${it.message.split(' uses ')[1]!.split(' (')[0]}`)

const S012 = WarningCode.newerThanContember20

describe('Contember 2.0.x compatibility warnings', () => {
	it('none for what 2.0.x handles: plain columns, btree indexes, unique constraints, their removal', () => {
		expect(warningsOf(edit(base, d => {
			d.model.entities.Post.fields.subtitle = column('subtitle', 'String')
			d.model.entities.Post.indexes = [{ fields: ['body'] }]
			d.model.entities.Author.unique = [{ fields: ['name'], timing: 'deferred' }]
		}))).toEqual([])
	})

	it('list columns and collations, created or changed', () => {
		expect(warningsOf(edit(base, d => {
			d.model.entities.Post.fields.keywords = column('keywords', 'String', { list: true })
			d.model.entities.Post.fields.title.collation = 'cs-x-icu'
		}))).toEqual([`${S012} updateColumnDefinition: collations`, `${S012} createColumn: list columns`])
	})

	it('no warning for a list column or collation that already exists and stays', () => {
		const original = edit(base, d => { d.model.entities.Post.fields.body = column('body', 'String', { list: true, collation: 'C' }) })
		expect(warningsOf(edit(original, d => { d.model.entities.Post.fields.body.nullable = false; d.model.entities.Post.fields.body.default = [] }), original)).toEqual([])
	})

	it('index methods, operator classes, partial and covering indexes, per-column options', () => {
		expect(warningsOf(edit(base, d => {
			d.model.entities.Post.indexes = [{ fields: ['title'] }, { fields: ['body'], method: 'gin', opClass: 'gin_trgm_ops', where: 'body IS NOT NULL', include: ['views'], columnOptions: { body: { order: 'desc' } } }]
		}))).toEqual(['method', 'opClass', 'where', 'include', 'columnOptions'].map((_, i) => `${S012} createIndex: ${['index methods', 'operator classes', 'partial indexes', 'covering indexes', 'per-column index options'][i]}`))
	})

	it('removing a partial index: 2.0.x cannot tell it from its siblings', () => {
		const original = edit(base, d => { d.model.entities.Post.indexes = [{ fields: ['title'] }, { fields: ['body'], where: 'body IS NOT NULL' }] })
		expect(warningsOf(base, original)).toEqual([`${S012} removeIndex: partial indexes`])
	})

	it('unique indexes, their method and nulls not distinct; removing a unique index', () => {
		const withIndex = edit(base, d => { d.model.entities.Author.unique = [{ fields: ['email'], index: true, method: 'btree', nulls: 'not distinct' }] })
		const features = ['unique indexes', 'index methods', 'nulls not distinct']
		// constraint → index: the constraint is removed (2.0.x can), the index created (it cannot)
		expect(warningsOf(withIndex)).toEqual(features.map(it => `${S012} createUniqueConstraint: ${it}`))
		// index → constraint: the other way round
		expect(warningsOf(base, withIndex)).toEqual(features.map(it => `${S012} removeUniqueConstraint: ${it}`))
	})

	it('an enum used by a list column changes', () => {
		const original = edit(base, d => { d.model.entities.Post.fields.status.list = true })
		expect(warningsOf(edit(original, d => { d.model.enums.PostStatus = ['draft', 'published', 'archived'] }), original)).toEqual([`${S012} updateEnum: enums used by list columns`])
	})

	it('dropping a materialized view (also when it is dropped to be re-created)', () => {
		const original = edit(base, d => { d.model.entities.TopAuthors.view.materialized = true })
		expect(warningsOf(edit(original, d => { d.model.entities.TopAuthors.view.sql = 'SELECT * FROM author_stats WHERE post_count > 20' }), original))
			.toEqual([`${S012} removeEntity: a materialized view dropped`])
	})

	it('each warning names the step it belongs to', () => {
		const result = diffSchemas(base, edit(base, d => { d.model.entities.Post.fields.keywords = column('keywords', 'String', { list: true }) }))
		expect(result.compatibility).toHaveLength(1)
		const [warning] = result.compatibility
		expect(result.modifications[warning!.index]).toMatchObject({ modification: 'createColumn', field: { name: 'keywords' } })
		expect(warning!.message).toContain('Post.keywords')
	})
})
