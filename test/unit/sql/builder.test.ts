/**
 * SqlBuilder with hostile statements and comments: the script it prints has exactly the
 * statements it was given, on a real PostgreSQL and through psql. Verbatim SQL that ends in a
 * line comment keeps its terminator; SQL that ends inside a quote is refused.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqlBuilder, sqlEndState } from '../../../src/sql/builder.js'
import { dollarQuote, quoteIdentifier, quoteString } from '../../../src/sql/quote.js'
import { conformanceDir, loadConformanceCases } from '../../helpers/conformance.js'
import { createScratchDatabase, releaseScratchServer, type ScratchDatabase } from '../../helpers/sqlrunDatabase.js'
import { hostileIdentifiers, hostileStrings } from './hostileInputs.js'

let db: ScratchDatabase
beforeAll(async () => {
	db = await createScratchDatabase('builder')
})
afterAll(async () => {
	await db?.close()
	await releaseScratchServer()
})

const pwnedTables = async () =>
	(await db.client.query(`SELECT relname FROM pg_class WHERE relname LIKE 'pwned%'`)).rows.map(row => row.relname as string)

const runPsql = (script: string) => {
	const file = join(mkdtempSync(join(tmpdir(), 'strata-builder-')), 'script.sql')
	writeFileSync(file, script)
	return spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', file], { encoding: 'utf8' })
}

describe('sqlEndState', () => {
	const table: [string, ReturnType<typeof sqlEndState>][] = [
		['SELECT 1', 'top'],
		['SELECT 1 -- trailing', 'line-comment'],
		['SELECT 1 -- comment\r SELECT 2', 'top'],
		["SELECT '--'", 'top'],
		["SELECT 'it''s'", 'top'],
		["SELECT 'unterminated", 'string'],
		["SELECT E'\\''", 'top'],
		["SELECT E'\\'", 'string'],
		["SELECT e'a\\\\'", 'top'],
		["SELECT 'a\\'", 'top'], // standard string: backslash is not an escape
		["SELECT xe'a\\'", 'top'], // identifier ending in e, not an E-string prefix
		['SELECT "a""b"', 'top'],
		['SELECT "unterminated', 'identifier'],
		['SELECT $$a$$', 'top'],
		['SELECT $pga$a$pga$', 'top'],
		['SELECT $pga$a$pga', 'dollar'],
		['SELECT $pga1$ $pga$ $pga1$', 'top'],
		['SELECT a$pga$ FROM t', 'top'], // `$` inside an identifier does not open a quote
		['SELECT $1', 'top'],
		['SELECT /* a /* nested */ still comment */ 1', 'top'],
		['SELECT /* a /* nested */ 1', 'block-comment'],
		['SELECT 1 /* -- */', 'top'],
		["SELECT '/*'", 'top'],
	]
	it.each(table)('%j → %s', (sql, state) => {
		expect(sqlEndState(sql)).toBe(state)
	})

	it('every statement of every conformance case and history ends at top level', () => {
		const scripts: string[] = []
		for (const { cases } of loadConformanceCases()) for (const it of cases) if (it.sql) scripts.push(it.sql)
		const histories = join(conformanceDir, 'histories')
		for (const history of readdirSync(histories, { withFileTypes: true }).filter(it => it.isDirectory())) {
			const dir = join(histories, history.name, 'expected-sql')
			for (const file of readdirSync(dir)) scripts.push(readFileSync(join(dir, file), 'utf8'))
		}
		expect(scripts.length).toBeGreaterThan(300)
		expect(scripts.filter(script => sqlEndState(script) !== 'top')).toEqual([])
	})
})

describe('SqlBuilder', () => {
	it('terminates each statement once and drops an explicit trailing `;`', () => {
		const builder = new SqlBuilder().statement('SELECT 1;').statement('  SELECT 2  ').statement('').statement(';')
		expect(builder.statements).toEqual(['SELECT 1', 'SELECT 2'])
		expect(builder.toString()).toBe('SELECT 1;\nSELECT 2;')
	})

	it('puts the terminator of a statement ending in a line comment on its own line', () => {
		const builder = new SqlBuilder().statement('CREATE VIEW v AS SELECT 1 AS a -- the answer').statement('SELECT 2')
		expect(builder.toString()).toBe('CREATE VIEW v AS SELECT 1 AS a -- the answer\n;\nSELECT 2;')
	})

	it('refuses SQL that ends inside a quote or block comment, naming it', () => {
		expect(() => new SqlBuilder().statement("CREATE VIEW v AS SELECT 'a")).toThrow(/unterminated string.*CREATE VIEW v/)
		expect(() => new SqlBuilder().statement('SELECT $pga$a')).toThrow(/unterminated dollar/)
		expect(() => new SqlBuilder().statement('SELECT 1 /* no end')).toThrow(/unterminated block comment/)
		expect(() => new SqlBuilder().statement('SELECT "a')).toThrow(/unterminated identifier/)
	})

	it('writes every line of a comment as its own `--` line, whatever the line ending', () => {
		const builder = new SqlBuilder().comment('one\ntwo\r\nthree\rfour')
		expect(builder.toString()).toBe('-- one\n-- two\n-- three\n-- four')
		expect(builder.statements).toEqual([])
	})

	it('runs hostile statements and comments as exactly the statements given (pg and psql)', async () => {
		const build = (suffix: string) => {
			const builder = new SqlBuilder()
			builder.comment(`resolved at execution\rCREATE TABLE pwned_comment_${suffix}()`)
			builder.comment(`*/ CREATE TABLE pwned_comment2_${suffix}(); /*`)
			builder.statement(`CREATE TABLE ${quoteIdentifier(`values_${suffix}`)} (i integer, v text)`)
			hostileStrings.forEach((value, i) => {
				builder.comment(value)
				builder.statement(`INSERT INTO ${quoteIdentifier(`values_${suffix}`)} VALUES (${i}, ${i % 2 ? quoteString(value) : dollarQuote(value)}) -- ${value.replace(/[\r\n]/g, ' ')}`)
			})
			hostileIdentifiers.forEach(name => {
				builder.statement(`CREATE TABLE ${quoteIdentifier(`${suffix}${name}`.slice(0, 63))} (${quoteIdentifier(name)} text) -- trailing`)
			})
			builder.statement(`CREATE VIEW ${quoteIdentifier(`view_${suffix}`)} AS SELECT 1 AS one -- a view body pasted verbatim`)
			return builder
		}
		const viaPg = build('pg')
		const results = await db.client.query(viaPg.toString())
		expect(results).toHaveLength(viaPg.statements.length)

		const viaPsql = build('psql')
		const run = runPsql(`${viaPsql.toString()}\n`)
		expect(run.stderr).toBe('')
		expect(run.status).toBe(0)

		for (const suffix of ['pg', 'psql']) {
			const rows = (await db.client.query(`SELECT i, v FROM ${quoteIdentifier(`values_${suffix}`)} ORDER BY i`)).rows
			expect(rows).toEqual(hostileStrings.map((v, i) => ({ i, v })))
			expect((await db.client.query(`SELECT * FROM ${quoteIdentifier(`view_${suffix}`)}`)).rows).toEqual([{ one: 1 }])
		}
		expect(await pwnedTables()).toEqual([])
	})
})
