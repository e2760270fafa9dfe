/**
 * Statements go to PostgreSQL several per round trip and the catalog is read per table; a
 * failure is still reported with its own migration, modification and statement.
 */
import { describe, expect, it } from 'vitest'
import type pg from 'pg'
import { executeMigrations } from '../../../src/db/executor.js'
import { MigrationExecutionError } from '../../../src/db/failure.js'
import { LiveCatalog } from '../../../src/db/liveCatalog.js'
import { BatchStatementError, StatementBatch } from '../../../src/db/statementBatch.js'
import { useTestDatabase } from '../../helpers/database.js'
import { createColumn, createEntity, createManyHasOne, migration } from '../db/fixtures.js'

const db = useTestDatabase('batching')

/** counts the queries a client sends */
const counting = (client: pg.Client) => {
	const sent: string[] = []
	const query = client.query.bind(client) as (...args: unknown[]) => unknown
	;(client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
		const first = args[0] as string | { text?: string }
		sent.push(typeof first === 'string' ? first : first.text ?? '')
		return query(...args)
	}
	return sent
}

describe('StatementBatch', () => {
	it('sends consecutive statements in one message and names the one that failed, with its own position', async () => {
		const client = await (await db.fresh('batch')).client()
		const sent = counting(client)
		const batch = new StatementBatch(client, true)
		await client.query('BEGIN')
		for (const sql of ['CREATE TABLE t1 (a int)', 'CREATE TABLE t2 (a int)', 'INSERT INTO t1 VALUES (1)']) batch.add(sql)
		await batch.send()
		expect(sent.filter(it => it.includes('CREATE TABLE'))).toHaveLength(1)
		batch.add('CREATE TABLE t3 (a int)')
		batch.add('SELECT no_such_column FROM t1')
		batch.add('CREATE TABLE t4 (a int)')
		const error = await batch.send().catch(e => e)
		expect(error).toBeInstanceOf(BatchStatementError)
		expect(error.index).toBe(1)
		expect(error.cause.code).toBe('42703')
		// "no_such_column" starts at character 8 of its own statement
		expect(error.cause.position).toBe('8')
		await client.query('ROLLBACK')
	})

	it('sends a statement holding a semicolon on its own, so the count of completed statements stays exact', async () => {
		const client = await (await db.fresh('semicolon')).client()
		const sent = counting(client)
		const batch = new StatementBatch(client, true)
		await client.query('BEGIN')
		batch.add('CREATE TABLE s1 (a text)')
		batch.add(`CREATE VIEW v AS SELECT ';' AS x`)
		batch.add('CREATE TABLE s2 (a int)')
		batch.add('SELECT 1 / 0')
		const error = await batch.send().catch(e => e)
		expect(sent.filter(it => !it.startsWith('BEGIN'))).toEqual(['CREATE TABLE s1 (a text)', `CREATE VIEW v AS SELECT ';' AS x`, 'CREATE TABLE s2 (a int);\nSELECT 1 / 0'])
		expect(error.index).toBe(3)
		expect(error.cause.code).toBe('22012')
		await client.query('ROLLBACK')
	})

	it('without batching sends one statement per message', async () => {
		const client = await (await db.fresh('single')).client()
		const sent = counting(client)
		const batch = new StatementBatch(client, false)
		batch.add('CREATE TABLE u1 (a int)')
		batch.add('CREATE TABLE u2 (a int)')
		await batch.send()
		expect(sent).toEqual(['CREATE TABLE u1 (a int)', 'CREATE TABLE u2 (a int)'])
	})
})

describe('LiveCatalog', () => {
	it('reads only the tables a step asks about, and again only after statements ran', async () => {
		const client = await (await db.fresh('catalog')).client()
		await client.query('CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id)); CREATE INDEX b_a ON b (a_id)')
		const catalog = new LiveCatalog(client, 'public')
		const first = catalog.attempt()
		expect(first.metadata.foreignKeysOf('b')).toEqual([])
		expect([...first.stale]).toEqual(['b'])
		await catalog.refresh(first.stale)
		const second = catalog.attempt()
		expect(second.metadata.foreignKeysOf('b').map(it => [it.fromColumn, it.toTable])).toEqual([['a_id', 'a']])
		expect(second.metadata.indexesOf('b').map(it => it.indexName)).toEqual(['b_a'])
		expect(second.stale.size).toBe(0)
		catalog.markChanged()
		const third = catalog.attempt()
		third.metadata.indexesOf('b')
		expect([...third.stale]).toEqual(['b'])
		expect(catalog.reads).toBe(1)
	})
})

describe('executeMigrations with batches', () => {
	it('names the modification and statement that failed in the middle of a batch, and applies nothing', async () => {
		const client = await (await db.fresh('middle')).client()
		const files = [
			migration('2024-01-01-100000-a', [createEntity('A', 'a'), createColumn('A', 'name')]),
			migration('2024-01-02-100000-b', [
				createEntity('B', 'b'),
				createColumn('B', 'title'),
				createColumn('B', 'broken', { columnType: 'no_such_type' }),
				createColumn('B', 'after'),
			]),
		]
		const error = await executeMigrations(client, files, { ledgerSchema: 'strata' }).catch(e => e)
		expect(error).toBeInstanceOf(MigrationExecutionError)
		expect(error.details.migration).toBe('2024-01-02-100000-b')
		expect(error.details.modificationIndex).toBe(2)
		expect(error.details.statement).toMatch(/ADD "broken" "no_such_type"|no_such_type/)
		expect(error.details.database.code).toBe('42704')
		const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)
		expect(tables.rows[0].n).toBe(0)
	})

	it('resolves a foreign key created earlier in the same migration (the queued statements run before the catalog is read)', async () => {
		const client = await (await db.fresh('resolve')).client()
		const files = [migration('2024-01-01-100000-a', [
			createEntity('Author', 'author'),
			createEntity('Post', 'post'),
			createManyHasOne('Post', 'author', 'Author', 'author_id'),
			{ modification: 'updateRelationOnDelete', entityName: 'Post', fieldName: 'author', onDelete: 'cascade' },
		])]
		await executeMigrations(client, files, { ledgerSchema: 'strata' })
		const fk = await client.query<{ confdeltype: string }>(`SELECT confdeltype FROM pg_constraint WHERE contype = 'f' AND conrelid = 'post'::regclass`)
		expect(fk.rows.map(row => row.confdeltype)).toEqual(['c'])
	})

	it('records every migration of a one-transaction run in the ledger, in order, never handing pg a query while one runs', async () => {
		const client = await (await db.fresh('ledger')).client()
		const files = Array.from({ length: 7 }, (_, i) => migration(`2024-01-0${i + 1}-100000-m${i}`, [createEntity(`E${i}`, `e${i}`), createColumn(`E${i}`, 'name')]))
		const warnings: string[] = []
		const onWarning = (warning: Error) => warnings.push(warning.message)
		process.on('warning', onWarning)
		const events: string[] = []
		try {
			await executeMigrations(client, files, { ledgerSchema: 'strata' }, event => {
				if (event.type === 'migrationStart' || event.type === 'migrationDone') events.push(`${event.type} ${event.migration.name}`)
			})
		} finally {
			process.off('warning', onWarning)
		}
		// pg 8 warns (and pg 9 fails) when a query is submitted while another runs
		expect(warnings).toEqual([])
		// a migration starts when its SQL goes to PostgreSQL, after the previous one finished
		expect(events).toEqual(files.flatMap(file => [`migrationStart ${file.name}`, `migrationDone ${file.name}`]))
		const ledger = await client.query<{ name: string; duration_ms: number }>('SELECT name, duration_ms FROM strata.migrations ORDER BY version')
		expect(ledger.rows.map(row => row.name)).toEqual(files.map(file => file.name))
		expect(ledger.rows.every(row => row.duration_ms >= 0)).toBe(true)
	})
})
