/**
 * updateColumnDefinition and updateColumnName beyond the conformance cases: collations,
 * identity changes, fills, views, and the description's classification of type changes.
 */
import { describe, expect, it } from 'vitest'
import { classifyTypeChange } from '../../../../src/modifications/columns/typeChange.js'
import { WarningCode } from '../../../../src/modifications/warnings.js'
import type { Column, ColumnDefinition, Field } from '../../../../src/schema/model.js'
import { apply, describeOf, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const column = (name: string, extra: Partial<Column> = {}): Column => ({ name, columnName: name, type: 'String', columnType: 'text', nullable: true, ...extra })
const post = entity('Post', [
	text('title'),
	column('code', { collation: 'cs-x-icu', nullable: false }),
	column('counter', { type: 'Integer', columnType: 'integer', nullable: false, sequence: { precedence: 'BY DEFAULT', start: 1 } }),
	column('tags', { list: true }),
	column('price', { type: 'Numeric', columnType: 'numeric(20, 9)' }),
	{ name: 'author', type: 'ManyHasOne', target: 'Post', nullable: true, joiningColumn: { columnName: 'author_id', onDelete: 'restrict' } } as Field,
	{ name: 'children', type: 'OneHasMany', target: 'Post', ownedBy: 'author' } as Field,
])
const schema = schemaOf([post, entity('PostView', [text('title')], { view: { sql: 'SELECT 1' } })])

const update = (fieldName: string, definition: ColumnDefinition, extra: object = {}, entityName = 'Post') =>
	sqlOf(schema, 'updateColumnDefinition', { entityName, fieldName, definition, ...extra }).statements
const def = (extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ type: 'String', columnType: 'text', nullable: true, ...extra })

describe('updateColumnDefinition apply', () => {
	it('replaces the definition and keeps the names', () => {
		const result = apply(schema, 'updateColumnDefinition', { entityName: 'Post', fieldName: 'title', definition: def({ nullable: false, default: 'x' }) })
		expect(result.model.entities.Post!.fields.title).toEqual({ name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: false, default: 'x' })
	})

	it('refuses relations and missing fields', () => {
		expect(() => apply(schema, 'updateColumnDefinition', { entityName: 'Post', fieldName: 'author', definition: def() })).toThrow('is a many-has-one relation, expected a column')
		expect(() => apply(schema, 'updateColumnDefinition', { entityName: 'Post', fieldName: 'nope', definition: def() })).toThrow('Field Post::nope not found')
	})
})

describe('updateColumnDefinition SQL', () => {
	it('quotes an added collation, resets a removed one to "default" and repeats a kept one on a type change', () => {
		expect(update('title', def({ collation: 'und-x-icu' }))).toEqual(['ALTER TABLE "post" ALTER "title" SET DATA TYPE text COLLATE "und-x-icu"'])
		expect(update('code', def({ nullable: false }))).toEqual(['ALTER TABLE "post" ALTER "code" SET DATA TYPE text COLLATE "default"'])
		expect(update('code', def({ columnType: 'varchar(20)', nullable: false, collation: 'cs-x-icu' }))).toEqual([
			'ALTER TABLE "post" ALTER "code" SET DATA TYPE varchar(20) COLLATE "cs-x-icu" USING "code"::varchar(20)',
		])
		expect(update('code', def({ nullable: false, collation: 'a"b' }))).toEqual(['ALTER TABLE "post" ALTER "code" SET DATA TYPE text COLLATE "a""b"'])
	})

	it('writes nothing for metadata-only changes and for views', () => {
		expect(update('title', def({ default: 'x', typeAlias: 'Title' }))).toEqual([])
		expect(update('title', def({ nullable: false }), {}, 'PostView')).toEqual([])
	})

	it('changes, restarts and drops identities', () => {
		const integer = { type: 'Integer', columnType: 'integer', nullable: false } as const
		expect(update('counter', { ...integer, sequence: { precedence: 'ALWAYS', start: 5, restart: true } })).toEqual([
			'ALTER TABLE "post" ALTER "counter" SET GENERATED ALWAYS SET START WITH 5 RESTART',
		])
		expect(update('counter', { ...integer, sequence: { precedence: 'BY DEFAULT', start: 1 } })).toEqual([])
		expect(update('counter', { ...integer, nullable: true })).toEqual(['ALTER TABLE "post" ALTER "counter" DROP IDENTITY, ALTER "counter" DROP NOT NULL'])
	})

	it('fills NULL rows with the update strategy before SET NOT NULL, from a value or another field', () => {
		expect(update('title', def({ nullable: false }), { copyValue: 'code' })).toEqual([
			'UPDATE "post" SET "title" = "code"::text WHERE "title" IS NULL',
			'SET CONSTRAINTS ALL IMMEDIATE',
			'SET CONSTRAINTS ALL DEFERRED',
			'ALTER TABLE "post" ALTER "title" SET NOT NULL',
		])
		expect(update('title', def({ nullable: false }), { fillValue: "it's; $$ \u{1F418}" })[0]).toBe(
			`UPDATE "post" SET "title" = $pga$it's; $$ \u{1F418}$pga$ WHERE "title" IS NULL`,
		)
	})

	it('fills a Json column with JSON text', () => {
		expect(update('title', def({ type: 'Json', columnType: 'jsonb', nullable: false }), { fillValue: { a: [1] }, valueMigrationStrategy: 'using' })).toEqual([
			'ALTER TABLE "post" ALTER "title" SET DATA TYPE jsonb USING COALESCE("title"::jsonb, $pga${"a":[1]}$pga$), ALTER "title" SET NOT NULL',
		])
	})

	it('casts a list back to a scalar and re-types numerics', () => {
		expect(update('tags', def())).toEqual(['ALTER TABLE "post" ALTER "tags" SET DATA TYPE text USING "tags"::text'])
		expect(update('price', def({ type: 'Numeric', columnType: 'numeric(10, 2)' }))).toEqual([
			'ALTER TABLE "post" ALTER "price" SET DATA TYPE numeric(10, 2) USING "price"::numeric(10, 2)',
		])
	})

	it('passes a quoted table name to PG_GET_SERIAL_SEQUENCE when the name is not plain lower case', () => {
		const odd = schemaOf([entity('Odd', [column('n', { type: 'Integer', columnType: 'integer' })], { tableName: 'Odd"Table' })])
		const sql = sqlOf(odd, 'updateColumnDefinition', {
			entityName: 'Odd',
			fieldName: 'n',
			definition: { type: 'Integer', columnType: 'integer', nullable: false, sequence: { precedence: 'ALWAYS' } },
		}).statements
		expect(sql).toEqual([
			'ALTER TABLE "Odd""Table" ALTER "n" SET DATA TYPE integer USING COALESCE("n"::integer, nextval(PG_GET_SERIAL_SEQUENCE($pga$"Odd""Table"$pga$, $pga$n$pga$))), ALTER "n" SET NOT NULL, ALTER "n" ADD GENERATED ALWAYS AS IDENTITY',
		])
	})
})

describe('updateColumnDefinition describe', () => {
	const describeUpdate = (fieldName: string, definition: ColumnDefinition, extra: object = {}, created: string[] = []) =>
		describeOf(schema, 'updateColumnDefinition', { entityName: 'Post', fieldName, definition, ...extra }, created)
	const codes = (description: { warnings: readonly { code: string }[] }) => description.warnings.map(it => it.code)

	it('classifies narrowing as destructive with a reason', () => {
		const toInteger = describeUpdate('title', def({ type: 'Integer', columnType: 'integer' }))
		expect(toInteger.destructive).toBe(true)
		expect(toInteger.destructiveReason).toContain('text to integer')
		expect(codes(toInteger)).toEqual([WarningCode.typeNarrowing, WarningCode.tableRewrite])
		expect(describeUpdate('tags', def()).destructive).toBe(true)
		expect(describeUpdate('price', def({ type: 'Numeric', columnType: 'numeric(10, 2)' })).destructive).toBe(true)
	})

	it('does not flag widening, but says the table may be rewritten', () => {
		const widened = describeUpdate('price', def({ type: 'Numeric', columnType: 'numeric' }))
		expect(widened.destructive).toBe(false)
		expect(codes(widened)).toEqual([WarningCode.tableRewrite])
		expect(describeUpdate('title', def({ list: true })).destructive).toBe(false)
	})

	it('warns about NOT NULL on existing rows unless filled or the table is new', () => {
		expect(codes(describeUpdate('title', def({ nullable: false })))).toEqual([WarningCode.setNotNullMayFail])
		expect(codes(describeUpdate('title', def({ nullable: false }), { fillValue: 'x' }))).toEqual([])
		expect(codes(describeUpdate('title', def({ nullable: false }), {}, ['Post']))).toEqual([])
	})

	it('is quiet for metadata-only changes', () => {
		const description = describeUpdate('title', def({ default: 'x' }))
		expect(description).toEqual({ message: 'Update column definition of Post.title', destructive: false, warnings: [] })
	})
})

describe('classifyTypeChange', () => {
	const scalar = (type: ColumnDefinition['type'], columnType: string, list = false): ColumnDefinition => ({ type, columnType, nullable: true, list })
	it.each([
		[scalar('Integer', 'integer'), scalar('Integer', 'bigint'), 'widening'],
		[scalar('Integer', 'bigint'), scalar('Integer', 'integer'), 'narrowing'],
		[scalar('Integer', 'integer'), scalar('Double', 'double precision'), 'widening'],
		[scalar('Integer', 'bigint'), scalar('Double', 'double precision'), 'narrowing'],
		[scalar('Integer', 'integer'), scalar('Numeric', 'numeric(12, 2)'), 'widening'],
		[scalar('Integer', 'integer'), scalar('Numeric', 'numeric(5, 2)'), 'narrowing'],
		[scalar('Double', 'double precision'), scalar('Integer', 'integer'), 'narrowing'],
		[scalar('String', 'varchar(10)'), scalar('String', 'text'), 'widening'],
		[scalar('String', 'varchar(10)'), scalar('String', 'varchar(20)'), 'widening'],
		[scalar('String', 'text'), scalar('String', 'varchar(20)'), 'narrowing'],
		[scalar('Uuid', 'uuid'), scalar('String', 'text'), 'widening'],
		[scalar('Enum', 'Kind'), scalar('String', 'text'), 'widening'],
		[scalar('String', 'text'), scalar('Enum', 'Kind'), 'narrowing'],
		[scalar('Json', 'jsonb'), scalar('String', 'text'), 'widening'],
		[scalar('String', 'text'), scalar('Json', 'jsonb'), 'narrowing'],
		[scalar('Date', 'date'), scalar('DateTime', 'timestamptz'), 'widening'],
		[scalar('DateTime', 'timestamptz'), scalar('Date', 'date'), 'narrowing'],
		[scalar('DateTime', 'timestamp'), scalar('DateTime', 'timestamptz'), 'widening'],
		[scalar('String', 'text'), scalar('String', 'text', true), 'widening'],
		[scalar('String', 'text', true), scalar('String', 'text'), 'narrowing'],
		[scalar('String', 'text'), scalar('String', 'TEXT'), 'none'],
	] as const)('%j → %j is %s', (before, after, kind) => {
		expect(classifyTypeChange(before, after).kind).toBe(kind)
	})
})

describe('updateColumnName', () => {
	const rename = (fieldName: string, columnName: string) => ({ entityName: 'Post', fieldName, columnName })

	it('renames a column and a joining column', () => {
		expect(sqlOf(schema, 'updateColumnName', rename('title', 'head"line')).statements).toEqual(['ALTER TABLE "post" RENAME "title" TO "head""line"'])
		expect(sqlOf(schema, 'updateColumnName', rename('author', 'writer_id')).statements).toEqual(['ALTER TABLE "post" RENAME "author_id" TO "writer_id"'])
		const result = apply(schema, 'updateColumnName', rename('author', 'writer_id'))
		expect(result.model.entities.Post!.fields.author).toMatchObject({ joiningColumn: { columnName: 'writer_id', onDelete: 'restrict' } })
		expect(apply(schema, 'updateColumnName', rename('title', 'headline')).model.entities.Post!.fields.title).toMatchObject({ columnName: 'headline' })
	})

	it('refuses relations without a column', () => {
		expect(() => apply(schema, 'updateColumnName', rename('children', 'x'))).toThrow('one-has-many relation has no column')
		expect(() => sqlOf(schema, 'updateColumnName', rename('children', 'x'))).toThrow('has no column')
	})

	it('writes nothing for a view and warns when the primary column is renamed', () => {
		expect(sqlOf(schema, 'updateColumnName', { entityName: 'PostView', fieldName: 'title', columnName: 'x' }).isEmpty).toBe(true)
		const description = describeOf(schema, 'updateColumnName', rename('id', 'post_id'))
		expect(description.warnings.map(it => it.code)).toEqual([WarningCode.renameBreaksClients, WarningCode.renameBreaksClients])
		expect(description.warnings[1]!.message).toContain('primaryColumn')
	})
})
