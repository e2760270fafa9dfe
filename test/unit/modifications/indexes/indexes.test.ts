import { describe, expect, it } from 'vitest'
import { apply, emptyMetadata, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const article = entity('Article', [text('title'), text('content')], {
	indexes: [{ fields: ['title'], where: "content = 'a'" }, { fields: ['title'], name: 'legacy_name' }],
})
const schema = schemaOf([article])

describe('createIndex', () => {
	it('writes method, opclass, order, include and predicate', () => {
		const index = { fields: ['title', 'content'], method: 'btree', opClass: 'public.text_ops', columnOptions: { content: { order: 'desc', nulls: 'first' } }, where: 'title IS NOT NULL' }
		expect(sqlOf(schema, 'createIndex', { entityName: 'Article', index }).toString())
			.toBe('CREATE INDEX ON "article" USING btree ("title" public.text_ops, "content" public.text_ops DESC NULLS FIRST) WHERE (title IS NOT NULL);')
	})

	it('refuses an operator class that is not an identifier and a predicate with ;', () => {
		expect(() => sqlOf(schema, 'createIndex', { entityName: 'Article', index: { fields: ['title'], opClass: 'x); DROP TABLE y; --' } })).toThrow(/operator class/)
		expect(() => sqlOf(schema, 'createIndex', { entityName: 'Article', index: { fields: ['title'], where: 'true); DROP TABLE y; --' } })).toThrow(/predicate/)
	})

	it('keeps a trailing line comment in a predicate from swallowing the parenthesis', () => {
		expect(sqlOf(schema, 'createIndex', { entityName: 'Article', index: { fields: ['title'], where: 'true -- all' } }).toString())
			.toBe('CREATE INDEX ON "article" ("title") WHERE (true -- all\n);')
	})

	it('emits nothing for a plain view, indexes materialized views', () => {
		const view = entity('V', [text('a')], { view: { sql: 'SELECT 1' } })
		const mat = entity('M', [text('a')], { view: { sql: 'SELECT 1', materialized: true } })
		expect(sqlOf(schemaOf([view]), 'createIndex', { entityName: 'V', index: { fields: ['a'] } }).isEmpty).toBe(true)
		expect(sqlOf(schemaOf([mat]), 'createIndex', { entityName: 'M', index: { fields: ['a'] } }).toString()).toBe('CREATE INDEX ON "m" ("a");')
	})
})

describe('removeIndex', () => {
	it('removes only the index with the same identity, or the one with the legacy name', () => {
		expect(apply(schema, 'removeIndex', { entityName: 'Article', fields: ['title'] }).model.entities.Article!.indexes).toEqual([{ fields: ['title'], where: "content = 'a'" }])
		expect(apply(schema, 'removeIndex', { entityName: 'Article', indexName: 'legacy_name' }).model.entities.Article!.indexes).toEqual([{ fields: ['title'], where: "content = 'a'" }])
		expect(() => apply(schema, 'removeIndex', { entityName: 'Article', fields: ['content'] })).toThrow(/not found/)
	})

	it('offline: comment only; live: the single match, a throw on ambiguity, a comment when missing', () => {
		const data = { entityName: 'Article', fields: ['title'] }
		const offline = sqlOf(schema, 'removeIndex', data)
		expect(offline.statements).toEqual([])
		expect(offline.toString()).toBe('-- drops the index on "article" (title); its name is resolved from the database at execution')
		const one = { ...emptyMetadata, indexes: [{ indexName: 'article_title_idx', tableName: 'article', columnNames: ['title'], unique: false }, { indexName: 'u', tableName: 'article', columnNames: ['title'], unique: true }] }
		expect(sqlOf(schema, 'removeIndex', data, { metadata: one }).statements).toEqual(['DROP INDEX "article_title_idx"'])
		const two = { ...emptyMetadata, indexes: [...one.indexes, { indexName: 'article_title_idx1', tableName: 'article', columnNames: ['title'], unique: false }] }
		expect(() => sqlOf(schema, 'removeIndex', data, { metadata: two })).toThrow(/article_title_idx.*article_title_idx1/)
		const none = sqlOf(schema, 'removeIndex', data, { metadata: emptyMetadata })
		expect(none.statements).toEqual([])
		expect(none.toString()).toMatch(/nothing to drop/)
	})

	it('treats metadata without a unique flag (older snapshots) as non-unique', () => {
		const metadata = { ...emptyMetadata, indexes: [{ indexName: 'idx_article_title', tableName: 'article', columnNames: ['title'] } as never] }
		expect(sqlOf(schema, 'removeIndex', { entityName: 'Article', fields: ['title'] }, { metadata }).statements).toEqual(['DROP INDEX "idx_article_title"'])
	})
})
