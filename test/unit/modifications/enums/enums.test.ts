import { describe, expect, it } from 'vitest'
import type { Field } from '../../../../src/schema/model.js'
import { apply, describeOf, entity, schemaOf, sqlOf } from '../entities/fixtures.js'

const status = (list = false): Field => ({ name: list ? 'statuses' : 'status', columnName: list ? 'statuses' : 'status', type: 'Enum', columnType: 'Status', nullable: true, ...(list ? { list: true } : {}) })
const withEnum = (fields: Field[]) => {
	const schema = schemaOf([entity('Post', fields)])
	return { ...schema, model: { ...schema.model, enums: { Status: ['draft', 'published'] } } }
}

describe('enums', () => {
	it('createEnum quotes values as string literals, with backslashes as E-strings', () => {
		expect(sqlOf(schemaOf([]), 'createEnum', { enumName: 'Q"x', values: ["it's", 'a\\b'] }).toString())
			.toBe(`CREATE DOMAIN "Q""x" AS text CONSTRAINT "q""x_check" CHECK (VALUE IN('it''s',E'a\\\\b'));`)
	})

	it('updateEnum replaces the check; a hostile name quotes the constraint too', () => {
		expect(sqlOf(withEnum([status()]), 'updateEnum', { enumName: 'Status', values: ['a'] }).statements).toEqual([
			'ALTER DOMAIN "Status" DROP CONSTRAINT status_check',
			"ALTER DOMAIN \"Status\" ADD CONSTRAINT status_check CHECK (VALUE IN('a'))",
		])
		const hostile = { ...schemaOf([]), model: { entities: {}, enums: { 'A B': ['x'] } } }
		expect(sqlOf(hostile, 'updateEnum', { enumName: 'A B', values: ['y'] }).statements[0]).toBe('ALTER DOMAIN "A B" DROP CONSTRAINT "a b_check"')
	})

	it('updateEnum recreates the domain when a list column uses it', () => {
		expect(sqlOf(withEnum([status(), status(true)]), 'updateEnum', { enumName: 'Status', values: ['a'] }).statements).toEqual([
			'ALTER DOMAIN "Status" RENAME TO "Status__old"',
			"CREATE DOMAIN \"Status\" AS text CONSTRAINT \"status_check\" CHECK (VALUE IN('a'))",
			'ALTER TABLE "post" ALTER "status" SET DATA TYPE "Status"',
			'ALTER TABLE "post" ALTER "statuses" SET DATA TYPE "Status"[]',
			'DROP DOMAIN "Status__old"',
		])
	})

	it('removing values is destructive with S003; adding is not', () => {
		const removing = describeOf(withEnum([status()]), 'updateEnum', { enumName: 'Status', values: ['draft'] })
		expect(removing).toMatchObject({ destructive: true })
		expect(removing.warnings.map(it => it.code)).toEqual(['S003'])
		expect(describeOf(withEnum([status()]), 'updateEnum', { enumName: 'Status', values: ['draft', 'published', 'x'] })).toMatchObject({ destructive: false, warnings: [] })
		expect(describeOf(withEnum([status(true)]), 'updateEnum', { enumName: 'Status', values: ['draft', 'published', 'x'] }).warnings.map(it => it.code)).toEqual(['S004'])
	})

	it('removeEnum is destructive and warns while columns use it', () => {
		const description = describeOf(withEnum([status()]), 'removeEnum', { enumName: 'Status' })
		expect(description).toMatchObject({ destructive: true })
		expect(description.warnings.map(it => it.code)).toEqual(['S009'])
		expect(apply(withEnum([]), 'removeEnum', { enumName: 'Status' }).model.enums).toEqual({})
		expect(() => apply(withEnum([]), 'removeEnum', { enumName: 'Nope' })).toThrow(/not found/)
	})
})
