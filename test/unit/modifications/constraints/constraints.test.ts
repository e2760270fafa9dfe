import { describe, expect, it } from 'vitest'
import { apply, describeOf, emptyMetadata, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const author = entity('Author', [text('email'), text('name')], {
	unique: [{ fields: ['email'], name: 'unique_Author_email_1' }, { fields: ['name'], index: true }],
	indexes: [{ fields: ['name'], name: 'idx_name' }],
})
const schema = schemaOf([author])

describe('removeUniqueConstraint', () => {
	it('resolves by fields, by unique (ignoring legacy names) and by legacy constraintName', () => {
		const expected = [{ fields: ['name'], index: true }]
		expect(apply(schema, 'removeUniqueConstraint', { entityName: 'Author', fields: ['email'] }).model.entities.Author!.unique).toEqual(expected)
		expect(apply(schema, 'removeUniqueConstraint', { entityName: 'Author', unique: { fields: ['email'] } }).model.entities.Author!.unique).toEqual(expected)
		expect(apply(schema, 'removeUniqueConstraint', { entityName: 'Author', constraintName: 'unique_Author_email_1' }).model.entities.Author!.unique).toEqual(expected)
		expect(() => apply(schema, 'removeUniqueConstraint', { entityName: 'Author', fields: ['nope'] })).toThrow(/not found/)
	})

	it('offline: a comment naming table and columns, no statement', () => {
		const sql = sqlOf(schema, 'removeUniqueConstraint', { entityName: 'Author', fields: ['email'] })
		expect(sql.statements).toEqual([])
		expect(sql.toString()).toMatch(/^-- drops the unique constraint on "author" \(email\); its name is resolved from the database at execution$/)
	})

	it('live: drops every matching constraint / unique index by its real name, quoted', () => {
		const metadata = {
			...emptyMetadata,
			uniqueConstraints: [{ constraintName: 'author_email_key', tableName: 'author', columnNames: ['email'], deferrable: false, deferred: false }],
			indexes: [{ indexName: 'we"ird', tableName: 'author', columnNames: ['name'], unique: true }],
		}
		expect(sqlOf(schema, 'removeUniqueConstraint', { entityName: 'Author', fields: ['email'] }, { metadata }).statements).toEqual(['ALTER TABLE "author" DROP CONSTRAINT "author_email_key"'])
		expect(sqlOf(schema, 'removeUniqueConstraint', { entityName: 'Author', fields: ['name'] }, { metadata }).statements).toEqual(['DROP INDEX "we""ird"'])
	})
})

describe('createUniqueConstraint', () => {
	it('maps relation fields to their joining column', () => {
		const post = entity('Post', [{ name: 'author', type: 'ManyHasOne', target: 'Author', joiningColumn: { columnName: 'author_id', onDelete: 'restrict' }, nullable: true }, text('slug')])
		expect(sqlOf(schemaOf([author, post]), 'createUniqueConstraint', { entityName: 'Post', unique: { fields: ['author', 'slug'] } }).toString())
			.toBe('ALTER TABLE "post" ADD UNIQUE ("author_id", "slug");')
	})

	it('warns S002 only for entities not created in the same migration', () => {
		expect(describeOf(schema, 'createUniqueConstraint', { entityName: 'Author', unique: { fields: ['name'] } }).warnings.map(it => it.code)).toEqual(['S002'])
		expect(describeOf(schema, 'createUniqueConstraint', { entityName: 'Author', unique: { fields: ['name'] } }, ['Author']).warnings).toEqual([])
	})
})

describe('removeIndexNames', () => {
	it('strips names of uniques and indexes everywhere', () => {
		const result = apply(schema, 'removeIndexNames', {}).model.entities.Author!
		expect(result.unique).toEqual([{ fields: ['email'] }, { fields: ['name'], index: true }])
		expect(result.indexes).toEqual([{ fields: ['name'] }])
	})
})

describe('hostile names in constraint SQL', () => {
	it('quotes table and column names of uniques and unique indexes', () => {
		const weird = entity('W', [text('a', 'c"); DROP TABLE x; --')], { tableName: 'w"t' })
		expect(sqlOf(schemaOf([weird]), 'createUniqueConstraint', { entityName: 'W', unique: { fields: ['a'] } }).toString())
			.toBe('ALTER TABLE "w""t" ADD UNIQUE ("c""); DROP TABLE x; --");')
		expect(sqlOf(schemaOf([weird]), 'createUniqueConstraint', { entityName: 'W', unique: { fields: ['a'], index: true, method: 'hash' } }).toString())
			.toBe('CREATE UNIQUE INDEX ON "w""t" USING hash ("c""); DROP TABLE x; --");')
	})

	it('an offline comment cannot end the comment line early', () => {
		const weird = entity('W', [text('a', 'x\nDROP TABLE y')], { tableName: 'w' })
		const sql = sqlOf(schemaOf([{ ...weird, unique: [{ fields: ['a'] }] }]), 'removeUniqueConstraint', { entityName: 'W', fields: ['a'] })
		expect(sql.statements).toEqual([])
		expect(sql.toString().split('\n').every(line => line.startsWith('-- '))).toBe(true)
	})
})
