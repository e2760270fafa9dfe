/** executeSql, strata's hand-written SQL step: its statements, description, no effect on the schema, the file marker and the checksum. */
import { describe, expect, it } from 'vitest'
import { migrationChecksum } from '../../../../src/migrations/checksum.js'
import { parseMigration } from '../../../../src/migrations/parse.js'
import { planAmend } from '../../../../src/migrations/amend.js'
import { emptySchema } from '../../../../src/schema/model.js'
import { ddlStatements, splitSqlStatements } from '../../../../src/sql/splitStatements.js'
import { apply, describeOf, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const schema = schemaOf([entity('Post', [text('title')])])

describe('splitSqlStatements', () => {
	it('splits at each ";" outside literals, quoted names, dollar quotes and comments', () => {
		const sql = [
			`UPDATE post SET title = 'a;b' WHERE "we;ird" IS NULL;`,
			`-- a comment; still a comment`,
			`INSERT INTO log VALUES (E'it\\'s; fine');`,
			`DO $body$ BEGIN PERFORM 1; END $body$;`,
			`/* block; comment */ DELETE FROM post`,
		].join('\n')
		expect(splitSqlStatements(sql)).toEqual([
			`UPDATE post SET title = 'a;b' WHERE "we;ird" IS NULL`,
			`-- a comment; still a comment\nINSERT INTO log VALUES (E'it\\'s; fine')`,
			`DO $body$ BEGIN PERFORM 1; END $body$`,
			`/* block; comment */ DELETE FROM post`,
		])
	})

	it('drops parts holding only whitespace and comments', () => {
		expect(splitSqlStatements(';; -- nothing\n ;\n/* nor */')).toEqual([])
		expect(splitSqlStatements('SELECT 1;\n-- trailing')).toEqual(['SELECT 1'])
	})

	it('finds DDL by the first keyword, past comments', () => {
		expect(ddlStatements(['/* x */ alter table post add y int', 'UPDATE post SET title = \'drop table\'', '-- c\nCREATE INDEX ON post (title)', 'GRANT SELECT ON post TO app'])).toEqual([
			'/* x */ alter table post add y int', '-- c\nCREATE INDEX ON post (title)', 'GRANT SELECT ON post TO app',
		])
	})
})

describe('executeSql', () => {
	it('emits its statements in order and leaves the schema as it is', () => {
		expect(sqlOf(schema, 'executeSql', { sql: `UPDATE post SET title = 'x';\nDELETE FROM post WHERE title IS NULL;` }).statements).toEqual([
			`UPDATE post SET title = 'x'`, 'DELETE FROM post WHERE title IS NULL',
		])
		expect(apply(schema, 'executeSql', { sql: 'ALTER TABLE post ADD x int' })).toBe(schema)
	})

	it('is described with its statement count, as not checked by strata; DDL gets S013', () => {
		expect(describeOf(schema, 'executeSql', { sql: 'UPDATE post SET title = 1; SELECT 1' }))
			.toEqual({ message: 'Run hand-written SQL (2 statements; not checked by strata)', destructive: false, warnings: [] })
		const outside = describeOf(schema, 'executeSql', { sql: 'ALTER TABLE post ADD x int', transactional: false })
		expect(outside.message).toBe('Run hand-written SQL (1 statement, each alone outside the migration\'s transaction; not checked by strata)')
		expect(outside.warnings).toEqual([expect.objectContaining({ code: 'S013', message: expect.stringContaining('(ALTER TABLE post ADD x int)') })])
	})

	it('needs the file marker, and a statement', () => {
		const text = (modifications: object[], strata?: object) => JSON.stringify({ formatVersion: 6, modifications, ...(strata ? { strata } : {}) })
		expect(() => parseMigration('2024-01-01-100000-x', text([{ modification: 'executeSql', sql: 'SELECT 1' }])))
			.toThrow(/› \/modifications\/0: strata's extension \(a hand-written SQL step.*"strata": \{ "extensions": \["executeSql"\] \}/s)
		expect(() => parseMigration('2024-01-01-100000-x', text([{ modification: 'executeSql', sql: '  ' }], { extensions: ['executeSql'] }))).toThrow(/\/modifications\/0\/sql/)
		expect(() => parseMigration('2024-01-01-100000-x', text([{ modification: 'executeSql', sql: 'SELECT 1', transactional: 'no' }], { extensions: ['executeSql'] }))).toThrow(/\/modifications\/0\/transactional/)
		expect(parseMigration('2024-01-01-100000-x', text([{ modification: 'executeSql', sql: 'SELECT 1', down: 'SELECT 2' }], { extensions: ['executeSql'] })).modifications).toHaveLength(1)
	})

	it('its SQL is part of the checksum; transactional and down too', () => {
		const sum = (data: object) => migrationChecksum({ formatVersion: 6, modifications: [{ modification: 'executeSql', ...data }] })
		const base = sum({ sql: 'UPDATE post SET title = 1' })
		expect(sum({ sql: 'UPDATE post SET title = 2' })).not.toBe(base)
		expect(sum({ sql: 'UPDATE post SET title = 1', transactional: false })).not.toBe(base)
		expect(sum({ sql: 'UPDATE post SET title = 1', down: 'SELECT 1' })).not.toBe(base)
		expect(sum({ sql: 'UPDATE post SET title = 1' })).toBe(base)
	})

	it('a migration holding one is not amended: a fresh diff has no place for it', () => {
		const file = parseMigration('2024-01-01-100000-seed', JSON.stringify({ formatVersion: 6, modifications: [{ modification: 'executeSql', sql: 'SELECT 1' }], strata: { extensions: ['executeSql'] } }))
		expect(() => planAmend([file], emptySchema)).toThrow(/Cannot amend 2024-01-01-100000-seed: it holds hand-written SQL steps \(#0\)/)
	})

	it('takes its SQL from a file beside the migration: read when the file is parsed, held in sql, covered by the checksum', () => {
		const text = JSON.stringify({ formatVersion: 6, modifications: [{ modification: 'executeSql', file: 'backfill.sql' }], strata: { extensions: ['executeSql'] } })
		const files: Record<string, string> = { 'backfill.sql': 'UPDATE post SET title = 1;\nUPDATE post SET title = 2' }
		const readSqlFile = (name: string) => {
			if (files[name] === undefined) throw new Error('no such file')
			return files[name]!
		}
		const parsed = parseMigration('2024-01-01-100000-x', text, undefined, { readSqlFile })
		expect(parsed.modifications).toEqual([{ modification: 'executeSql', file: 'backfill.sql', sql: files['backfill.sql'] }])
		const before = parsed.checksum
		files['backfill.sql'] = 'UPDATE post SET title = 3'
		expect(parseMigration('2024-01-01-100000-x', text, undefined, { readSqlFile }).checksum).not.toBe(before)
		// the ledger's copy holds both: read back without the file
		expect(parseMigration('2024-01-01-100000-x', JSON.stringify({ formatVersion: 6, modifications: parsed.modifications, strata: { extensions: ['executeSql'] } })).modifications).toEqual(parsed.modifications)

		const fails = (modification: object, message: RegExp) => expect(() => parseMigration('2024-01-01-100000-x', JSON.stringify({ formatVersion: 6, modifications: [modification], strata: { extensions: ['executeSql'] } }), undefined, { readSqlFile })).toThrow(message)
		fails({ modification: 'executeSql', file: 'gone.sql' }, /\/modifications\/0\/file: cannot read gone\.sql beside the migration: no such file/)
		fails({ modification: 'executeSql', file: 'backfill.sql', sql: 'SELECT 1' }, /either inline \("sql"\) or in a file beside the migration \("file"\), not both/)
		fails({ modification: 'executeSql', file: '../secret.sql' }, /\/modifications\/0\/file/)
		fails({ modification: 'executeSql' }, /\/modifications\/0/)
		expect(() => parseMigration('2024-01-01-100000-x', text)).toThrow(/the SQL file backfill\.sql is not available here/)
	})
})
