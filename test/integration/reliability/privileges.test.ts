/**
 * Privileges: the example history executed by its owner, then read by roles with less.
 * A read-only role (CONNECT, USAGE and SELECT on the project and ledger schemas) can run
 * migrations:status and db:drift; its migrations:execute fails in the database (exit 2) with
 * PostgreSQL's permission message and changes nothing. A role without the ledger schema gets a
 * clear message naming its login and the privileges needed (exit 1, like any unusable database).
 * Roles are cluster-wide: unique names, dropped after the file.
 */
import { randomBytes } from 'node:crypto'
import { copyFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAdversarial } from '../../helpers/adversarial.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, ROOT, runCli, type CliResult } from '../db/cli.js'
import { projectWith } from '../db/fixtures.js'

const db = useTestDatabase('privileges')

const suffix = randomBytes(4).toString('hex')
const READ_ONLY = `strata_ro_${suffix}`
const NO_LEDGER = `strata_noledger_${suffix}`
const LEDGER = 'strata'
// trust authentication ignores it; the embedded cluster (scram) needs it
const PASSWORD = randomBytes(12).toString('hex')

let root = ''
let ownerUrl = ''
let pendingName = ''
const results: CliResult[] = []

const roleUrl = (role: string) => {
	const parsed = new URL(db.url)
	parsed.username = role
	parsed.password = PASSWORD
	return parsed.toString()
}

const run = async (args: readonly string[], url: string): Promise<CliResult> => {
	const result = await runCli([...args, '--database-url', url], { cwd: root })
	expect(looksClean(result.stdout + result.stderr), result.stderr).toBe(true)
	expect(result.code, result.stderr).not.toBe(70)
	results.push(result)
	return result
}

const withOwner = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
	const client = new pg.Client({ connectionString: db.url })
	await client.connect()
	try {
		return await work(client)
	} finally {
		await client.end()
	}
}

/** the project schema and the ledger, as the owner sees them */
const snapshot = () =>
	withOwner(async client => {
		const columns = await client.query(`SELECT table_schema || '.' || table_name || '.' || column_name AS c FROM information_schema.columns
			WHERE table_schema IN ('public', '${LEDGER}') ORDER BY 1`)
		const ledger = await client.query(`SELECT version FROM ${LEDGER}.migrations ORDER BY 1`)
		return { columns: columns.rows.map(row => row.c as string), ledger: ledger.rows.map(row => row.version as string) }
	})

beforeAll(async () => {
	ensureBuilt()
	ownerUrl = await passwordUrl(db.url)
	root = await projectWith([])
	const files = (await readdir(path.join(ROOT, 'migrations'))).filter(name => name.endsWith('.json')).sort()
	expect(files.length).toBeGreaterThan(2)
	for (const name of files.slice(0, -1)) await copyFile(path.join(ROOT, 'migrations', name), path.join(root, 'migrations', name))
	const executed = await run(['migrations:execute', '--yes'], ownerUrl)
	expect(executed.code, executed.stderr).toBe(0)
	// the last migration of the example stays pending
	pendingName = files.at(-1)!.replace(/\.json$/, '')
	await copyFile(path.join(ROOT, 'migrations', files.at(-1)!), path.join(root, 'migrations', files.at(-1)!))

	const database = new URL(db.url).pathname.slice(1)
	await withOwner(async client => {
		for (const role of [READ_ONLY, NO_LEDGER]) {
			await client.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${PASSWORD}'`)
			await client.query(`GRANT CONNECT ON DATABASE "${database}" TO "${role}"`)
			await client.query(`GRANT USAGE ON SCHEMA public TO "${role}"`)
			await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role}"`)
		}
		await client.query(`GRANT USAGE ON SCHEMA ${LEDGER} TO "${READ_ONLY}"`)
		await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${LEDGER} TO "${READ_ONLY}"`)
	})
}, 300_000)

afterAll(async () => {
	// privileges hold a role in place: DROP OWNED revokes them (in this database and on it), then the role goes
	await withOwner(async client => {
		for (const role of [READ_ONLY, NO_LEDGER]) {
			await client.query(`DROP OWNED BY "${role}"`).catch(() => undefined)
			await client.query(`DROP ROLE IF EXISTS "${role}"`)
		}
	})
})

describe('privileges', () => {
	it('a read-only role: migrations:status lists the executed and the pending migrations (exit 0)', async () => {
		const table = await run(['migrations:status'], roleUrl(READ_ONLY))
		expect(table.code, table.stderr).toBe(0)
		expect(table.stdout).toMatch(new RegExp(`pending\\s+${pendingName}`))
		const json = await run(['migrations:status', '--json'], roleUrl(READ_ONLY))
		expect(json.code, json.stderr).toBe(0)
		const status = JSON.parse(json.stdout)
		expect(status.summary).toEqual({ executed: (await snapshot()).ledger.length, pending: 1, broken: 0 })
		expect(status.migrations.at(-1)).toMatchObject({ name: pendingName, state: 'pending' })
	})

	it('a read-only role: db:drift --check finds no drift (exit 0)', async () => {
		const drift = await run(['db:drift', '--check'], roleUrl(READ_ONLY))
		expect(drift.code, drift.stderr).toBe(0)
		expect(drift.stdout).toContain('No drift')
		const json = await run(['db:drift', '--json'], roleUrl(READ_ONLY))
		expect(json.code, json.stderr).toBe(0)
		expect(JSON.parse(json.stdout)).toEqual({ inSync: true, items: [], ignored: [] })
	})

	it('a read-only role: migrations:execute fails in the database (exit 2) with the permission message, and changes nothing', async () => {
		const before = await snapshot()
		const execute = await run(['migrations:execute', '--yes'], roleUrl(READ_ONLY))
		expect(execute.stdout + execute.stderr).not.toContain(PASSWORD)
		expect(execute.code, execute.stderr).toBe(2)
		expect(execute.stderr).toContain(pendingName)
		expect(execute.stderr).toContain('[42501]')
		expect(execute.stderr).toMatch(/must be owner|permission denied/)
		expect(execute.stderr).toContain('nothing of it was applied')
		expect(await snapshot()).toEqual(before)
		// the owner still sees it pending and can run it
		const status = await run(['migrations:status', '--json'], ownerUrl)
		expect(JSON.parse(status.stdout).summary.pending).toBe(1)
	})

	it('a role without the ledger schema: status and drift say which login lacks what (exit 1)', async () => {
		for (const command of ['migrations:status', 'db:drift']) {
			const result = await run([command], roleUrl(NO_LEDGER))
			expect(result.code, `${command}: ${result.stderr}`).toBe(1)
			expect(result.stderr).toContain(`permission denied for schema ${LEDGER}`)
			expect(result.stderr).toContain(`user "${NO_LEDGER}"`)
			expect(result.stderr).toContain('lacks a privilege')
			expect(result.stderr).toContain('USAGE on the project and ledger schemas')
		}
	})

	it('figures', () => {
		expect(results.length).toBeGreaterThanOrEqual(9)
		recordAdversarial({
			attack: 'privileges',
			tried: `${results.length} CLI runs: status and drift under a read-only role, execute under it, status and drift under a role without the ledger schema`,
			held: 'read-only status/drift exit 0 with correct output; execute exit 2 with the 42501 message, nothing changed; no ledger access: exit 1 naming the login and the privileges; never exit 70',
		})
	})
})
