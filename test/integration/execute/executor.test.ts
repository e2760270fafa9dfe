/**
 * executeMigrations against real PostgreSQL: SQL with names from the live catalog, the ledger
 * in the same transaction, rules re-checked under the lock, rollback on failure.
 */
import { describe, expect, it } from 'vitest'
import { executeMigrations, BrokenMigrationsError, type ExecuteEvent } from '../../../src/db/executor.js'
import { MigrationExecutionError } from '../../../src/db/failure.js'
import { readLedger } from '../../../src/db/ledger.js'
import { readStepProgress } from '../../../src/db/ledgerSteps.js'
import { computeStatus } from '../../../src/db/status.js'
import { useTestDatabase } from '../../helpers/database.js'
import { blogFiles, createColumn, createEntity, migration } from '../db/fixtures.js'

/** an entity whose primary column has a type PostgreSQL does not know (a table name collision is refused before any SQL) */
const missingType = (name: string, tableName: string) => {
	const created = createEntity(name, tableName) as { modification: string; entity: { fields: { id: object } } }
	return { ...created, entity: { ...created.entity, fields: { id: { ...created.entity.fields.id, columnType: 'no_such_type' } } } }
}

const db = useTestDatabase('executor')

const tables = async (client: Awaited<ReturnType<typeof db.client>>, schema = 'public') =>
	(await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).rows.map(row => row.table_name)

describe('executeMigrations', () => {
	it('applies a history in one transaction, resolving constraint names from the catalog, and records it', async () => {
		const target = await db.fresh('blog')
		const client = await target.client()
		const events: ExecuteEvent[] = []
		const result = await executeMigrations(client, blogFiles(), { ledgerSchema: 'strata' }, event => events.push(event))
		expect(result.executed.map(it => it.name)).toEqual(blogFiles().map(it => it.name))
		expect(await tables(client)).toEqual(['author', 'post'])
		// removeUniqueConstraint found the name PostgreSQL chose
		const uniques = await client.query(`SELECT conname FROM pg_constraint WHERE contype = 'u' AND conrelid = 'author'::regclass`)
		expect(uniques.rowCount).toBe(0)
		const fk = await client.query<{ confdeltype: string }>(`SELECT confdeltype FROM pg_constraint WHERE contype = 'f' AND conrelid = 'post'::regclass`)
		expect(fk.rows.map(row => row.confdeltype)).toEqual(['c'])
		const ledger = await readLedger(client, 'strata')
		expect(ledger.map(row => row.name)).toEqual(blogFiles().map(it => it.name))
		expect(ledger[0]!.checksum).toBe(blogFiles()[0]!.checksum)
		expect(ledger[0]!.executedBy).toMatch(/^postgres|\(/)
		expect(JSON.parse(ledger[0]!.migration).modifications).toEqual(blogFiles()[0]!.modifications)
		expect(events.filter(e => e.type === 'migrationDone')).toHaveLength(3)
		// a second run has nothing to do
		const again = await executeMigrations(client, blogFiles(), { ledgerSchema: 'strata' })
		expect(again.executed).toEqual([])
	})

	it('rolls back everything of the batch on a failing statement and reports it (exit 2)', async () => {
		const target = await db.fresh('fail')
		const client = await target.client()
		const files = [
			migration('2024-01-01-100000-a', [createEntity('A', 'a'), createColumn('A', 'name')]),
			// valid by every schema rule, but the type does not exist: CREATE TABLE fails in the database
			migration('2024-01-02-100000-b', [missingType('B', 'b')]),
		]
		const error = await executeMigrations(client, files, { ledgerSchema: 'strata' }).catch(e => e)
		expect(error).toBeInstanceOf(MigrationExecutionError)
		expect(error.exitCode).toBe(2)
		expect(error.message).toContain('2024-01-02-100000-b')
		expect(error.message).toContain('modification #0 (createEntity)')
		expect(error.message).toContain('type "no_such_type" does not exist')
		expect(error.message).toContain('The transaction was rolled back')
		expect(await tables(client)).toEqual([])
		expect(await readLedger(client, 'strata')).toEqual([])
		// the lock was released: another session can take it
		const other = await target.client()
		const { ledgerLockKey } = await import('../../../src/db/lock.js')
		expect((await other.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [String(ledgerLockKey('strata'))])).rows[0].ok).toBe(true)
	})

	it('--transaction each keeps the migrations committed before the failure', async () => {
		const target = await db.fresh('each')
		const client = await target.client()
		const files = [
			migration('2024-01-01-100000-a', [createEntity('A', 'a')]),
			migration('2024-01-02-100000-b', [missingType('B', 'b')]),
		]
		const error = await executeMigrations(client, files, { ledgerSchema: 'strata', transaction: 'each' }).catch(e => e)
		expect(error.message).toContain('Committed earlier (--transaction each): 2024-01-01-100000-a')
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual(['2024-01-01-100000-a'])
	})

	it('refuses a changed executed migration under the lock, with a structural diff, and runs nothing', async () => {
		const target = await db.fresh('changed')
		const client = await target.client()
		await executeMigrations(client, blogFiles().slice(0, 1), { ledgerSchema: 'strata' })
		const edited = [migration('2024-01-01-100000-authors', [createEntity('Author', 'author'), createColumn('Author', 'fullName')]), ...blogFiles().slice(1)]
		const error = await executeMigrations(client, edited, { ledgerSchema: 'strata' }).catch(e => e)
		expect(error).toBeInstanceOf(BrokenMigrationsError)
		expect(error.exitCode).toBe(1)
		expect(error.message).toContain('an executed migration must never change')
		expect(error.message).toMatch(/fullName/)
		expect(await tables(client)).toEqual(['author'])
	})

	it('dry run prints SQL with live names and changes nothing', async () => {
		const target = await db.fresh('dry')
		const client = await target.client()
		await executeMigrations(client, blogFiles().slice(0, 2), { ledgerSchema: 'strata' })
		const result = await executeMigrations(client, blogFiles(), { ledgerSchema: 'strata', dryRun: true })
		const sql = result.executed.flatMap(it => it.sql.map(s => s.sql)).join('\n')
		expect(sql).toMatch(/DROP CONSTRAINT "[^"]+"/)
		expect((await readLedger(client, 'strata')).length).toBe(2)
		const status = computeStatus(blogFiles(), await readLedger(client, 'strata'))
		expect(status.toExecute.map(it => it.name)).toEqual(['2024-01-03-100000-relax'])
	})

	it('lock_timeout: fails with 55P03 naming the session that holds the table', async () => {
		const target = await db.fresh('locktimeout')
		const client = await target.client()
		await executeMigrations(client, blogFiles().slice(0, 1), { ledgerSchema: 'strata' })
		const blocker = await target.client()
		await blocker.query(`SET application_name = 'long-report'`)
		await blocker.query('BEGIN')
		await blocker.query('LOCK TABLE author IN ACCESS EXCLUSIVE MODE')
		const error = await executeMigrations(client, [...blogFiles().slice(0, 1), migration('2024-02-01-100000-x', [createColumn('Author', 'bio')])], { ledgerSchema: 'strata', lockTimeoutMs: 300 }).catch(e => e)
		await blocker.query('ROLLBACK')
		expect(error).toBeInstanceOf(MigrationExecutionError)
		expect(error.details.database.code).toBe('55P03')
		expect(error.message).toContain('--lock-timeout')
		expect(error.message).toMatch(/blocked by pid \d+ \(long-report/)
		expect((await readLedger(client, 'strata')).length).toBe(1)
	})

	it('statement_timeout: a long statement is cancelled (57014) and rolled back', async () => {
		const target = await db.fresh('stmttimeout')
		const client = await target.client()
		await executeMigrations(client, blogFiles().slice(0, 1), { ledgerSchema: 'strata' })
		await client.query(`INSERT INTO author (id, name) SELECT gen_random_uuid(), 'n' || g FROM generate_series(1, 200000) g`)
		const slow = migration('2024-02-01-100000-fill', [createColumn('Author', 'bio', { nullable: false, fillValue: 'x' })])
		const error = await executeMigrations(client, [...blogFiles().slice(0, 1), slow], { ledgerSchema: 'strata', statementTimeoutMs: 1 }).catch(e => e)
		expect(error).toBeInstanceOf(MigrationExecutionError)
		expect(error.details.database.code).toBe('57014')
		expect(error.message).toContain('--statement-timeout')
		const columns = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'author' AND column_name = 'bio'`)
		expect(columns.rowCount).toBe(0)
	})

	it('records empty migrations too (unlike Contember), so the ledger is the complete history', async () => {
		const target = await db.fresh('empty')
		const client = await target.client()
		const files = [migration('2023-12-31-100000-empty', []), ...blogFiles().slice(0, 1)]
		const result = await executeMigrations(client, files, { ledgerSchema: 'strata' })
		expect(result.executed.map(it => [it.name, it.statements])).toEqual([['2023-12-31-100000-empty', 0], ['2024-01-01-100000-authors', 3]])
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual(['2023-12-31-100000-empty', '2024-01-01-100000-authors'])
	})

	it('uses a configurable ledger schema', async () => {
		const target = await db.fresh('ledger')
		const client = await target.client()
		await executeMigrations(client, blogFiles().slice(0, 1), { ledgerSchema: 'deploy_ledger' })
		expect(await tables(client, 'deploy_ledger')).toEqual(['ledger_meta', 'migration_steps', 'migrations'])
		expect((await client.query(`SELECT value FROM deploy_ledger.ledger_meta WHERE key = 'shape_version'`)).rows[0].value).toBe('2')
	})

	it('upgrades a ledger of shape 1 (no migration_steps) and keeps its rows; reading it before shows no partial migration', async () => {
		const target = await db.fresh('ledger_v1')
		const client = await target.client()
		const files = blogFiles()
		await executeMigrations(client, files.slice(0, 1), { ledgerSchema: 'strata' })
		// what strata before the online strategy left
		await client.query(`DROP TABLE strata.migration_steps; UPDATE strata.ledger_meta SET value = '1' WHERE key = 'shape_version'`)
		expect(await readStepProgress(client, 'strata')).toEqual(new Map())
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual([files[0]!.name])
		await executeMigrations(client, files, { ledgerSchema: 'strata' })
		expect(await tables(client, 'strata')).toEqual(['ledger_meta', 'migration_steps', 'migrations'])
		expect((await client.query(`SELECT value FROM strata.ledger_meta WHERE key = 'shape_version'`)).rows[0].value).toBe('2')
		expect((await readLedger(client, 'strata')).map(row => row.name)).toEqual(files.map(file => file.name))
	})
})
