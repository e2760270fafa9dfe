/**
 * 200 generated malformed or hostile migration files (truncated JSON, wrong types, unknown ids,
 * enormous names, quotes, `$$`, semicolons, unicode, SQL keywords in names and fill values):
 * each gets a clear error (a StrataError, exit 1 naming the file, no stack trace) or executes safely; the
 * database is unchanged by every refused one, and nothing outside the migration is touched.
 */
import type pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { StrataError } from '../../../src/errors.js'
import { executeMigrations } from '../../../src/db/executor.js'
import { parseMigration } from '../../../src/migrations/files.js'
import { recordAdversarial } from '../../helpers/adversarial.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli } from '../db/cli.js'
import { createColumn, createEntity, migrationText, projectWith } from '../db/fixtures.js'

const db = useTestDatabase('hostile')

const NASTY = [
	`x"; DROP TABLE sentinel.victim; --`, `'; DROP TABLE sentinel.victim; --`, '$$', '$pga$', 'a$pga$;DROP TABLE sentinel.victim;$pga$',
	'select', 'table', 'user', 'order', 'drop', 'Ünïcödé_名前', '😀', 'a\nb', 'a\u0000b', ' ', '', '"', '""', 'a"b', `\\`, 'x;y', '--', '/*', 'end;',
	'A'.repeat(64), 'B'.repeat(10_000),
]

/** deterministic pseudo-random numbers, so a failure can be reproduced */
const random = (() => {
	let seed = 20240601
	return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
})()
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!

const generate = (): { label: string; text: string }[] => {
	const cases: { label: string; text: string }[] = []
	const valid = migrationText([createEntity('Thing', 'thing'), createColumn('Thing', 'title')])
	for (let i = 0; i < 30; i++) cases.push({ label: `truncated-${i}`, text: valid.slice(0, Math.floor(random() * (valid.length - 1))) })
	const wrongTypes: unknown[] = [
		{ formatVersion: '6', modifications: [] }, { formatVersion: 6, modifications: {} }, { formatVersion: 6 }, { modifications: [] },
		{ formatVersion: 6, modifications: [5] }, { formatVersion: 6, modifications: [{ modification: 5 }] }, { formatVersion: 6, modifications: [null] },
		{ formatVersion: 6, modifications: [{ modification: 'createEntity', entity: [] }] }, { formatVersion: 6, modifications: [{ modification: 'createEntity' }] },
		{ formatVersion: 6, modifications: [{ modification: 'createColumn', entityName: 5, field: {} }] }, { formatVersion: -1, modifications: [] },
		{ formatVersion: 999, modifications: [] }, { formatVersion: 1.5, modifications: [] }, null, [], 'text', 42, true,
		{ formatVersion: 6, modifications: [{ modification: 'createEnum', enumName: 'E', values: 'a' }] },
		{ formatVersion: 6, modifications: [{ modification: 'createEnum', enumName: 'E', values: [1, 2] }] },
		{ formatVersion: 6, modifications: [{ modification: 'updateSettings', op: 'bogus' }] },
		{ formatVersion: 6, modifications: [{ modification: 'createIndex', entityName: 'X', index: { fields: 'a' } }] },
		{ formatVersion: 6, modifications: [{ modification: 'removeEntity' }] },
		{ formatVersion: 6, modifications: [{ modification: 'removeEntity', entityName: 'Nope' }] },
		{ formatVersion: 6, modifications: [{ modification: 'removeField', entityName: 'Nope', fieldName: 'x' }] },
		{ formatVersion: 6, modifications: [{ modification: 'updateEntityName', entityName: 'Nope', newEntityName: 'Other' }] },
		{ formatVersion: 6, modifications: [createColumn('Nope', 'x')] },
		{ formatVersion: 6, modifications: [createEntity('Thing', 'thing'), createEntity('Thing', 'thing2')] },
		{ formatVersion: 6, modifications: [createEntity('Thing', 'thing'), createColumn('Thing', 'id')] },
		{ formatVersion: 6, modifications: [createEntity('Thing', 'thing'), createColumn('Thing', 'a', { columnType: 'not a type; DROP TABLE sentinel.victim' })] },
	]
	wrongTypes.forEach((content, i) => cases.push({ label: `types-${i}`, text: JSON.stringify(content) }))
	for (let i = 0; i < 20; i++) {
		const id = pick(['createTable', 'dropEverything', 'CREATEENTITY', 'createentity', '', ' createEntity', 'createEntity ', '__proto__', 'constructor', 'toString', 'sql', '$$', 'DROP TABLE x', 'hasOwnProperty', 'createColumn\u0000', 'x'.repeat(5000), 'removeEverything', '😀', 'valueOf', 'apply'])
		cases.push({ label: `unknown-${i}`, text: JSON.stringify({ formatVersion: 6, modifications: [{ modification: id, entityName: 'X' }] }) })
	}
	for (let i = 0; i < 100; i++) {
		const nasty = pick(NASTY)
		const where = i % 5
		const modifications =
			where === 0 ? [createEntity(nasty, 'thing')]
			: where === 1 ? [createEntity('Thing', nasty)]
			: where === 2 ? [createEntity('Thing', 'thing'), createColumn('Thing', 'title', { columnName: nasty })]
			: where === 3 ? [createEntity('Thing', 'thing'), createColumn('Thing', 'title', { nullable: false, fillValue: nasty })]
			: [{ modification: 'createEnum', enumName: pick(['Kind', nasty]), values: [nasty, 'ok'] }]
		cases.push({ label: `nasty-${i}`, text: migrationText(modifications) })
	}
	const misc = [
		'', ' ', '\uFEFF{"formatVersion":6,"modifications":[]}', '{"formatVersion":6,"modifications":[]', '{"formatVersion":6,"modifications":[],"modifications":[5]}',
		'[' .repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), 'NaN', '{"formatVersion":Infinity,"modifications":[]}',
		'{"formatVersion":6,"modifications":[],"skippedErrors":"x"}', '{"formatVersion":6,"modifications":[],"extra":true}', '\u0000', '// comment\n{}',
		'{"formatVersion":6,"modifications":[{"modification":"createEntity","entity":{"name":"T","__proto__":{"polluted":true}}}]}',
		'{"__proto__":{"formatVersion":6},"modifications":[]}', 'null', '{"formatVersion":6e0,"modifications":[]}', "{'formatVersion':6}", '{"formatVersion":6,"modifications":[]}garbage',
		'{"formatVersion":6,"modifications":[' + Array.from({ length: 300 }, (_, k) => JSON.stringify(createEntity(`E${k}`, `e_${k}`))).join(',') + ']}',
	]
	misc.forEach((text, i) => cases.push({ label: `misc-${i}`, text }))
	return cases
}

const catalog = async (client: pg.Client): Promise<string> => {
	const objects = await client.query<{ o: string }>(`SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1`)
	const types = await client.query<{ o: string }>(`SELECT n.nspname || '.' || t.typname AS o FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND t.typtype = 'd' ORDER BY 1`)
	const ledger = await client.query(`SELECT to_regclass('strata.migrations') IS NOT NULL AS present`)
	const rows = ledger.rows[0].present ? (await client.query('SELECT count(*) FROM strata.migrations')).rows[0].count : 'none'
	return JSON.stringify({ objects: objects.rows.map(r => r.o), types: types.rows.map(r => r.o), ledgerRows: rows })
}

const reset = async (client: pg.Client) => {
	await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS strata CASCADE')
}

beforeAll(() => ensureBuilt(), 300_000)

describe('hostile migration files', () => {
	const cases = generate()

	it('generates at least 200 cases', () => {
		expect(cases.length).toBeGreaterThanOrEqual(200)
	})

	it('each one: a clear error with the database unchanged, or a safe execution', async () => {
		const client = await db.client()
		client.on('notice', () => undefined)
		await client.query('CREATE SCHEMA sentinel; CREATE TABLE sentinel.victim (id int); INSERT INTO sentinel.victim VALUES (1)')
		const tally = { parseRefused: 0, executeRefused: 0, executed: 0 }
		for (const [i, testCase] of cases.entries()) {
			const name = `2024-06-01-${String(100000 + i).slice(-6)}-${testCase.label}`
			const context = `case ${testCase.label}: ${testCase.text.slice(0, 200)}`
			let file
			try {
				file = parseMigration(name, testCase.text)
			} catch (error) {
				expect(error, context).toBeInstanceOf(StrataError)
				expect((error as StrataError).exitCode, context).toBe(1)
				expect((error as Error).message, context).toContain(name)
				tally.parseRefused++
				continue
			}
			await reset(client)
			const before = await catalog(client)
			try {
				await executeMigrations(client, [file], { ledgerSchema: 'strata', lockWaitMs: 5000 })
				tally.executed++
			} catch (error) {
				expect(error, `${context}\n${(error as Error)?.stack}`).toBeInstanceOf(StrataError)
				// an input problem is the user's (exit 1), named by file, and found before any SQL runs
				expect((error as StrataError).exitCode, `${context}\n${(error as Error).message}`).toBe(1)
				expect((error as Error).message, context).toContain(name)
				// the ledger may have been created (its own transaction); the project schema must be untouched
				const after = JSON.parse(await catalog(client))
				const expected = JSON.parse(before)
				expect(after.objects.filter((o: string) => !o.startsWith('strata.')), context).toEqual(expected.objects.filter((o: string) => !o.startsWith('strata.')))
				expect(after.types, context).toEqual(expected.types)
				expect(['0', 'none'], context).toContain(String(after.ledgerRows))
				tally.executeRefused++
			}
			const victim = await client.query('SELECT count(*)::int AS n FROM sentinel.victim')
			expect(victim.rows[0].n, context).toBe(1)
		}
		expect(tally.parseRefused + tally.executeRefused + tally.executed).toBe(cases.length)
		// the generator must exercise both paths
		expect(tally.parseRefused).toBeGreaterThan(50)
		expect(tally.executed + tally.executeRefused).toBeGreaterThan(30)
		recordAdversarial({
			attack: 'hostile migration files',
			tried: `${cases.length} generated (${tally.parseRefused} refused when read, ${tally.executeRefused} refused at execute, ${tally.executed} executed safely)`,
			held: 'no refused file changed the database; the sentinel table survived every one',
		})
	}, 600_000)

	it('through the CLI: input problems are exit 1 naming the file and modification, for execute and describe; prototype names are plain names', async () => {
		const url = await passwordUrl((await db.fresh('input')).url)
		const thing = JSON.stringify(createEntity('Thing', 'thing'))
		const column = (field: Record<string, unknown>, extra = '') => JSON.stringify(createColumn('Thing', 'a', field as never)).replace(/}$/, `${extra}}`)
		const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`
		const view = (sql: string) => JSON.stringify({ modification: 'createView', entity: { ...(createEntity('V', 'v').entity as object), view: { sql } } })
		const file = (...modifications: string[]) => `{"formatVersion":6,"modifications":[${modifications.join(',')}]}`
		const refused: [string, string][] = [
			['fillValue 1e400', file(thing, column({ nullable: false }, ',"fillValue":1e400'))],
			['NUL in a name', file(thing, column({ columnName: 'a\u0000b' }))],
			['default nested 3000 deep', file(thing, column({ type: 'Json', columnType: 'jsonb' }).replace('"field":{', `"field":{"default":${deep},`))],
			['unterminated quote in a type', file(thing, column({ columnType: "text'" }))],
			['injected statement in a type', file(thing, column({ columnType: 'text; CREATE TABLE pwned(x int); --' }))],
			['64-byte column name', file(thing, column({ columnName: 'c'.repeat(64) }))],
			['unterminated quote in a predicate', file(thing, column({}), JSON.stringify({ modification: 'createIndex', entityName: 'Thing', index: { fields: ['a'], where: "a <> 'x" } }))],
			['unterminated quote in a view body', file(view("SELECT 'x AS id"))],
			['second statement in a view body', file(view('SELECT 1 AS id; CREATE TABLE pwned(x int)'))],
		]
		const fileName = '2024-06-01-120000-input'
		for (const [label, text] of refused) {
			const root = await projectWith([])
			const { writeFile } = await import('node:fs/promises')
			await writeFile(`${root}/migrations/${fileName}.json`, text)
			for (const command of [['migrations:execute', '--yes', '--database-url', url], ['migrations:describe']]) {
				const result = await runCli(command, { cwd: root })
				expect(result.code, `${label} ${command[0]}: ${result.stderr}`).toBe(1)
				expect(result.stderr, `${label} ${command[0]}`).toContain(`${fileName}.json`)
				expect(result.stderr, `${label} ${command[0]}`).toMatch(/modification #\d/)
				expect(result.stderr, `${label} ${command[0]}`).not.toMatch(/connection to PostgreSQL failed/)
				expect(looksClean(result.stderr), `${label} ${command[0]}: ${result.stderr}`).toBe(true)
			}
		}
		const client = await db.client()
		for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
			const root = await projectWith([{ name: fileName, modifications: [createEntity(name, `t_${name}`), createColumn(name, name)] }])
			const fresh = await passwordUrl((await db.fresh(`proto${name.replace(/_/g, '')}`)).url)
			const executed = await runCli(['migrations:execute', '--yes', '--database-url', fresh], { cwd: root })
			expect(executed.code, `${name}: ${executed.stderr}`).toBe(0)
			const described = await runCli(['migrations:describe'], { cwd: root })
			expect(described.code, `${name}: ${described.stderr}`).toBe(0)
			expect(described.stdout).toContain(`"${name}"`)
		}
		expect((await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'pwned'`)).rows[0].n).toBe(0)
	}, 600_000)

	it('a JavaScript exception while generating SQL is an internal error naming the migration and modification, not a lost connection', async () => {
		const client = await db.client()
		await reset(client)
		// built by hand, past parseMigration (which refuses 1e400): the SQL generator cannot write Infinity
		const file = { ...parseMigration('2024-06-02-120000-infinite', migrationText([createEntity('Thing', 'thing'), createColumn('Thing', 'a', { nullable: false })])) }
		const modifications = [file.modifications[0]!, { ...file.modifications[1]!, fillValue: Infinity }]
		const error = await executeMigrations(client, [{ ...file, modifications, checksum: file.checksum }], { ledgerSchema: 'strata', lockWaitMs: 5000 }).then(() => undefined, caught => caught)
		expect(error).toBeInstanceOf(StrataError)
		expect((error as StrataError).code).toBe('INTERNAL')
		expect((error as StrataError).exitCode).toBe(70)
		expect((error as Error).message).toContain('2024-06-02-120000-infinite, modification #1 (createColumn)')
		expect((error as Error).message).not.toMatch(/connection to PostgreSQL failed/)
	})

	it('through the CLI: exit 0 or 1 with a clear message and no stack trace (sample)', async () => {
		const url = await passwordUrl((await db.fresh('cli')).url)
		const sample = cases.filter((_, i) => i % 17 === 0)
		for (const testCase of sample) {
			const root = await projectWith([])
			const { writeFile } = await import('node:fs/promises')
			await writeFile(`${root}/migrations/2024-06-01-120000-hostile.json`, testCase.text)
			const result = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
			expect([0, 1], `${testCase.label}: ${result.stderr}`).toContain(result.code)
			expect(looksClean(result.stderr + result.stdout), `${testCase.label}: ${result.stderr}`).toBe(true)
			if (result.code !== 0) expect(result.stderr.trim().length).toBeGreaterThan(10)
		}
	}, 600_000)
})
