/**
 * Hostile-input table for src/sql/quote.ts, proven on a real PostgreSQL: every quoted name
 * creates exactly the object it names, every literal round-trips its exact value, and nothing
 * else runs. Statements go through the simple query protocol (several statements per call are
 * allowed there, so a break-out would execute) and, as a script, through psql itself.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JsonValue } from '../../../src/schema/model.js'
import { sqlEndState } from '../../../src/sql/builder.js'
import { dollarQuote, quoteIdentifier, quoteLiteral, quoteString } from '../../../src/sql/quote.js'
import { createScratchDatabase, releaseScratchServer, type ScratchDatabase } from '../../helpers/sqlrunDatabase.js'
import { hostileIdentifiers, hostileStrings } from './hostileInputs.js'

let db: ScratchDatabase
beforeAll(async () => {
	db = await createScratchDatabase('quote')
})
afterAll(async () => {
	await db?.close()
	await releaseScratchServer()
})

const pwnedTables = async () =>
	(await db.client.query(`SELECT relname FROM pg_class WHERE relname LIKE 'pwned%'`)).rows.map(row => row.relname as string)

/** runs a script through the simple query protocol and checks it was exactly one statement */
const single = async (sql: string) => {
	const result = await db.client.query(sql)
	expect(Array.isArray(result), `more than one statement ran: ${sql}`).toBe(false)
	return result
}

describe('quoteIdentifier', () => {
	it('doubles quotes and refuses NUL', () => {
		expect(quoteIdentifier('a"b')).toBe('"a""b"')
		expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/)
	})

	it.each(hostileIdentifiers)('creates, finds and drops exactly %j', async name => {
		const ident = quoteIdentifier(name)
		expect(sqlEndState(ident)).toBe('top')
		await single(`CREATE TABLE ${ident} (${ident} text, "other" ${'text'})`)
		const table = await db.client.query(`SELECT c.oid, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 WHERE c.relname = $1 ORDER BY a.attnum`, [name])
		expect(table.rows.map(row => row.attname)).toEqual([name, 'other'])
		await single(`CREATE INDEX ON ${ident} (${ident})`)
		await single(`ALTER TABLE ${ident} RENAME ${ident} TO ${quoteIdentifier(`${name.slice(0, 50)}_r`)}`)
		await single(`DROP TABLE ${ident}`)
		expect(await pwnedTables()).toEqual([])
	})
})

describe('string literals round-trip their exact value', () => {
	const routines: [string, (value: string) => string][] = [
		['quoteString', quoteString],
		['dollarQuote', dollarQuote],
		['quoteLiteral', value => quoteLiteral(value)],
	]
	for (const [label, quote] of routines) {
		it.each(hostileStrings)(`${label}(%j)`, async value => {
			const literal = quote(value)
			expect(sqlEndState(literal)).toBe('top')
			const result = await single(`SELECT ${literal}::text AS v, ${literal}::text AS w`)
			expect(result.rows).toEqual([{ v: value, w: value }])
			expect(await pwnedTables()).toEqual([])
		})
	}

	it('keeps meaning under standard_conforming_strings = off (backslashes force E-strings)', async () => {
		await db.client.query('SET standard_conforming_strings = off')
		try {
			for (const value of hostileStrings) {
				const result = await single(`SELECT ${quoteString(value)}::text AS v, ${dollarQuote(value)}::text AS w`)
				expect(result.rows).toEqual([{ v: value, w: value }])
			}
		} finally {
			await db.client.query('SET standard_conforming_strings = on')
		}
	})

	it('dollarQuote never lets the text close the quote, even text ending in a tag prefix', () => {
		expect(dollarQuote('x$pga')).toBe('$pga1$x$pga$pga1$')
		expect(dollarQuote('$pga$ and x$pga1')).toBe('$pga2$$pga$ and x$pga1$pga2$')
		for (const value of hostileStrings) {
			const literal = dollarQuote(value)
			const tag = /^\$[a-z0-9]+\$/.exec(literal)![0]
			expect(literal.indexOf(tag, tag.length)).toBe(literal.length - tag.length)
		}
	})

	it('refuses NUL, which PostgreSQL text cannot hold', () => {
		expect(() => quoteString('a\0')).toThrow(/NUL/)
		expect(() => dollarQuote('a\0')).toThrow(/NUL/)
		expect(() => quoteLiteral('a\0')).toThrow(/NUL/)
	})
})

describe('quoteLiteral of non-string values', () => {
	const cases: [JsonValue, string, unknown][] = [
		[null, 'text', null],
		[0, 'numeric', '0'],
		[-1, 'integer', -1],
		[0.3333333333333333, 'double precision', 0.3333333333333333],
		[1e21, 'numeric', '1000000000000000000000'],
		[-1.5e-7, 'double precision', -1.5e-7],
		[Number.MAX_SAFE_INTEGER, 'bigint', String(Number.MAX_SAFE_INTEGER)],
		[true, 'boolean', true],
		[false, 'boolean', false],
		[['a', "b'c", '$pga$', 'x$pga'], 'text[]', ['a', "b'c", '$pga$', 'x$pga']],
		[[1, 2, 3], 'integer[]', [1, 2, 3]],
		[[], 'text[]', []],
		[[], 'integer[]', []],
	]
	it.each(cases)('%j as %s', async (value, type, expected) => {
		const result = await single(`SELECT (${quoteLiteral(value)})::${type} AS v`)
		expect(result.rows).toEqual([{ v: expected }])
	})

	it('an empty array takes the type of the column it is assigned to', async () => {
		await single('CREATE TABLE arrays (a text[], b integer[])')
		await single(`INSERT INTO arrays VALUES (${quoteLiteral([])}, ${quoteLiteral([])})`)
		await single(`UPDATE arrays SET a = COALESCE(a, ${quoteLiteral([])}), b = ${quoteLiteral([])}`)
		expect((await db.client.query('SELECT * FROM arrays')).rows).toEqual([{ a: [], b: [] }])
	})

	it('objects are written as JSON text, hostile keys and values included', async () => {
		const value = { "a'": '$pga$', 'b"': ['x$pga', "'; CREATE TABLE pwned_json(); --"], c: { d: null, e: 1.5 } }
		const result = await single(`SELECT (${quoteLiteral(value)})::jsonb AS v`)
		expect(result.rows).toEqual([{ v: value }])
	})

	it('refuses values that have no SQL literal', () => {
		expect(() => quoteLiteral(Number.NaN)).toThrow()
		expect(() => quoteLiteral(Number.POSITIVE_INFINITY)).toThrow()
	})
})

describe('as a psql script (what a reviewer pipes into psql)', () => {
	it('psql -v ON_ERROR_STOP=1 creates every name and stores every value exactly', async () => {
		const lines = ['CREATE TABLE psql_values (i integer, q text, d text, l text);']
		hostileStrings.forEach((value, i) => {
			lines.push(`INSERT INTO psql_values VALUES (${i}, ${quoteString(value)}, ${dollarQuote(value)}, ${quoteLiteral(value)});`)
		})
		hostileIdentifiers.forEach(name => {
			lines.push(`CREATE TABLE ${quoteIdentifier(name)} (${quoteIdentifier(name)} text);`)
		})
		const dir = mkdtempSync(join(tmpdir(), 'strata-quote-'))
		const file = join(dir, 'script.sql')
		writeFileSync(file, `${lines.join('\n')}\n`)
		const run = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'psqlvar=INJECTED', '-d', db.url, '-f', file], { encoding: 'utf8' })
		expect(run.stderr).toBe('')
		expect(run.status).toBe(0)
		const rows = (await db.client.query('SELECT i, q, d, l FROM psql_values ORDER BY i')).rows
		expect(rows).toEqual(hostileStrings.map((value, i) => ({ i, q: value, d: value, l: value })))
		const tables = (await db.client.query(`SELECT relname FROM pg_class WHERE relname = ANY($1)`, [hostileIdentifiers])).rows.map(row => row.relname)
		expect(new Set(tables)).toEqual(new Set(hostileIdentifiers))
		expect(await pwnedTables()).toEqual([])
	})
})
