/**
 * The gate in front of SQL generation (src/migrations/validated.ts) and the input it must never
 * let through: prototype member names as schema names, values JSON allows but SQL cannot hold,
 * and verbatim SQL that is not one complete statement.
 */
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../src/errors.js'
import { migrationChecksum, parseMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { describeMigration } from '../../../src/migrations/describe.js'
import { MAX_JSON_DEPTH } from '../../../src/migrations/parse.js'
import { replay } from '../../../src/migrations/replay.js'
import { validateForSql } from '../../../src/migrations/validated.js'
import type { Modification } from '../../../src/modifications/types.js'
import { validateSchema } from '../../../src/schema/validate.js'

const id = { name: 'id', columnName: 'id', columnType: 'uuid', nullable: false, type: 'Uuid' }
const createEntity = (name: string, tableName: string): Modification => ({
	modification: 'createEntity',
	entity: { eventLog: { enabled: true }, name, primary: 'id', primaryColumn: 'id', tableName, fields: { id }, unique: [], indexes: [] },
})
const createColumn = (entityName: string, name: string, field: Record<string, unknown> = {}): Modification => ({
	modification: 'createColumn', entityName, field: { name, columnName: name, columnType: 'text', nullable: true, type: 'String', ...field },
})
let counter = 0
/** parsed from JSON text, as every command reads files (JSON.parse makes `__proto__` an own key) */
const file = (modifications: readonly Modification[]): MigrationFile =>
	parseMigration(`2024-01-01-${String(100000 + counter++)}-test`, JSON.stringify({ formatVersion: 6, modifications }))

const refusal = (run: () => unknown): ValidationError => {
	try {
		run()
	} catch (error) {
		expect(error).toBeInstanceOf(ValidationError)
		return error as ValidationError
	}
	throw new Error('expected a refusal')
}

describe('prototype member names are ordinary names', () => {
	const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__']

	// an enum and an entity must not share a name, so each entity gets the next name's enum
	it.each(names.map((name, i) => [name, names[(i + 1) % names.length]!]))('entity and field named %s, enum named %s: replay, validate and generate SQL', (name, enumName) => {
		const history = [file([
			{ modification: 'createEnum', enumName, values: ['a', 'b'] },
			createEntity(name, 'things'),
			createColumn(name, name),
			createColumn(name, 'kind', { type: 'Enum', columnType: enumName, enumName }),
			createEntity('Other', 'other'),
			{ modification: 'createRelation', entityName: 'Other', owningSide: { type: 'ManyHasOne', name, target: name, joiningColumn: { columnName: 'thing_id', onDelete: 'restrict' }, nullable: true } },
			{ modification: 'updateFieldName', entityName: name, fieldName: name, newFieldName: 'renamed' },
			{ modification: 'removeField', entityName: name, fieldName: 'renamed' },
		])]
		const schema = replay(history)
		expect(Object.hasOwn(schema.model.entities, name)).toBe(true)
		expect(Object.hasOwn(schema.model.enums, enumName)).toBe(true)
		expect(Object.keys(schema.model.entities[name]!.fields).sort()).toEqual(['id', 'kind'])
		expect(validateSchema(schema)).toEqual([])
		expect(() => validateForSql(history)).not.toThrow()
		const sql = describeMigration(replay([]), history[0]!).map(step => step.sql)
		expect(sql.join('\n')).toContain(`"${name}"`)
	})

	it.each(names)('an entity named %s that does not exist is "not found", not a crash', name => {
		expect(() => replay([file([createColumn(name, 'x')])])).toThrow(/not found/i)
	})
})

describe('values JSON allows but SQL cannot hold are refused when the file is read', () => {
	const text = (modifications: string) => `{"formatVersion":6,"modifications":[${JSON.stringify(createEntity('T', 't'))},${modifications}]}`

	it('a number that overflows to Infinity (1e400), naming the modification and path', () => {
		const fill = JSON.stringify(createColumn('T', 'a', { nullable: false })).slice(0, -1)
		const error = refusal(() => parseMigration('2024-01-01-120000-inf', text(`${fill},"fillValue":1e400}`)))
		expect(error.problems[0]).toMatchObject({ file: '2024-01-01-120000-inf.json', modificationIndex: 1, path: '/modifications/1/fillValue' })
		expect(error.exitCode).toBe(1)
	})

	it('a NUL character in a name', () => {
		const error = refusal(() => parseMigration('2024-01-01-120000-nul', text(JSON.stringify(createColumn('T', 'a\u0000b')))))
		expect(error.problems[0]).toMatchObject({ modificationIndex: 1, path: expect.stringMatching(/^\/modifications\/1\/field\//) })
		expect(error.message).toMatch(/NUL/)
	})

	it('a column default nested 3,000 levels deep, before the recursive checksum sees it', () => {
		const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`
		const column = JSON.stringify(createColumn('T', 'a', { type: 'Json', columnType: 'jsonb', default: 0 })).replace('"default":0', `"default":${deep}`)
		const error = refusal(() => parseMigration('2024-01-01-120000-deep', text(column)))
		expect(error.problems[0]).toMatchObject({ modificationIndex: 1 })
		expect(error.message).toContain(`nested more than ${MAX_JSON_DEPTH} levels deep`)
	})

	it('nesting within the limit still parses and has a checksum', () => {
		const nested = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH - 10)}1${']'.repeat(MAX_JSON_DEPTH - 10)}`)
		expect(migrationChecksum({ formatVersion: 6, modifications: [{ modification: 'x', nested }] })).toMatch(/^sha256:/)
	})
})

describe('validateForSql', () => {
	it('refuses a hostile columnType naming the file, the modification and the rule', () => {
		const bad = file([createEntity('T', 't'), createColumn('T', 'a', { columnType: 'text; CREATE TABLE pwned(x int); --' })])
		const error = refusal(() => validateForSql([bad]))
		expect(error.exitCode).toBe(1)
		expect(error.problems[0]).toMatchObject({ file: `${bad.name}.json`, modificationIndex: 1, code: 'MODEL_INVALID_COLUMN_TYPE' })
		expect(error.message).toContain('createColumn')
	})

	it('catches a problem a later file removes again (the SQL of the first would still run)', () => {
		const bad = file([createEntity('T', 't'), createColumn('T', 'a', { columnName: 'c'.repeat(64) })])
		const fix = file([{ modification: 'removeField', entityName: 'T', fieldName: 'a' }])
		expect(validateSchema(replay([bad, fix]))).toEqual([])
		const error = refusal(() => validateForSql([bad, fix]))
		expect(error.problems[0]).toMatchObject({ file: `${bad.name}.json`, modificationIndex: 1, code: 'MODEL_NAME_TOO_LONG' })
	})

	it('refuses only the files it is asked about (executed ones are project:validate\'s business)', () => {
		const bad = file([createEntity('T', 't'), createColumn('T', 'a', { columnType: "text'" })])
		const next = file([createColumn('T', 'b')])
		expect(() => validateForSql([bad, next], new Set([next.name]))).not.toThrow()
		expect(refusal(() => validateForSql([bad, next], new Set([bad.name]))).problems[0]!.code).toBe('MODEL_INVALID_COLUMN_TYPE')
	})

	it('honours skippedErrors as project:validate does', () => {
		const modifications = [createEntity('T', 't'), createColumn('T', 'a', { columnType: 'not a type!' })]
		const skipped = parseMigration('2024-01-01-130000-skip', JSON.stringify({ formatVersion: 6, modifications, skippedErrors: [{ code: 'MODEL_INVALID_COLUMN_TYPE' }] }))
		expect(() => validateForSql([skipped])).not.toThrow()
	})

	it.each([
		['view body with a second statement', { sql: 'SELECT 1 AS id; CREATE TABLE pwned(x int)' }, 'SQL_MULTIPLE_STATEMENTS'],
		['view body with an unterminated quote', { sql: "SELECT 'x AS id" }, 'SQL_UNTERMINATED'],
		['view body with an unterminated dollar quote', { sql: 'SELECT $a$x AS id' }, 'SQL_UNTERMINATED'],
	])('refuses a %s', (_label, view, code) => {
		const entity = { ...(createEntity('V', 'v').entity as object), view }
		const error = refusal(() => validateForSql([file([{ modification: 'createView', entity }])]))
		expect(error.problems.map(problem => problem.code)).toContain(code)
		expect(error.problems[0]).toMatchObject({ modificationIndex: 0 })
	})

	it('accepts a view body with a trailing ; and ; inside quotes and comments', () => {
		const entity = { ...(createEntity('V', 'v').entity as object), view: { sql: "SELECT ';' AS id -- a ; here\n;" } }
		expect(() => validateForSql([file([{ modification: 'createView', entity }])])).not.toThrow()
	})

	it('refuses an index predicate with an unterminated quote', () => {
		const history = file([createEntity('T', 't'), createColumn('T', 'a'), { modification: 'createIndex', entityName: 'T', index: { fields: ['a'], where: "a <> 'x" } }])
		expect(refusal(() => validateForSql([history])).problems[0]).toMatchObject({ modificationIndex: 2, code: 'SQL_UNTERMINATED' })
	})
})
