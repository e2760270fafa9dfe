/**
 * createColumn beyond the conformance cases: JSON fill values, hostile names and values,
 * collations, copyValue resolution, views, and the description's warnings.
 */
import { describe, expect, it } from 'vitest'
import { fillLiteral } from '../../../../src/modifications/columns/columnSql.js'
import { WarningCode } from '../../../../src/modifications/warnings.js'
import type { Column, JsonValue } from '../../../../src/schema/model.js'
import { splitStatements } from '../../../helpers/sqlNormalize.js'
import { hostileIdentifiers, hostileStrings } from '../../sql/hostileInputs.js'
import { apply, describeOf, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const author = entity('Author', [text('email', 'email_address')])
const schema = schemaOf([author, entity('AuthorStats', [], { view: { sql: 'SELECT 1' } })])

const column = (extra: Partial<Column> = {}): Column => ({ name: 'name', columnName: 'name', type: 'String', columnType: 'text', nullable: false, ...extra })
const statements = (data: object, on = schema) => sqlOf(on, 'createColumn', { entityName: 'Author', ...data }).statements

/** the text inside a `$tag$…$tag$` literal */
const undollar = (literal: string): string => {
	const tag = /^\$[A-Za-z0-9_]*\$/.exec(literal)![0]
	expect(literal.endsWith(tag)).toBe(true)
	return literal.slice(tag.length, literal.length - tag.length)
}

describe('createColumn apply', () => {
	it('stores the field exactly as given, legacy keys included', () => {
		const field = { ...column({ type: 'Enum', columnType: 'AuthorKind' }), enumName: 'AuthorKind' }
		const result = apply(schema, 'createColumn', { entityName: 'Author', field })
		expect(result.model.entities.Author!.fields.name).toEqual(field)
		expect(schema.model.entities.Author!.fields.name).toBeUndefined()
	})

	it('fails for an unknown entity', () => {
		expect(() => apply(schema, 'createColumn', { entityName: 'Nope', field: column() })).toThrow('Entity Nope not found')
	})
})

describe('createColumn SQL', () => {
	it('writes JSON fill values of Json columns as JSON text (Contember writes an empty string)', () => {
		const json = column({ name: 'meta', columnName: 'meta', type: 'Json', columnType: 'jsonb' })
		expect(statements({ field: json, fillValue: { a: 1 } })).toEqual([
			'ALTER TABLE "author" ADD "meta" jsonb',
			'UPDATE "author" SET "meta" = $pga${"a":1}$pga$',
			'SET CONSTRAINTS ALL IMMEDIATE',
			'SET CONSTRAINTS ALL DEFERRED',
			'ALTER TABLE "author" ALTER "meta" SET NOT NULL',
		])
		expect(statements({ field: json, fillValue: [1, 'x'], valueMigrationStrategy: 'using' })).toEqual([
			'ALTER TABLE "author" ADD "meta" jsonb',
			'ALTER TABLE "author" ALTER "meta" SET DATA TYPE jsonb USING $pga$[1,"x"]$pga$, ALTER "meta" SET NOT NULL',
		])
	})

	it.each([
		[{ a: 1 }, '{"a":1}'],
		[[], '[]'],
		[3, '3'],
		[true, 'true'],
		[null, 'null'],
		['{"already":"json"}', '{"already":"json"}'],
		['"quoted"', '"quoted"'],
		['plain words', '"plain words"'],
	] as const)('Json fill value %j is the JSON document %s', (value, document) => {
		expect(undollar(fillLiteral({ type: 'Json' }, value as JsonValue))).toBe(document)
	})

	it('keeps Contember literals for other types', () => {
		expect(fillLiteral({ type: 'String' }, 'x')).toBe('$pga$x$pga$')
		expect(fillLiteral({ type: 'Integer' }, 0)).toBe('0')
		expect(fillLiteral({ type: 'Bool' }, false)).toBe('false')
		expect(fillLiteral({ type: 'String', list: true }, ['a', 'b'])).toBe('ARRAY[$pga$a$pga$,$pga$b$pga$]')
	})

	it.each(hostileStrings)('a hostile fill value %j stays one literal', value => {
		const sql = sqlOf(schema, 'createColumn', { entityName: 'Author', field: column(), fillValue: value }).toString()
		const parts = splitStatements(sql)
		expect(parts).toHaveLength(5)
		const literal = /^UPDATE "author" SET "name" = (.*)$/s.exec(parts[1]!)![1]!
		expect(undollar(literal)).toBe(value)
	})

	it.each(hostileIdentifiers)('a hostile column name %j is one quoted identifier', name => {
		const sql = sqlOf(schema, 'createColumn', { entityName: 'Author', field: column({ name: 'x', columnName: name }) }).toString()
		expect(splitStatements(sql)).toEqual([`ALTER TABLE "author" ADD "${name.replace(/"/g, '""')}" text NOT NULL`])
	})

	it('quotes collations, and repeats them when the using strategy re-types the column', () => {
		const field = column({ collation: 'cs-x-icu' })
		expect(statements({ field })).toEqual(['ALTER TABLE "author" ADD "name" text COLLATE "cs-x-icu" NOT NULL'])
		expect(statements({ field, fillValue: 'x', valueMigrationStrategy: 'using' })).toEqual([
			'ALTER TABLE "author" ADD "name" text COLLATE "cs-x-icu"',
			'ALTER TABLE "author" ALTER "name" SET DATA TYPE text COLLATE "cs-x-icu" USING $pga$x$pga$, ALTER "name" SET NOT NULL',
		])
	})

	it('copies from the column of the named field, cast to the new type', () => {
		expect(statements({ field: column({ nullable: true }), copyValue: 'email' })).toEqual([
			'ALTER TABLE "author" ADD "name" text',
			'UPDATE "author" SET "name" = "email_address"::text',
			'SET CONSTRAINTS ALL IMMEDIATE',
			'SET CONSTRAINTS ALL DEFERRED',
		])
		expect(() => statements({ field: column(), copyValue: 'missing' })).toThrow('Field Author::missing not found')
	})

	it('writes enum, list and identity columns', () => {
		expect(statements({ field: column({ type: 'Enum', columnType: 'Kind"s', list: true, nullable: true }) })).toEqual([
			'ALTER TABLE "author" ADD "name" "Kind""s"[]',
		])
		expect(statements({ field: column({ type: 'Integer', columnType: 'integer', sequence: { precedence: 'ALWAYS', start: 100 } }) })).toEqual([
			'ALTER TABLE "author" ADD "name" integer NOT NULL GENERATED ALWAYS AS IDENTITY (START WITH 100)',
		])
	})

	it('writes nothing for a view', () => {
		expect(sqlOf(schema, 'createColumn', { entityName: 'AuthorStats', field: column() }).isEmpty).toBe(true)
	})
})

describe('createColumn describe', () => {
	const codes = (data: object, created: string[] = []) =>
		describeOf(schema, 'createColumn', { entityName: 'Author', ...data }, created).warnings.map(it => it.code)

	it('warns about NOT NULL without a fill value on an existing table only', () => {
		expect(codes({ field: column() })).toEqual([WarningCode.notNullWithoutFill])
		expect(codes({ field: column() }, ['Author'])).toEqual([])
		expect(codes({ field: column(), fillValue: 'x' })).toEqual([])
		expect(codes({ field: column({ nullable: true }) })).toEqual([])
	})

	it('warns about the rewrite of the using strategy and of identity columns', () => {
		expect(codes({ field: column(), fillValue: 'x', valueMigrationStrategy: 'using' })).toEqual([WarningCode.tableRewrite])
		expect(codes({ field: column({ type: 'Integer', columnType: 'integer', sequence: { precedence: 'ALWAYS' } }) })).toEqual([WarningCode.tableRewrite])
	})

	it('is never destructive and names the column', () => {
		const description = describeOf(schema, 'createColumn', { entityName: 'Author', field: column() })
		expect(description.destructive).toBe(false)
		expect(description.message).toContain('Author.name')
		expect(description.message).toContain('"name" text NOT NULL')
	})
})
